"""Byte-level BPE tokenizer (GPT-2 / Llama-3 style): trainer, encoder/decoder and a
Hugging Face ``tokenizer.json`` writer/reader.

Pipeline (encode):
  1. Special tokens (e.g. ``<|begin_of_text|>``) are matched literally first when
     ``allow_special=True``; the text between them is encoded normally.
  2. Pre-tokenization with exactly this regex (GPT-2's pattern, Unicode-aware; Python
     ``regex`` module syntax, also valid for Oniguruma / Rust ``fancy-regex``)::

         's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+

     i.e. (in order, leftmost alternative wins): English contractions (case-sensitive,
     ASCII apostrophe only); an optional single space followed by a run of letters; an
     optional space + a run of numeric chars (\\p{N}, any length: no 3-digit grouping);
     an optional space + a run of chars that are neither whitespace, letters nor
     numbers; a run of whitespace not followed by a non-space (so the last whitespace
     char is left to prefix the next word); any remaining whitespace run.
     ``\\s`` is Unicode whitespace. tokenizer.json records it as a ``Split`` pre-tokenizer
     (behavior "Isolated") followed by ``ByteLevel`` with ``use_regex: false``.
  3. Each piece is UTF-8 encoded and every byte mapped to a printable unicode char with
     GPT-2's ``bytes_to_unicode`` table (printable Latin-1 bytes map to themselves, the
     other 68 bytes to U+0100.. in byte order).
  4. Merges are applied by rank: repeatedly merge the adjacent pair with the lowest merge
     rank (leftmost first on ties) until no pair is in the merge table. Then each symbol
     is looked up in the vocab. All 256 byte symbols are in the vocab, so any UTF-8 text
     encodes (no unknown token) and decode(encode(s)) == s.
Decode: concatenate token strings, map chars back to bytes, UTF-8 decode (errors="replace"
only matters for token sequences that split a multi-byte char).
"""
import collections
import json

try:
    import regex as _re
except ImportError:  # pragma: no cover - python3-regex is a Debian package
    raise ImportError("tern.tokenizer.bpe needs the 'regex' module (apt-get install python3-regex)")

__all__ = ["PRETOKENIZE_REGEX", "bytes_to_unicode", "ByteLevelBPE", "train_bpe",
           "BOS_TOKEN", "EOS_TOKEN"]

PRETOKENIZE_REGEX = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
BOS_TOKEN = "<|begin_of_text|>"
EOS_TOKEN = "<|end_of_text|>"

_PAT = _re.compile(PRETOKENIZE_REGEX)


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode char map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


_B2U = bytes_to_unicode()
_U2B = {v: k for k, v in _B2U.items()}


def pretokenize(text):
    return _PAT.findall(text)


def _to_symbols(piece):
    return "".join(_B2U[b] for b in piece.encode("utf-8"))


class ByteLevelBPE:
    def __init__(self, vocab, merges, special_tokens=()):
        """vocab: {token string: id}; merges: list of (a, b) in rank order;
        special_tokens: list of strings already present in vocab."""
        self.vocab = dict(vocab)
        self.inv_vocab = {i: t for t, i in self.vocab.items()}
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.special_tokens = list(special_tokens)
        for s in self.special_tokens:
            if s not in self.vocab:
                raise ValueError(f"special token {s!r} not in vocab")
        self.special_ids = {self.vocab[s] for s in self.special_tokens}
        self._cache = {}
        if self.special_tokens:
            self._special_pat = _re.compile("(" + "|".join(_re.escape(s) for s in
                                                         sorted(self.special_tokens, key=len, reverse=True)) + ")")
        else:
            self._special_pat = None

    # ------------------------------------------------------------------ properties
    @property
    def vocab_size(self):
        return len(self.vocab)

    def token_id(self, tok):
        return self.vocab[tok]

    @property
    def bos_id(self):
        return self.vocab.get(BOS_TOKEN)

    @property
    def eos_id(self):
        return self.vocab.get(EOS_TOKEN)

    # ------------------------------------------------------------------ encode
    def _bpe(self, symbols):
        cached = self._cache.get(symbols)
        if cached is not None:
            return cached
        word = list(symbols)
        ranks = self.ranks
        while len(word) > 1:
            best = None
            best_rank = None
            for i in range(len(word) - 1):
                r = ranks.get((word[i], word[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            a, b = word[best], word[best + 1]
            # merge every occurrence of (a, b), left to right (same rank)
            new = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == a and word[i + 1] == b:
                    new.append(a + b)
                    i += 2
                else:
                    new.append(word[i])
                    i += 1
            word = new
        ids = [self.vocab[s] for s in word]
        if len(self._cache) < 200000:
            self._cache[symbols] = ids
        return ids

    def _encode_ordinary(self, text):
        out = []
        for piece in _PAT.findall(text):
            out.extend(self._bpe(_to_symbols(piece)))
        return out

    def encode(self, text, allow_special=False, add_bos=False):
        ids = [self.bos_id] if add_bos else []
        if allow_special and self._special_pat is not None:
            for part in self._special_pat.split(text):
                if not part:
                    continue
                if part in self.vocab and part in self.special_tokens:
                    ids.append(self.vocab[part])
                else:
                    ids.extend(self._encode_ordinary(part))
        else:
            ids.extend(self._encode_ordinary(text))
        return ids

    # ------------------------------------------------------------------ decode
    def decode_bytes(self, ids, skip_special=False):
        out = bytearray()
        for i in ids:
            tok = self.inv_vocab[int(i)]
            if int(i) in self.special_ids:
                if not skip_special:
                    out += tok.encode("utf-8")
                continue
            out += bytes(_U2B[c] for c in tok)
        return bytes(out)

    def decode(self, ids, skip_special=False):
        return self.decode_bytes(ids, skip_special).decode("utf-8", errors="replace")

    # ------------------------------------------------------------------ HF JSON
    def to_tokenizer_json(self):
        added = [{"id": self.vocab[s], "content": s, "single_word": False, "lstrip": False,
                  "rstrip": False, "normalized": False, "special": True}
                 for s in self.special_tokens]
        bos = BOS_TOKEN if BOS_TOKEN in self.vocab else None
        post = None
        if bos is not None:
            post = {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                           {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                         {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": bos, "type_id": 1}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {bos: {"id": bos, "ids": [self.vocab[bos]], "tokens": [bos]}},
            }
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": PRETOKENIZE_REGEX},
                     "behavior": "Isolated", "invert": False},
                    {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                     "use_regex": False},
                ],
            },
            "post_processor": post,
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                        "use_regex": True},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None,
                "continuing_subword_prefix": None, "end_of_word_suffix": None,
                "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": {t: i for t, i in sorted(self.vocab.items(), key=lambda kv: kv[1])
                          if t not in self.special_tokens},
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_tokenizer_json(), f, ensure_ascii=False, indent=None)
            f.write("\n")

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        m = d["model"]
        if m.get("type") != "BPE":
            raise ValueError(f"{path}: model type {m.get('type')!r} is not BPE")
        vocab = dict(m["vocab"])
        specials = []
        for t in d.get("added_tokens", []):
            vocab[t["content"]] = t["id"]
            if t.get("special"):
                specials.append(t["content"])
        merges = [tuple(x.split(" ")) if isinstance(x, str) else tuple(x) for x in m["merges"]]
        return cls(vocab, merges, specials)

    def save_tokenizer_config(self, path, model_max_length=256):
        cfg = {
            "added_tokens_decoder": {str(self.vocab[s]): {
                "content": s, "lstrip": False, "normalized": False, "rstrip": False,
                "single_word": False, "special": True} for s in self.special_tokens},
            "bos_token": BOS_TOKEN if BOS_TOKEN in self.vocab else None,
            "eos_token": EOS_TOKEN if EOS_TOKEN in self.vocab else None,
            "clean_up_tokenization_spaces": False,
            "model_input_names": ["input_ids", "attention_mask"],
            "model_max_length": model_max_length,
            "tokenizer_class": "PreTrainedTokenizerFast",
        }
        with open(path, "w") as f:
            json.dump(cfg, f, indent=2)
            f.write("\n")


