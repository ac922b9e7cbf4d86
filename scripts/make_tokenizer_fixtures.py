#!/usr/bin/python3
"""Make small Hugging Face ``tokenizer.json`` fixtures with reference encodings.

Run with Debian's python (needs python3-regex, python3-sentencepiece, node + npm):

    /usr/bin/python3 scripts/make_tokenizer_fixtures.py

Writes test/Import/HF/Inputs/tokenizers/<name>/{tokenizer.json,tokenizer_config.json,
expected.json} for

  gpt2       byte-level BPE, GPT-2 layout (ByteLevel pre-tokenizer with its built-in regex)
  llama3     byte-level BPE, Llama-3 layout (Split with the Llama-3 regex + ByteLevel,
             ignore_merges: true, <|begin_of_text|> ... special tokens)
  llama2-sp  SentencePiece BPE (trained here with sentencepiece, byte_fallback) converted to
             the Llama-2 "legacy" tokenizer.json layout (Prepend/Replace normalizer,
             ByteFallback/Fuse/Strip decoder)
  metaspace  the same SentencePiece vocab/merges in the newer Metaspace layout
             (prepend_scheme "first", split false; merges written as [a, b] pairs)

The tokenizers are trained here on English text that ships in Debian packages (fortunes,
common-licenses) plus a fixed set of non-English sentences, so that non-ASCII merges exist.

expected.json holds, for ~40 tricky strings, the ids produced by Hugging Face's own Rust
``tokenizers`` (through the ``tokenizers`` npm package's N-API bindings), cross-checked with
tokenizers.js and transformers.js (scripts/tokenizer_reference.mjs installs all three into a
directory outside the repo) and, for llama2-sp, with sentencepiece itself. ids are the
encoding with add_special_tokens=false (no BOS) but with added special tokens written in the
text recognised; decoded is decode(ids, skip_special_tokens=false).
"""
import collections
import glob
import heapq
import json
import os
import subprocess
import sys
import tempfile

