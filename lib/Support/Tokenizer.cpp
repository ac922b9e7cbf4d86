//===- Tokenizer.cpp - BPE tokenization -----------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Tokenizer.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <queue>
#include <sstream>

namespace tern {

const char *const kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
    "\\s+(?!\\S)|\\s+";
const char *const kLlama3Pattern =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

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
  int length = c < 0x80         ? 1
               : (c >> 5) == 6  ? 2
               : (c >> 4) == 14 ? 3
               : (c >> 3) == 30 ? 4
                                : 1;
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

/// The whitespace alternatives both patterns end with, at a whitespace run
/// starting at `i`: `\s*[\r\n]+` first when `newlines` (Llama-3), then
/// `\s+(?!\S)` (leaving the last space to prefix the next word) and `\s+`.
size_t whitespaceEnd(std::string_view text, size_t i, bool newlines) {
  size_t end = i, lastStart = i, next, lastNewline = std::string_view::npos;
  while (end < text.size()) {
    next = end;
    uint32_t c = nextCodePoint(text, next);
    if (!isSpace(c))
      break;
    if (c == '\r' || c == '\n')
      lastNewline = end;
    lastStart = end;
    end = next;
  }
  if (newlines && lastNewline != std::string_view::npos)
    return lastNewline + 1;
  if (end < text.size() && lastStart > i)
    return lastStart;
  return end;
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
      static const char *const suffixes[] = {"s", "t",  "re", "ve",
                                             "m", "ll", "d"};
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
    size_t end = whitespaceEnd(text, i, /*newlines=*/false);
    pieces.push_back(text.substr(i, end - i));
    i = end;
  }
  return pieces;
}

std::vector<std::string_view> pretokenizeLlama3(std::string_view text) {
  std::vector<std::string_view> pieces;
  auto cpAt = [&](size_t at, size_t &next) {
    next = at;
    return nextCodePoint(text, next);
  };
  auto runOf = [&](size_t at, auto inClass) {
    size_t next;
    while (at < text.size() && inClass(cpAt(at, next)))
      at = next;
    return at;
  };
  auto isNewline = [](uint32_t c) { return c == '\r' || c == '\n'; };
  auto isOther = [](uint32_t c) {
    return !isSpace(c) && !isLetter(c) && !isNumber(c);
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t next, end = i;
    uint32_t c = cpAt(i, next);
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if (c == '\'') {
      static const char *const suffixes[] = {"s", "t",  "re", "ve",
                                             "m", "ll", "d"};
      for (const char *suffix : suffixes) {
        size_t n = std::strlen(suffix);
        bool match = i + 1 + n <= text.size();
        for (size_t k = 0; match && k < n; ++k)
          match = (text[i + 1 + k] | 0x20) == suffix[k];
        if (match) {
          end = i + 1 + n;
          break;
        }
      }
      // Case-insensitive 's also matches U+017F LATIN SMALL LETTER LONG S.
      if (end == i && text.compare(i + 1, 2, "\xC5\xBF") == 0)
        end = i + 3;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (end == i) {
      size_t letters = isLetter(c)                     ? i
                       : !isNewline(c) && !isNumber(c) ? next
                                                       : text.size();
      size_t after;
      if (letters < text.size() && isLetter(cpAt(letters, after)))
        end = runOf(letters, isLetter);
    }
    // \p{N}{1,3}
    if (end == i && isNumber(c)) {
      end = next;
      for (int k = 1; k < 3 && end < text.size() && isNumber(cpAt(end, next));
           ++k)
        end = next;
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    if (end == i) {
      size_t from = c == ' ' ? next : i;
      size_t to = runOf(from, isOther);
      if (to > from)
        end = runOf(to, isNewline);
    }
    // \s*[\r\n]+ | \s+(?!\S) | \s+
    if (end == i)
      end = whitespaceEnd(text, i, /*newlines=*/true);
    pieces.push_back(text.substr(i, end - i));
    i = end;
  }
  return pieces;
}

static const char kMetaspace[] = "\xE2\x96\x81"; // U+2581

/// The byte a SentencePiece byte-fallback piece "<0xNN>" stands for.
static int byteFallbackValue(std::string_view piece) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>' ||
      hex(piece[3]) < 0 || hex(piece[4]) < 0)
    return -1;
  return hex(piece[3]) * 16 + hex(piece[4]);
}

