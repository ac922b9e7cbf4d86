//===- Tokenizer.cpp - Byte-level BPE tokenization ------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Tokenizer.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace tern {

const char *const kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
    "\\s+(?!\\S)|\\s+";

namespace {

struct CodePointRange {
  uint32_t first, last;
};
#include "UnicodeTables.inc"

template <size_t N>
bool inRanges(const CodePointRange (&ranges)[N], uint32_t cp) {
  const CodePointRange *it = std::upper_bound(
      ranges, ranges + N, cp,
      [](uint32_t v, const CodePointRange &r) { return v < r.first; });
  return it != ranges && cp <= (it - 1)->last;
}

bool isLetter(uint32_t cp) { return inRanges(kLetterRanges, cp); }
bool isNumber(uint32_t cp) { return inRanges(kNumberRanges, cp); }
bool isSpace(uint32_t cp) { return inRanges(kSpaceRanges, cp); }

/// Decodes one UTF-8 code point at `i`, advancing `i`. Invalid bytes decode
/// as themselves (U+FFFD would lose them; the BPE works on bytes anyway).
uint32_t nextCodePoint(std::string_view s, size_t &i) {
  unsigned char c = s[i];
  int length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                            : (c >> 3) == 30 ? 4 : 1;
  if (i + length > s.size())
    length = 1;
  uint32_t cp = length == 1 ? c : c & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    unsigned char cc = s[i + k];
    if ((cc >> 6) != 2) {
      length = 1;
      cp = c;
      break;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += length;
  return cp;
}

/// GPT-2's printable character for each byte (bytes_to_unicode), UTF-8.
std::string byteCharacter(unsigned b) {
  bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) ||
                   (b >= 0xAE && b <= 0xFF);
  uint32_t cp = b;
  if (!printable) {
    unsigned n = 0;
    for (unsigned x = 0; x < b; ++x) {
      bool p = (x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) ||
               (x >= 0xAE && x <= 0xFF);
      n += !p;
    }
    cp = 256 + n;
  }
  std::string out;
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
  return out;
}

} // namespace

std::vector<std::string_view> pretokenizeGpt2(std::string_view text) {
  std::vector<std::string_view> pieces;
  size_t i = 0;
  auto cpAt = [&](size_t at, size_t &next) {
    next = at;
    return nextCodePoint(text, next);
  };
  while (i < text.size()) {
    size_t start = i, next;
    // 's 't 're 've 'm 'll 'd
    if (text[i] == '\'') {
      static const char *const suffixes[] = {"s", "t", "re", "ve", "m", "ll", "d"};
      bool matched = false;
      for (const char *suffix : suffixes) {
        size_t n = std::strlen(suffix);
        if (text.compare(i + 1, n, suffix) == 0) {
          pieces.push_back(text.substr(i, n + 1));
          i += n + 1;
          matched = true;
          break;
        }
      }
      if (matched)
        continue;
    }
    // ' ?' followed by a run of one class.
    size_t afterSpace = text[i] == ' ' ? i + 1 : i;
    if (afterSpace < text.size()) {
      uint32_t cp = cpAt(afterSpace, next);
      int cls = isLetter(cp) ? 0 : isNumber(cp) ? 1 : isSpace(cp) ? 3 : 2;
      if (cls != 3) {
        size_t end = next;
        while (end < text.size()) {
          uint32_t c = cpAt(end, next);
          int k = isLetter(c) ? 0 : isNumber(c) ? 1 : isSpace(c) ? 3 : 2;
          if (k != cls)
            break;
          end = next;
        }
        pieces.push_back(text.substr(start, end - start));
        i = end;
        continue;
      }
    }
    // \s+(?!\S) | \s+
    size_t end = i, lastStart = i;
    while (end < text.size()) {
      uint32_t c = cpAt(end, next);
      if (!isSpace(c))
        break;
      lastStart = end;
      end = next;
    }
    if (end < text.size() && lastStart > i)
      end = lastStart; // leave the last space to prefix the next piece
    pieces.push_back(text.substr(i, end - i));
    i = end;
  }
  return pieces;
}

Tokenizer::Tokenizer(TokenizerData d) : data(std::move(d)) {
  for (size_t id = 0; id < data.vocab.size(); ++id)
    ids.emplace(data.vocab[id], int32_t(id));
  for (size_t r = 0; r < data.merges.size(); ++r)
    ranks.emplace(data.merges[r], int32_t(r));
  std::unordered_map<std::string, unsigned> charToByte;
  for (unsigned b = 0; b < 256; ++b) {
    std::string ch = byteCharacter(b);
    charToByte[ch] = b;
    auto it = ids.find(ch);
    byteToken[b] = it == ids.end() ? -1 : it->second;
  }
  tokenBytes.resize(data.vocab.size());
  for (size_t id = 0; id < data.vocab.size(); ++id) {
    const std::string &s = data.vocab[id];
    std::string bytes;
    for (size_t i = 0; i < s.size();) {
      size_t start = i;
      nextCodePoint(s, i);
      auto it = charToByte.find(s.substr(start, i - start));
      if (it != charToByte.end())
        bytes.push_back(char(it->second));
      else
        bytes += s.substr(start, i - start);
    }
    tokenBytes[id] = bytes;
  }
  for (const auto &[text, id] : data.specials)
    if (id >= 0 && size_t(id) < tokenBytes.size())
      tokenBytes[id] = text;
}