import regex

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from tern.tokenizer.bpe import bytes_to_unicode, learn_merges  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "Import", "HF", "Inputs", "tokenizers")
NODE_SCRIPT = os.path.join(ROOT, "scripts", "tokenizer_reference.mjs")

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3_PATTERN = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"""
                  r""" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""")
LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>",
                   "<|start_header_id|>", "<|end_header_id|>"]
# Whole pre-tokens added to the llama3 vocab *without* merges that build them, so that
# `ignore_merges: true` visibly changes the result (the merges alone split them).
# The last three also probe the pre-tokenizer: "'S" and "'ſ" are one pre-token only if
# (?i:'s) matches them (case folding; U+017F folds to s), "\u00a0breaking" only if NBSP is
# taken as the optional [^\r\n\p{L}\p{N}] prefix of a letter run.
LLAMA3_IGNORE_MERGES_WORDS = [" naïve", " résumé", "Hello", " tokenizer", "'S", "'ſ",
                              "\u00a0breaking"]

BYTE_LEVEL_VOCAB = 1000
SP_VOCAB = 1000

# ---------------------------------------------------------------------------- corpus
FORTUNE_FILES = ["computers", "science", "literature", "wisdom", "linux", "education",
                 "humorists", "work"]
LICENSE_FILES = ["GPL-3", "Apache-2.0", "MPL-2.0"]

EXTRA_SENTENCES = [
    "Le café est très bon, naïve résumé à la crème brûlée; voilà, déjà vu, façade, garçon.",
    "Über die Straße gehen schöne Mädchen, größer als Jürgen; Ärger, Öl, Übung.",
    "El niño comió piñata en España; ¿Qué tal? ¡Olé! señor, mañana, corazón, acción.",
    "Português: ação, coração, não, pão, informação; São Paulo é grande.",
    "Dziękuję, łódź, żółć, część; Čeština: příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Русский текст: привет, мир! Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Ελληνικά: γειά σου κόσμε, καλημέρα, ευχαριστώ πολύ.",
    "日本語のテキストです。東京は日本の首都です。こんにちは、世界！ありがとうございます。",
    "中文文本：你好，世界！我们喜欢学习中文。北京是中国的首都。",
    "한국어 텍스트: 안녕하세요, 세계! 감사합니다.",
    "العربية: مرحبا بالعالم، شكرا جزيلا. اللغة العربية جميلة.",
    "עברית: שלום עולם, תודה רבה. השפה העברית יפה.",
    "हिन्दी: नमस्ते दुनिया, धन्यवाद।",
    "Emoji: 👍 👍🏽 😀 😂 ❤️ 🎉 🚀 👨‍👩‍👧 🇫🇷 🇯🇵 ✅ ⭐",
    "Math: ∑ x² ≤ ∞, α + β = γ, ½ + ¼ = ¾, 3 × 4 ÷ 2 ≠ 7, √2 ≈ 1.414, π ≈ 3.14159.",
    "Quotes: “double” ‘single’ «guillemets» — em dash – en dash … ellipsis • bullet © ® ™ € £ ¥",
    "Ligatures: ﬁnance ﬂow ﬀ; non\u00a0breaking\u00a0space; combining e\u0301 a\u0308 n\u0303.",
    "Bonjour\u00a0! Ça va\u00a0? Oui\u00a0: très bien\u00a0; 10\u00a0000\u00a0€ et 2\u00a0500\u00a0habitants.",
    "IT'S TRUE, I'M SURE WE'LL WIN; DON'T STOP, THEY'RE HERE, YOU'VE SEEN IT, HE'D GO. It'S fine.",
    "Call 555-1234 or 1-800-123-4567. In 2024, 12,345 people paid $1,299.99; pi = 3.14159265358979;",
    "1000000 / 7 = 142857.142857; 2023-11-23 10:30:45; 100% of 250 is 250, 2^10 = 1024, 1,000,000.",
]


def load_corpus():
    texts, used = [], []
    for name in FORTUNE_FILES:
        p = os.path.join("/usr/share/games/fortunes", name)
        if os.path.exists(p):
            with open(p, encoding="utf-8", errors="replace") as f:
                texts.append(f.read().replace("\n%\n", "\n\n"))
            used.append(p)
    for name in LICENSE_FILES:
        p = os.path.join("/usr/share/common-licenses", name)
        if os.path.exists(p):
            with open(p, encoding="utf-8", errors="replace") as f:
                texts.append(f.read())
            used.append(p)
    if not used:
        sys.exit("no training text found (apt-get install fortunes)")
    uni = "\n".join(EXTRA_SENTENCES) + "\n"
    texts.append(uni * 25)
    used.append("EXTRA_SENTENCES x25 (in this script)")
    return texts, used


# ---------------------------------------------------------------------------- test strings
CASES = [
    "",
    " ",
    "   ",
    "\n",
    "Hello world",
    "  leading spaces",
    "trailing spaces   ",
    "multiple    spaces  between   words",
    "\ttab\tseparated\t",
    "a\n\nb",
    "\r\n",
    "line one\r\nline two\r\n",
    "end of line \n  indented\n\n\n",
    "12345678",
    "3.14159",
    "1,000,000 and 2024-01-15",
    "I'M sure they'll say it's fine, but DON'T.",
    "We'VE, you'D, She'S, it'S, I'Ll",
    "don't vs don’t (curly apostrophe)",
    "it'ſ (long s after apostrophe)",
    "...!!!???",
    "x = f(a, b) + 42; // code\n\tif (x) { return y; }",
    "snake_case_identifier and CamelCaseWord",
    "café naïve résumé",
    "Straße ÜBER über",
    "日本語のテキスト",
    "你好，世界！",
    "👍🏽 👨‍👩‍👧 🇫🇷",
    "مرحبا بالعالم",
    "שלום עולם",
    "e\u0301 vs \u00e9, a\u0308 and Z\u0351\u036b\u0343A",
    "Ⅻ ½ ² ٣٤٥٦ digits",
    "\ufffd replacement char",
    "non\u00a0breaking\u00a0space",
    "\u3000ideographic space and\u2028line separator",
    "ﬁnance ﬂow",
    "Hello<|eot_id|>world",
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>",
    "<|endoftext|>The end.<|endoftext|>",
    "<s>Hi</s> there <unk>",
    " naïve Hello tokenizer",
    ("The quick brown fox jumps over the lazy dog. In 2023, Zoë paid €1,299.99 for a "
     "naïve café's “premium” résumé service — 50% off! 日本語 and 中文 too; emoji 🚀🎉. "
     "Then she said: \"DON'T stop\"...\tTabs,\nnewlines\r\nand   spaces."),
]


# ---------------------------------------------------------------------------- byte-level BPE
B2U = bytes_to_unicode()


def to_byte_symbols(s):
    return "".join(B2U[b] for b in s.encode("utf-8"))


def train_byte_bpe(texts, pattern, n_merges):
    """Most-frequent-pair BPE over byte-level pre-tokens; ties -> smallest pair."""
    pat = regex.compile(pattern)
    wc = collections.Counter()
    for t in texts:
        for piece in pat.findall(t):
            wc[to_byte_symbols(piece)] += 1
    return learn_merges(wc, n_merges, min_frequency=2)


def bpe_apply(symbols, ranks):
    """Plain rank-ordered BPE on one pre-token (used to check the ignore_merges words)."""
    word = list(symbols)
    while len(word) > 1:
        best = min(((ranks[(word[i], word[i + 1])], i) for i in range(len(word) - 1)
                    if (word[i], word[i + 1]) in ranks), default=None)
        if best is None:
            break
        i = best[1]
        word[i:i + 2] = [word[i] + word[i + 1]]
    return word


def byte_level_vocab(merges):
    vocab = {c: i for i, c in enumerate(B2U.values())}  # GPT-2 order: printable bytes first
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab


def added_token(tid, content, normalized):
    return {"id": tid, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": normalized, "special": True}


def bpe_model(vocab, merges, **kw):
    m = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
         "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False}
    m.update(kw)
    m["vocab"] = vocab
    m["merges"] = merges
    return m


def make_gpt2(texts):
    merges = train_byte_bpe(texts, GPT2_PATTERN, BYTE_LEVEL_VOCAB - 256 - 1)
    vocab = byte_level_vocab(merges)
    eot = len(vocab)
    vocab["<|endoftext|>"] = eot          # GPT-2 keeps it in the model vocab too
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added_token(eot, "<|endoftext|>", True)],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": bpe_model(vocab, [f"{a} {b}" for a, b in merges],
                           continuing_subword_prefix="", end_of_word_suffix=""),
    }
    cfg = {"add_prefix_space": False, "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
           "unk_token": "<|endoftext|>", "clean_up_tokenization_spaces": False,
           "model_max_length": 1024, "tokenizer_class": "PreTrainedTokenizerFast",
           "added_tokens_decoder": {str(eot): {k: v for k, v in added_token(eot, "<|endoftext|>", True).items()
                                               if k != "id"}}}
    return tok, cfg, {"merges": len(merges)}


def make_llama3(texts):
    n_extra = len(LLAMA3_IGNORE_MERGES_WORDS)
    merges = train_byte_bpe(texts, LLAMA3_PATTERN, BYTE_LEVEL_VOCAB - 256 - n_extra)
    vocab = byte_level_vocab(merges)
    ranks = {m: i for i, m in enumerate(merges)}
    extra = {}
    for w in LLAMA3_IGNORE_MERGES_WORDS:
        sym = to_byte_symbols(w)
        split = bpe_apply(sym, ranks)
        if sym in vocab or len(split) < 2:
            sys.exit(f"llama3: ignore_merges word {w!r} is already one token; pick another")
        vocab[sym] = len(vocab)
        extra[w] = {"token": sym, "id": vocab[sym], "merges_alone_give": split}
    first_special = len(vocab)
    added = [added_token(first_special + i, s, False) for i, s in enumerate(LLAMA3_SPECIALS)]
    bos = LLAMA3_SPECIALS[0]
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": LLAMA3_PATTERN}, "behavior": "Isolated",
             "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": False}]},
        "post_processor": {"type": "Sequence", "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
             "use_regex": True},
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                        {"Sequence": {"id": "A", "type_id": 0}}],
             "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                      {"Sequence": {"id": "A", "type_id": 0}},
                      {"SpecialToken": {"id": bos, "type_id": 1}},
                      {"Sequence": {"id": "B", "type_id": 1}}],
             "special_tokens": {bos: {"id": bos, "ids": [first_special], "tokens": [bos]}}}]},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": bpe_model(vocab, [f"{a} {b}" for a, b in merges], ignore_merges=True),
    }
    cfg = {"bos_token": bos, "eos_token": "<|eot_id|>", "clean_up_tokenization_spaces": False,
           "model_input_names": ["input_ids", "attention_mask"], "model_max_length": 8192,
           "tokenizer_class": "PreTrainedTokenizerFast",
           "added_tokens_decoder": {str(a["id"]): {k: v for k, v in a.items() if k != "id"}
                                    for a in added}}
    return tok, cfg, {"merges": len(merges), "ignore_merges_words": extra}


# ---------------------------------------------------------------------------- SentencePiece
def train_sentencepiece(texts, workdir):
    import sentencepiece as spm
    path = os.path.join(workdir, "corpus.txt")
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            for line in t.split("\n"):
                if line.strip():
                    f.write(line + "\n")
    prefix = os.path.join(workdir, "sp")
    spm.SentencePieceTrainer.train(
        input=path, model_prefix=prefix, model_type="bpe", vocab_size=SP_VOCAB,
        byte_fallback=True, character_coverage=0.9995,
        # Llama-2's trainer settings that matter for conversion:
        normalization_rule_name="identity", add_dummy_prefix=True,
        remove_extra_whitespaces=False, split_digits=True, allow_whitespace_only_pieces=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        input_sentence_size=0, shuffle_input_sentence=False, num_threads=1,
        max_sentence_length=16384, minloglevel=2)
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def sp_vocab_and_merges(sp):
    """Vocab = every piece by id. Merges = every (a, b) of ordinary pieces whose
    concatenation is an ordinary piece, ordered by id(a+b), then id(a), id(b)
    (SentencePiece BPE merges by piece score, and a BPE piece's score falls with its id).
    Control, unknown and byte pieces never take part in merges."""
    n = sp.get_piece_size()
    vocab = {sp.id_to_piece(i): i for i in range(n)}
    normal = {sp.id_to_piece(i): i for i in range(n)
              if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i) or sp.is_unused(i))}
    merges = []
    for piece, pid in normal.items():
        for k in range(1, len(piece)):
            a, b = piece[:k], piece[k:]
            if a in normal and b in normal:
                merges.append((pid, normal[a], normal[b], a, b))
    merges.sort()
    # Also note whether taking *all* pieces (incl. <0xNN>, <s>...) would add anything.
    extra = 0
    for piece, pid in vocab.items():
        for k in range(1, len(piece)):
            a, b = piece[:k], piece[k:]
            if a in vocab and b in vocab and not (piece in normal and a in normal and b in normal):
                extra += 1
    return vocab, [(a, b) for _, _, _, a, b in merges], extra


def sp_special_added(sp):
    return [added_token(i, sp.id_to_piece(i), False) for i in range(3)]


def llama_template():
    return {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}


def make_llama2_sp(sp, vocab, merges):
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": sp_special_added(sp),
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
        "pre_tokenizer": None,
        "post_processor": llama_template(),
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": bpe_model(vocab, [f"{a} {b}" for a, b in merges], unk_token="<unk>",
                           fuse_unk=True, byte_fallback=True),
    }
    cfg = {"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>",
           "unk_token": "<unk>", "pad_token": None, "legacy": True,
           "clean_up_tokenization_spaces": False, "model_max_length": 4096,
           "tokenizer_class": "PreTrainedTokenizerFast"}
    return tok, cfg


def make_metaspace(sp, vocab, merges):
    ms = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False}
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": sp_special_added(sp),
        "normalizer": None,
        "pre_tokenizer": dict(ms),
        "post_processor": llama_template(),
        "decoder": dict(ms),
        # merges in the newer [a, b] pair form (tokenizers >= 0.20 writes this)
        "model": bpe_model(vocab, [[a, b] for a, b in merges], unk_token="<unk>",
                           fuse_unk=True, byte_fallback=True, ignore_merges=False),
    }
    cfg = {"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>",
           "unk_token": "<unk>", "pad_token": None, "legacy": False, "add_prefix_space": None,
           "clean_up_tokenization_spaces": False, "model_max_length": 4096,
           "tokenizer_class": "PreTrainedTokenizerFast"}
    return tok, cfg


# ---------------------------------------------------------------------------- output
_INVISIBLE = regex.compile(r"[[\p{Z}\p{C}\p{M}]--[\x00-\x7f]]", regex.V1)


def _json_escape(c):
    o = ord(c)
    if o < 0x10000:
        return f"\\u{o:04x}"
    o -= 0x10000
    return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"


def _dumps(obj, **kw):
    """json.dumps with UTF-8 kept, except that non-ASCII spaces, format/control chars and
    combining marks (they only occur inside strings here) are \\u-escaped so they show."""
    text = json.dumps(obj, ensure_ascii=False, **kw)
    return _INVISIBLE.sub(lambda m: "".join(_json_escape(c) for c in m.group()), text)


def write_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        elif "cases" in obj:
            # one case per line: readable diffs without one line per id
            head = {k: v for k, v in obj.items() if k != "cases"}
            text = _dumps(head, indent=1)
            f.write(text[:-2] + ',\n "cases": [\n')
            f.write(",\n".join("  " + _dumps(c) for c in obj["cases"]))
            f.write("\n ]\n}")
        else:
            f.write(_dumps(obj, indent=1))
        f.write("\n")


def run_references(names):
    req = {"tokenizers": [{"name": n, "dir": os.path.join(OUT, n)} for n in names],
           "texts": CASES}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(req, f, ensure_ascii=False)
        reqpath = f.name
    try:
        res = subprocess.run(["node", NODE_SCRIPT, reqpath], check=True, stdout=subprocess.PIPE)
    finally:
        os.unlink(reqpath)
    return json.loads(res.stdout.decode("utf-8"))


def main():
    texts, used = load_corpus()
    os.makedirs(OUT, exist_ok=True)
    notes = {}

    tok, cfg, info = make_gpt2(texts)
    notes["gpt2"] = info
    tokenizers = {"gpt2": (tok, cfg)}
    tok, cfg, info = make_llama3(texts)
    notes["llama3"] = info
    tokenizers["llama3"] = (tok, cfg)

    with tempfile.TemporaryDirectory() as wd:
        sp = train_sentencepiece(texts, wd)
        vocab, merges, extra = sp_vocab_and_merges(sp)
        notes["llama2-sp"] = notes["metaspace"] = {
            "merges": len(merges),
            "pairs_only_if_control_unk_byte_pieces_counted": extra}
        tokenizers["llama2-sp"] = make_llama2_sp(sp, vocab, merges)
        tokenizers["metaspace"] = make_metaspace(sp, vocab, merges)
        sp_res = []
        for t in CASES:
            ids = sp.encode(t)
            sp_res.append({"ids": ids, "decoded": sp.decode(ids)})
        import sentencepiece
        sp_version = f"sentencepiece (python3-sentencepiece) {sentencepiece.__version__}"

    for name, (tok, cfg) in tokenizers.items():
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        write_json(os.path.join(d, "tokenizer.json"), tok, compact=True)
        write_json(os.path.join(d, "tokenizer_config.json"), cfg)

    ref = run_references(list(tokenizers))
    labels = ref["references"]
    summary = {}
    for name in tokenizers:
        r = ref["results"][name]
        cases, disagree = [], collections.defaultdict(list)
        for i, text in enumerate(CASES):
            main_ = r["rust"][i]
            if "error" in main_:
                sys.exit(f"{name}: Rust tokenizers failed on {text!r}: {main_['error']}")
            case = {"text": text, "ids": main_["ids"], "tokens": main_["tokens"],
                    "decoded": main_["decoded"]}
            others = {}
            for key in ("tjs", "tf"):
                o = r[key][i]
                if "error" in o or o["ids"] != main_["ids"] or o["decoded"] != main_["decoded"]:
                    others[labels[key]] = {k: v for k, v in o.items() if k != "tokens"}
                    disagree[labels[key]].append(i)
            if name == "llama2-sp":
                s = sp_res[i]
                case["sentencepiece_ids"] = s["ids"]
                if s["ids"] != main_["ids"] or s["decoded"] != main_["decoded"]:
                    others[sp_version] = s
                    disagree[sp_version].append(i)
            if others:
                case["other_references_disagree"] = others
            cases.append(case)
        checked = [labels["tjs"], labels["tf"]] + ([sp_version] if name == "llama2-sp" else [])
        exp = {
            "reference": labels["rust"],
            "encode": "add_special_tokens=false; added special tokens in the text are recognised",
            "decode": "skip_special_tokens=false",
            "cross_checked_with": {c: {"agree": len(CASES) - len(disagree[c]),
                                       "disagree_cases": disagree[c]} for c in checked},
            "generator": "scripts/make_tokenizer_fixtures.py",
            "training_text": [os.path.relpath(u, "/") if u.startswith("/") else u for u in used],
            "notes": notes[name],
            "cases": cases,
        }
        write_json(os.path.join(OUT, name, "expected.json"), exp)
        summary[name] = {c: disagree[c] for c in checked}

    for name in tokenizers:
        d = os.path.join(OUT, name)
        sizes = {f: os.path.getsize(os.path.join(d, f)) for f in sorted(os.listdir(d))}
        vs = len(tokenizers[name][0]["model"]["vocab"])
        print(f"{name}: vocab {vs}, {sizes}, disagreements {summary[name]}")


if __name__ == "__main__":
    main()