static std::string replaceAll(std::string_view s, std::string_view from,
                              std::string_view to) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, from.size(), from) == 0) {
      out += to;
      i += from.size();
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

Tokenizer::Tokenizer(TokenizerData d) : data(std::move(d)) {
  for (size_t id = 0; id < data.vocab.size(); ++id)
    ids.emplace(data.vocab[id], int32_t(id));
  bool ranked = data.mergeRanks.size() == data.merges.size();
  for (size_t r = 0; r < data.merges.size(); ++r) {
    auto [left, right] = data.merges[r];
    auto merged = ids.find(data.vocab[left] + data.vocab[right]);
    if (merged != ids.end())
      merges.emplace(
          uint64_t(uint32_t(left)) << 32 | uint32_t(right),
          Merge{ranked ? data.mergeRanks[r] : int32_t(r), merged->second});
  }
  bool byteLevel = data.model == TokenizerData::Model::ByteLevel;
  std::unordered_map<std::string, unsigned> charToByte;
  for (unsigned b = 0; b < 256; ++b) {
    char piece[8];
    std::snprintf(piece, sizeof piece, "<0x%02X>", b);
    std::string token = byteLevel ? byteCharacter(b) : std::string(piece);
    charToByte[byteCharacter(b)] = b;
    auto it = ids.find(token);
    byteToken[b] = it == ids.end() ? -1 : it->second;
  }
  tokenBytes.resize(data.vocab.size());
  for (size_t id = 0; id < data.vocab.size(); ++id) {
    const std::string &s = data.vocab[id];
    if (!byteLevel) {
      int byte = data.decodeByteFallback ? byteFallbackValue(s) : -1;
      tokenBytes[id] = byte >= 0 ? std::string(1, char(byte))
                                 : replaceAll(s, kMetaspace, " ");
      continue;
    }
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

/// Merges the adjacent pair of lowest rank, leftmost first on ties, until
/// no pair has a merge: a heap of candidate pairs over a linked list of
/// symbols, so a long word (SentencePiece words are whole segments) costs
/// O(n log n), not O(n^2).
void Tokenizer::merge(std::vector<int32_t> &symbols) const {
  size_t n = symbols.size();
  if (n < 2)
    return;
  std::vector<size_t> prev(n), next(n);
  for (size_t i = 0; i < n; ++i) {
    prev[i] = i - 1; // wraps to SIZE_MAX for the first
    next[i] = i + 1;
  }
  struct Candidate {
    int32_t rank;
    size_t left;
    int32_t leftId, rightId;
    bool operator>(const Candidate &o) const {
      return rank != o.rank ? rank > o.rank : left > o.left;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto consider = [&](size_t left) {
    if (left >= n || next[left] >= n)
      return;
    int32_t a = symbols[left], b = symbols[next[left]];
    auto it = merges.find(uint64_t(uint32_t(a)) << 32 | uint32_t(b));
    if (it != merges.end())
      heap.push({it->second.rank, left, a, b});
  };
  for (size_t i = 0; i + 1 < n; ++i)
    consider(i);
  std::vector<bool> alive(n, true);
  while (!heap.empty()) {
    Candidate c = heap.top();
    heap.pop();
    size_t right = next[c.left];
    // Stale: a neighbour merged since this pair was queued.
    if (!alive[c.left] || right >= n || symbols[c.left] != c.leftId ||
        symbols[right] != c.rightId)
      continue;
    symbols[c.left] =
        merges.at(uint64_t(uint32_t(c.leftId)) << 32 | uint32_t(c.rightId))
            .result;
    alive[right] = false;
    next[c.left] = next[right];
    if (next[right] < n)
      prev[next[right]] = c.left;
    consider(prev[c.left]);
    consider(c.left);
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i)
    if (alive[i])
      symbols[kept++] = symbols[i];
  symbols.resize(kept);
}

void Tokenizer::encodeByteLevel(std::string_view piece,
                                std::vector<int32_t> &out) const {
  if (data.ignoreMerges) {
    std::string chars;
    for (unsigned char b : piece)
      chars += byteCharacter(b);
    if (auto it = ids.find(chars); it != ids.end()) {
      out.push_back(it->second);
      return;
    }
  }
  std::vector<int32_t> symbols;
  for (unsigned char b : piece)
    if (byteToken[b] >= 0)
      symbols.push_back(byteToken[b]);
  merge(symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
}

/// One SentencePiece word: its characters, or their bytes as <0xNN> pieces
/// (or <unk>, consecutive ones fused) when a character is not a token.
void Tokenizer::encodeWord(std::string_view word,
                           std::vector<int32_t> &out) const {
  std::vector<int32_t> symbols;
  for (size_t i = 0; i < word.size();) {
    size_t start = i;
    nextCodePoint(word, i);
    std::string_view ch = word.substr(start, i - start);
    if (auto it = ids.find(std::string(ch)); it != ids.end()) {
      symbols.push_back(it->second);
      continue;
    }
    bool bytes = data.byteFallback;
    for (unsigned char b : ch)
      bytes = bytes && byteToken[b] >= 0;
    if (bytes) {
      for (unsigned char b : ch)
        symbols.push_back(byteToken[b]);
    } else if (data.unk >= 0 &&
               (symbols.empty() || symbols.back() != data.unk)) {
      symbols.push_back(data.unk);
    }
  }
  merge(symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
}

void Tokenizer::encodeSegment(std::string_view text, bool atStart,
                              std::vector<int32_t> &out) const {
  using Split = TokenizerData::Split;
  if (data.model == TokenizerData::Model::ByteLevel) {
    if (data.split == Split::Gpt2)
      for (std::string_view piece : pretokenizeGpt2(text))
        encodeByteLevel(piece, out);
    else if (data.split == Split::Llama3)
      for (std::string_view piece : pretokenizeLlama3(text))
        encodeByteLevel(piece, out);
    else if (!text.empty())
      encodeByteLevel(text, out);
    return;
  }
  if (text.empty())
    return;
  std::string normalized = replaceAll(text, " ", kMetaspace);
  bool startsWithMetaspace = normalized.compare(0, 3, kMetaspace) == 0;
  switch (data.prepend) {
  case TokenizerData::Prepend::Never:
    break;
  case TokenizerData::Prepend::Always:
    normalized.insert(0, kMetaspace);
    break;
  case TokenizerData::Prepend::IfMissing:
    if (!startsWithMetaspace)
      normalized.insert(0, kMetaspace);
    break;
  case TokenizerData::Prepend::First:
    if (atStart && !startsWithMetaspace)
      normalized.insert(0, kMetaspace);
    break;
  }
  if (data.split != Split::Metaspace) {
    encodeWord(normalized, out);
    return;
  }
  // Words start at each U+2581.
  size_t start = 0;
  for (size_t i = 3; i <= normalized.size(); ++i)
    if (i == normalized.size() || normalized.compare(i, 3, kMetaspace) == 0) {
      encodeWord(std::string_view(normalized).substr(start, i - start), out);
      start = i;
    }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text,
                                       bool allowSpecial) const {
  std::vector<int32_t> out;
  size_t i = 0, plain = 0;
  auto flush = [&](size_t end) {
    encodeSegment(text.substr(plain, end - plain), plain == 0, out);
  };
  while (allowSpecial && i < text.size()) {
    const std::pair<std::string, int32_t> *match = nullptr;
    for (const auto &special : data.specials)
      if (!special.first.empty() &&
          text.compare(i, special.first.size(), special.first) == 0 &&
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
  bool first = true;
  for (int32_t id : tokens) {
    if (id < 0 || size_t(id) >= tokenBytes.size())
      continue;
    if (first && data.strip == TokenizerData::Strip::FirstToken &&
        tokenBytes[id] != data.vocab[id] &&
        byteFallbackValue(data.vocab[id]) < 0)
      out += replaceAll(data.vocab[id], kMetaspace, "");
    else
      out += tokenBytes[id];
    first = false;
  }
  if (data.strip == TokenizerData::Strip::LeadingSpace && !out.empty() &&
      out[0] == ' ')
    out.erase(0, 1);
  return out;
}

// Serialized form: "tern-tokenizer <version>\n", the options line
//   options <model> <split> <prepend> <ignore_merges> <byte_fallback>
//           <decode_byte_fallback> <strip> <unk>\n
// (the enums' values as numbers), then three sections of records, each
// string written as <byte length> ' ' <bytes> '\n':
//   vocab <n>\n  n strings
//   merges <m>\n m lines "<id> <id>" (version 2), "<id> <id> <rank>" (3)
//   specials <k>\n k lines "<id> " + string
// Version 3 differs only in carrying mergeRanks; data without them is
// written as version 2, so artifacts of BPE vocabularies stay readable by
// a runtime that knows only version 2.
std::string TokenizerData::serialize() const {
  bool ranked = !mergeRanks.empty();
  assert((!ranked || mergeRanks.size() == merges.size()) &&
         "mergeRanks must be empty or give one rank per merge");
  std::ostringstream os;
  os << "tern-tokenizer " << (ranked ? 3 : 2) << "\noptions " << int(model)
     << ' ' << int(split) << ' ' << int(prepend) << ' ' << int(ignoreMerges)
     << ' ' << int(byteFallback) << ' ' << int(decodeByteFallback) << ' '
     << int(strip) << ' ' << unk << '\n';
  os << "vocab " << vocab.size() << '\n';
  for (const std::string &v : vocab)
    os << v.size() << ' ' << v << '\n';
  os << "merges " << merges.size() << '\n';
  for (size_t i = 0; i < merges.size(); ++i) {
    os << merges[i].first << ' ' << merges[i].second;
    if (ranked)
      os << ' ' << mergeRanks[i];
    os << '\n';
  }
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
  bool ranked = expectWord("tern-tokenizer 3\n");
  if (!ranked && !expectWord("tern-tokenizer 2\n"))
    return fail("bad magic (expected tern-tokenizer 2 or 3)");
  int64_t options[8];
  if (!expectWord("options"))
    return fail("bad options record");
  for (int64_t &v : options)
    if (!separator(' ') || !number(v))
      return fail("bad options record");
  if (!separator('\n') || options[0] < 0 || options[0] > 1 || options[1] < 0 ||
      options[1] > 3 || options[2] < 0 || options[2] > 3 || options[6] < 0 ||
      options[6] > 2 || options[7] < -1)
    return fail("bad options record");
  out.model = TokenizerData::Model(options[0]);
  out.split = TokenizerData::Split(options[1]);
  out.prepend = TokenizerData::Prepend(options[2]);
  out.ignoreMerges = options[3] != 0;
  out.byteFallback = options[4] != 0;
  out.decodeByteFallback = options[5] != 0;
  out.strip = TokenizerData::Strip(options[6]);
  out.unk = int32_t(options[7]);
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
    int64_t a, b, rank = 0;
    if (!number(a) || !separator(' ') || !number(b) ||
        (ranked && (!separator(' ') || !number(rank))) || !separator('\n') ||
        a < 0 || b < 0 || a >= vocabSize || b >= vocabSize)
      return fail("bad merge");
    if (ranked) {
      if (rank > INT32_MAX ||
          rank < (out.mergeRanks.empty() ? 0 : out.mergeRanks.back()))
        return fail("bad merge rank (ranks must be non-decreasing)");
      out.mergeRanks.push_back(int32_t(rank));
    }
    out.merges.emplace_back(int32_t(a), int32_t(b));
  }
  if (!expectWord("specials ") || !number(count) || count < 0 ||
      !separator('\n'))
    return fail("bad specials record");
  for (int64_t i = 0; i < count; ++i) {
    int64_t id;
    std::string text;
    if (!number(id) || !separator(' ') || !string(text) || id < 0 ||
        id >= vocabSize)
      return fail("bad special token");
    out.specials.emplace_back(text, int32_t(id));
  }
  if (out.unk >= vocabSize)
    return fail("bad unk id");
  return true;
}

} // namespace tern