def learn_merges(word_counts, n_merges, min_frequency=2, verbose=False):
    """BPE merges from a Counter of pre-token words (strings of symbols).

    Each step merges the most frequent adjacent pair over all words weighted
    by count; ties are broken by the lexicographically smallest pair, so
    training is deterministic. Stops after n_merges or when the best pair
    occurs fewer than min_frequency times.
    """
    import heapq
    words = [list(w) for w in word_counts]
    counts = [word_counts[w] for w in word_counts]
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)
    for wi, w in enumerate(words):
        c = counts[wi]
        for a, b in zip(w, w[1:]):
            pair_counts[(a, b)] += c
            where[(a, b)].add(wi)

    merges = []
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    while len(merges) < n_merges and heap:
        negc, pair = heapq.heappop(heap)
        cur = pair_counts.get(pair, 0)
        if cur != -negc:
            if cur > 0:
                heapq.heappush(heap, (-cur, pair))
            continue
        if cur < min_frequency:
            break
        a, b = pair
        merged = a + b
        merges.append(pair)
        changed = set()
        for wi in list(where.pop(pair, ())):
            w = words[wi]
            c = counts[wi]
            # remove old pair counts of this word
            for x, y in zip(w, w[1:]):
                pair_counts[(x, y)] -= c
            new = []
            i = 0
            while i < len(w):
                if i < len(w) - 1 and w[i] == a and w[i + 1] == b:
                    new.append(merged)
                    i += 2
                else:
                    new.append(w[i])
                    i += 1
            words[wi] = new
            for x, y in zip(new, new[1:]):
                pair_counts[(x, y)] += c
                where[(x, y)].add(wi)
                changed.add((x, y))
        pair_counts.pop(pair, None)
        for p in changed:
            if pair_counts.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
        if verbose and len(merges) % 500 == 0:
            print(f"  bpe: {len(merges)} merges, last {merged!r} x{cur}", flush=True)
    return merges


def train_bpe(texts, vocab_size=2048, special_tokens=(BOS_TOKEN, EOS_TOKEN), min_frequency=2,
              verbose=False):
    """Learn byte-level BPE merges from an iterable of strings.

    vocab = 256 byte symbols (ids 0..255 in byte order) + merges (ids in merge order)
    + special tokens (last ids); merges as learn_merges makes them.
    """
    word_counts = collections.Counter()
    for t in texts:
        for piece in _PAT.findall(t):
            word_counts[_to_symbols(piece)] += 1
    vocab = {_B2U[b]: b for b in range(256)}
    merges = learn_merges(word_counts, vocab_size - 256 - len(special_tokens),
                          min_frequency, verbose)
    for a, b in merges:
        vocab[a + b] = len(vocab)
    for s in special_tokens:
        vocab[s] = len(vocab)
    return ByteLevelBPE(vocab, merges, special_tokens)