void Tokenizer::encodePiece(std::string_view piece,
                            std::vector<int32_t> &out) const {
  std::vector<int32_t> symbols;
  for (unsigned char b : piece)
    if (byteToken[b] >= 0)
      symbols.push_back(byteToken[b]);
  while (symbols.size() > 1) {
    int32_t bestRank = INT32_MAX;
    size_t best = 0;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      auto it = ranks.find({symbols[i], symbols[i + 1]});
      if (it != ranks.end() && it->second < bestRank) {
        bestRank = it->second;
        best = i;
      }
    }
    if (bestRank == INT32_MAX)
      break;
    auto merged = ids.find(data.vocab[symbols[best]] + data.vocab[symbols[best + 1]]);
    if (merged == ids.end())
      break;
    symbols[best] = merged->second;
    symbols.erase(symbols.begin() + best + 1);
  }
  out.insert(out.end(), symbols.begin(), symbols.end());
}

std::vector<int32_t> Tokenizer::encode(std::string_view text,
                                       bool allowSpecial) const {
  std::vector<int32_t> out;
  size_t i = 0, plain = 0;
  auto flush = [&](size_t end) {
    for (std::string_view piece : pretokenizeGpt2(text.substr(plain, end - plain)))
      encodePiece(piece, out);
  };
  while (allowSpecial && i < text.size()) {
    const std::pair<std::string, int32_t> *match = nullptr;
    for (const auto &special : data.specials)
      if (!special.first.empty() && text.compare(i, special.first.size(), special.first) == 0 &&
          (!match || special.first.size() > match->first.size()))
        match = &special;
    if (!match) {
      ++i;
      continue;
    }
    flush(i);
    out.push_back(match->second);
    i += match->first.size();
    plain = i;
  }
  flush(text.size());
  return out;
}

std::string Tokenizer::decode(const std::vector<int32_t> &tokens) const {
  std::string out;
  for (int32_t id : tokens)
    if (id >= 0 && size_t(id) < tokenBytes.size())
      out += tokenBytes[id];
  return out;
}

// Serialized form: "tern-tokenizer 1\n", then three sections of records,
// each string written as <byte length> ' ' <bytes> '\n':
//   vocab <n>\n  n strings
//   merges <m>\n m lines "<id> <id>"
//   specials <k>\n k lines "<id> " + string
std::string TokenizerData::serialize() const {
  std::ostringstream os;
  os << "tern-tokenizer 1\nvocab " << vocab.size() << '\n';
  for (const std::string &v : vocab)
    os << v.size() << ' ' << v << '\n';
  os << "merges " << merges.size() << '\n';
  for (const auto &[a, b] : merges)
    os << a << ' ' << b << '\n';
  os << "specials " << specials.size() << '\n';
  for (const auto &[text, id] : specials)
    os << id << ' ' << text.size() << ' ' << text << '\n';
  return os.str();
}

bool TokenizerData::parse(std::string_view data, TokenizerData &out,
                          std::string &error) {
  out = TokenizerData();
  size_t pos = 0;
  auto fail = [&](const std::string &what) {
    error = "tokenizer data: " + what + " at byte " + std::to_string(pos);
    return false;
  };
  auto expectWord = [&](std::string_view word) {
    if (data.compare(pos, word.size(), word) != 0)
      return false;
    pos += word.size();
    return true;
  };
  auto number = [&](int64_t &v) {
    size_t start = pos;
    bool negative = pos < data.size() && data[pos] == '-';
    if (negative)
      ++pos;
    v = 0;
    while (pos < data.size() && data[pos] >= '0' && data[pos] <= '9' &&
           v < (int64_t(1) << 40))
      v = v * 10 + (data[pos++] - '0');
    if (negative)
      v = -v;
    return pos > start + negative;
  };
  auto separator = [&](char c) {
    if (pos >= data.size() || data[pos] != c)
      return false;
    ++pos;
    return true;
  };
  auto string = [&](std::string &s) {
    int64_t n;
    if (!number(n) || n < 0 || !separator(' ') || pos + size_t(n) > data.size())
      return false;
    s = std::string(data.substr(pos, size_t(n)));
    pos += size_t(n);
    return separator('\n');
  };
  int64_t count;
  if (!expectWord("tern-tokenizer 1\n"))
    return fail("bad magic");
  if (!expectWord("vocab ") || !number(count) || count < 0 || !separator('\n'))
    return fail("bad vocab record");
  out.vocab.resize(size_t(count));
  for (std::string &v : out.vocab)
    if (!string(v))
      return fail("bad vocab entry");
  if (!expectWord("merges ") || !number(count) || count < 0 || !separator('\n'))
    return fail("bad merges record");
  int64_t vocabSize = int64_t(out.vocab.size());
  for (int64_t i = 0; i < count; ++i) {
    int64_t a, b;
    if (!number(a) || !separator(' ') || !number(b) || !separator('\n') ||
        a < 0 || b < 0 || a >= vocabSize || b >= vocabSize)
      return fail("bad merge");
    out.merges.emplace_back(int32_t(a), int32_t(b));
  }
  if (!expectWord("specials ") || !number(count) || count < 0 || !separator('\n'))
    return fail("bad specials record");
  for (int64_t i = 0; i < count; ++i) {
    int64_t id;
    std::string text;
    if (!number(id) || !separator(' ') || !string(text) || id < 0 || id >= vocabSize)
      return fail("bad special token");
    out.specials.emplace_back(text, int32_t(id));
  }
  return true;
}

} // namespace tern
