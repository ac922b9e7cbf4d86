"""tern.load: running compiled artifacts from Python with numpy.

Bindings are ctypes over the runtime's C API (include/tern-c/runtime.h),
chosen over pybind11 or nanobind because that API is already the runtime's
stable, exception-free boundary: the package then has nothing to compile,
installs offline on any Python 3 with numpy, and cannot break on a
pybind11/interpreter ABI mismatch. The cost, a few microseconds per call in
ctypes, is nothing next to a model's forward pass.

Arrays cross without copies where the layout allows: an input that is a
C-contiguous, writeable array of the entry point's dtype on a 64-byte
boundary is passed in place (tern.empty makes such arrays), anything else is
copied; results are numpy views of the runtime's buffers, freed with the
array. An entry point that updates an input in place (a KV cache) updates
the caller's array either way.
"""
import ctypes
import os
import pathlib
from collections import namedtuple

import numpy as np

from . import _native


class TernError(RuntimeError):
    """The runtime refused an artifact or a call: the message says why and
    names the file or entry point; `status` is the runtime's status name."""

    def __init__(self, status, message):
        self.status = status
        super().__init__(message)


# tern_status values (runtime.h).
_STATUS = {1: "io", 2: "invalid_artifact", 3: "version", 4: "cpu_features",
           5: "weights", 6: "not_found", 7: "invalid_argument",
           8: "out_of_memory", 9: "device"}

# tern_dtype values and their numpy types (bf16 travels as its uint16 bits).
_DTYPES = ["float32", "float16", "bf16", "float64", "int8", "int16", "int32",
           "int64", "uint8", "bool"]
_NUMPY = {"float32": np.float32, "float16": np.float16, "bf16": np.uint16,
          "float64": np.float64, "int8": np.int8, "int16": np.int16,
          "int32": np.int32, "int64": np.int64, "uint8": np.uint8,
          "bool": np.bool_}

TensorSpec = namedtuple("TensorSpec", "dtype shape")
TensorSpec.__doc__ = ("An entry point's input or result: dtype name and shape "
                      "(None for a dynamic dimension).")
Signature = namedtuple("Signature", "inputs results")

_P = ctypes.c_void_p
_I64P = ctypes.POINTER(ctypes.c_int64)

# name: (restype, argtypes)
_API = {
    "tern_last_error": (ctypes.c_char_p, []),
    "tern_artifact_load": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(_P)]),
    "tern_artifact_free": (None, [_P]),
    "tern_artifact_gpu_arch": (ctypes.c_char_p, [_P]),
    "tern_artifact_num_functions": (ctypes.c_size_t, [_P]),
    "tern_artifact_function_name": (ctypes.c_char_p, [_P, ctypes.c_size_t]),
    "tern_artifact_function_info": (ctypes.c_int, [_P, ctypes.c_char_p,
                                                   ctypes.POINTER(ctypes.c_size_t),
                                                   ctypes.POINTER(ctypes.c_size_t)]),
    "tern_artifact_input_info": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.POINTER(ctypes.c_int),
                                                ctypes.POINTER(ctypes.c_size_t),
                                                ctypes.POINTER(_I64P)]),
    "tern_artifact_result_info": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                 ctypes.POINTER(ctypes.c_int),
                                                 ctypes.POINTER(ctypes.c_size_t),
                                                 ctypes.POINTER(_I64P)]),
    "tern_artifact_model_info": (ctypes.c_int, [_P, _P]),
    "tern_artifact_generation_defaults": (ctypes.c_int, [_P, _P]),
    "tern_tokenize": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                     ctypes.POINTER(ctypes.POINTER(ctypes.c_int32)),
                                     ctypes.POINTER(ctypes.c_size_t)]),
    "tern_detokenize": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_int32), ctypes.c_size_t,
                                       ctypes.POINTER(ctypes.c_void_p),
                                       ctypes.POINTER(ctypes.c_size_t)]),
    "tern_free": (None, [_P]),
    "tern_tensor_create": (ctypes.c_int, [ctypes.c_int, ctypes.c_size_t, _I64P, _P,
                                          ctypes.POINTER(_P)]),
    "tern_tensor_wrap": (ctypes.c_int, [ctypes.c_int, ctypes.c_size_t, _I64P, _P,
                                        ctypes.POINTER(_P)]),
    "tern_tensor_free": (None, [_P]),
    "tern_tensor_dtype": (ctypes.c_int, [_P]),
    "tern_tensor_rank": (ctypes.c_size_t, [_P]),
    "tern_tensor_shape": (_I64P, [_P]),
    "tern_tensor_data": (_P, [_P]),
    "tern_tensor_size_bytes": (ctypes.c_size_t, [_P]),
    "tern_run": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(_P), ctypes.c_size_t,
                                ctypes.POINTER(_P), ctypes.c_size_t]),
    "tern_set_num_threads": (None, [ctypes.c_int]),
    "tern_get_num_threads": (ctypes.c_int, []),
}


class _ModelInfo(ctypes.Structure):
    _fields_ = [(name, ctypes.c_int64) for name in
                ("layers", "kv_heads", "head_dim", "context", "vocab", "bos", "eos")]


class _GenerationDefaults(ctypes.Structure):
    _fields_ = [("has_sampling", ctypes.c_int), ("temperature", ctypes.c_float),
                ("top_k", ctypes.c_int64), ("top_p", ctypes.c_float),
                ("repeat_penalty", ctypes.c_float), ("max_new_tokens", ctypes.c_int64),
                ("stop_tokens", _I64P), ("num_stop_tokens", ctypes.c_size_t),
                ("chat_format", ctypes.c_char_p)]


_lib_handle = None


def _lib():
    global _lib_handle
    if _lib_handle is None:
        lib = ctypes.CDLL(os.fspath(_native.runtime_library()))
        for name, (restype, argtypes) in _API.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        _lib_handle = lib
    return _lib_handle


def _check(status):
    if status != 0:
        message = _lib().tern_last_error().decode("utf-8", "replace")
        raise TernError(_STATUS.get(status, str(status)), message)


def set_num_threads(threads):
    """Threads the runtime runs entry points on (0: one per hardware thread);
    process-wide."""
    _lib().tern_set_num_threads(int(threads))


def get_num_threads():
    return _lib().tern_get_num_threads()


def empty(shape, dtype=np.float32):
    """A zero-filled array on a 64-byte boundary, which run() passes to the
    runtime without a copy."""
    dtype = np.dtype(dtype)
    shape = (int(shape),) if np.isscalar(shape) else tuple(int(d) for d in shape)
    count = int(np.prod(shape, dtype=np.int64))
    raw = np.zeros(count * dtype.itemsize + 64, dtype=np.uint8)
    offset = (-raw.ctypes.data) % 64
    return raw[offset:offset + count * dtype.itemsize].view(dtype).reshape(shape)


class _Owner:
    """Frees a runtime tensor when the last array viewing it goes away."""

    def __init__(self, handle):
        self.handle = handle

    def __del__(self):
        if self.handle and _lib_handle is not None:
            _lib_handle.tern_tensor_free(self.handle)
            self.handle = None


def _result_array(handle):
    lib = _lib()
    owner = _Owner(handle)
    dtype = np.dtype(_NUMPY[_DTYPES[lib.tern_tensor_dtype(handle)]])
    rank = lib.tern_tensor_rank(handle)
    dims = lib.tern_tensor_shape(handle)
    shape = tuple(dims[i] for i in range(rank))
    size = lib.tern_tensor_size_bytes(handle)
    address = lib.tern_tensor_data(handle)
    if address is None:
        if size:
            _check(9)  # a device download failed; the runtime said why
        return np.zeros(shape, dtype)
    buffer = (ctypes.c_char * size).from_address(address)
    buffer._tern_owner = owner  # the array's base keeps the tensor alive
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


class Tokenizer:
    """The tokenizer an artifact carries (ternc embeds the checkpoint's)."""

    def __init__(self, model):
        self._model = model

    def encode(self, text, allow_special=True):
        """Token ids of `text`; special tokens written in it ("<|eot_id|>")
        are recognized unless allow_special is False."""
        data = text.encode("utf-8")
        ids = ctypes.POINTER(ctypes.c_int32)()
        count = ctypes.c_size_t()
        _check(_lib().tern_tokenize(self._model._handle, data, len(data),
                                    1 if allow_special else 0,
                                    ctypes.byref(ids), ctypes.byref(count)))
        try:
            return [ids[i] for i in range(count.value)]
        finally:
            _lib().tern_free(ids)

    def decode_bytes(self, ids):
        ids = [int(i) for i in ids]
        array = (ctypes.c_int32 * len(ids))(*ids)
        text = ctypes.c_void_p()
        length = ctypes.c_size_t()
        _check(_lib().tern_detokenize(self._model._handle, array, len(ids),
                                      ctypes.byref(text), ctypes.byref(length)))
        try:
            return ctypes.string_at(text, length.value) if length.value else b""
        finally:
            _lib().tern_free(text)

    def decode(self, ids):
        """The text of token ids (invalid UTF-8 replaced)."""
        return self.decode_bytes(ids).decode("utf-8", "replace")


class _Session:
    """KV caches and a position: feeds tokens through prefill / decode (the
    same calls as tern-run)."""

    def __init__(self, model):
        self.model = model
        info = model.model_info
        self.info = info
        shape = (ctypes.c_int64 * 4)(info["layers"], info["kv_heads"], info["context"],
                                     info["head_dim"])
        self.caches = []
        for _ in range(2):
            handle = _P()
            _check(_lib().tern_tensor_create(0, 4, shape, None, ctypes.byref(handle)))
            self.caches.append(_Owner(handle))
        self.position = 0
        self.has_prefill_last = "prefill_last" in model.entry_points

    def feed(self, tokens, last_only=False):
        """Logits of `tokens` at the current position: [len(tokens), vocab],
        or [1, vocab] with last_only."""
        tokens = [int(t) for t in tokens]
        if not tokens:
            return np.zeros((0, self.info["vocab"]), np.float32)
        if self.position + len(tokens) > self.info["context"]:
            raise ValueError(
                f"the sequence would reach {self.position + len(tokens)} tokens, past the "
                f"model's context of {self.info['context']} (compile with max_context=...)")
        for t in tokens:
            if not 0 <= t < self.info["vocab"]:
                raise ValueError(f"token id {t} is outside the vocabulary "
                                 f"[0, {self.info['vocab']})")
        last_only = last_only and len(tokens) > 1 and self.has_prefill_last
        entry = "decode" if len(tokens) == 1 else "prefill_last" if last_only else "prefill"
        ids = np.asarray(tokens, np.int32)
        position = np.asarray(self.position, np.int64)
        logits, = self.model._call(entry, [ids, position], extra=[c.handle for c in self.caches])
        self.position += len(tokens)
        return logits


def _sample(logits, history, temperature, top_k, top_p, repeat_penalty, rng):
    """The next token: tern-run's sampler (Sampler.cpp) with numpy's RNG."""
    scores = np.array(logits, dtype=np.float32)
    if repeat_penalty != 1.0:
        seen = np.array(sorted(set(int(t) for t in history if 0 <= t < len(scores))),
                        dtype=np.int64)
        if seen.size:
            s = scores[seen]
            scores[seen] = np.where(s > 0, s / np.float32(repeat_penalty),
                                    s * np.float32(repeat_penalty))
    if temperature <= 0:
        return int(np.argmax(scores))
    keep = min(top_k, len(scores)) if top_k > 0 else len(scores)
    order = np.argsort(-scores, kind="stable")[:keep]
    p = np.exp((scores[order].astype(np.float64) - scores[order[0]]) / temperature)
    mass = np.cumsum(p / p.sum())
    nucleus = int(np.searchsorted(mass, top_p) + 1) if top_p < 1 else keep
    nucleus = min(max(nucleus, 1), keep)
    p = p[:nucleus] / p[:nucleus].sum()
    return int(order[rng.choice(nucleus, p=p)])


def _complete_utf8(data):
    """Length of `data` without a trailing partial UTF-8 sequence."""
    for back in range(1, min(3, len(data)) + 1):
        c = data[-back]
        if c & 0xC0 == 0x80:
            continue
        need = 4 if c >= 0xF0 else 3 if c >= 0xE0 else 2 if c >= 0xC0 else 1
        return len(data) - back if need > back else len(data)
    return len(data)


class Model:
    """A loaded artifact. Every artifact has entry points (run); a language
    model (compiled from a checkpoint) also has a tokenizer and generate,
    logits and perplexity."""

    def __init__(self, path, handle):
        self.path = pathlib.Path(path)
        self._handle = handle
        lib = _lib()
        self.entry_points = [lib.tern_artifact_function_name(handle, i).decode()
                             for i in range(lib.tern_artifact_num_functions(handle))]
        arch = lib.tern_artifact_gpu_arch(handle)
        self.gpu_arch = arch.decode() if arch else None
        self._signatures = {}
        info = _ModelInfo()
        self.model_info = None
        if lib.tern_artifact_model_info(handle, ctypes.byref(info)) == 0:
            self.model_info = {name: getattr(info, name) for name, _ in _ModelInfo._fields_}
        self.tokenizer = Tokenizer(self) if self.model_info else None

    # --- any artifact ---------------------------------------------------- #
    def signature(self, name):
        """The entry point's inputs and results as TensorSpecs."""
        if name not in self._signatures:
            lib = _lib()
            inputs, results = ctypes.c_size_t(), ctypes.c_size_t()
            self._check_open()
            status = lib.tern_artifact_function_info(self._handle, name.encode(),
                                                     ctypes.byref(inputs), ctypes.byref(results))
            if status == 6:
                raise KeyError(f"{self.path}: no entry point '{name}' (it has "
                               f"{', '.join(self.entry_points)})")
            _check(status)

            def specs(count, query):
                out = []
                for i in range(count):
                    dtype, rank, shape = ctypes.c_int(), ctypes.c_size_t(), _I64P()
                    _check(query(self._handle, name.encode(), i, ctypes.byref(dtype),
                                 ctypes.byref(rank), ctypes.byref(shape)))
                    out.append(TensorSpec(_DTYPES[dtype.value],
                                          tuple(None if shape[d] < 0 else shape[d]
                                                for d in range(rank.value))))
                return out

            self._signatures[name] = Signature(
                specs(inputs.value, lib.tern_artifact_input_info),
                specs(results.value, lib.tern_artifact_result_info))
        return self._signatures[name]

    def run(self, name, *arrays):
        """Runs entry point `name` on numpy arrays (one per input, in order)
        and returns its results as a list of arrays. Raises ValueError naming
        the argument when one has the wrong dtype, rank or size."""
        return self._call(name, list(arrays))

    def _call(self, name, arrays, extra=()):
        sig = self.signature(name)
        expected = sig.inputs[:len(sig.inputs) - len(extra)]
        if len(arrays) != len(expected):
            raise ValueError(f"{name} takes {len(expected)} inputs "
                             f"({', '.join(_spec_text(s) for s in expected)}), got {len(arrays)}")
        lib = _lib()
        handles, keep, copied = [], [], []
        try:
            for i, (value, spec) in enumerate(zip(arrays, expected)):
                array = _checked_array(value, spec, f"argument {i} of '{name}'")
                keep.append(array)
                shape = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
                handle = _P()
                dtype = _DTYPES.index(spec.dtype)
                if (array.flags.c_contiguous and array.flags.writeable
                        and array.ctypes.data % 64 == 0 and array.nbytes):
                    _check(lib.tern_tensor_wrap(dtype, array.ndim, shape,
                                                array.ctypes.data, ctypes.byref(handle)))
                else:
                    contiguous = np.ascontiguousarray(array)
                    _check(lib.tern_tensor_create(dtype, array.ndim, shape,
                                                  contiguous.ctypes.data if array.nbytes else None,
                                                  ctypes.byref(handle)))
                    if array.flags.writeable and array.nbytes:
                        copied.append((array, handle))
                handles.append(handle)
            inputs = (_P * (len(handles) + len(extra)))(*handles, *extra)
            results = (_P * len(sig.results))()
            self._check_open()
            _check(lib.tern_run(self._handle, name.encode(), inputs, len(inputs),
                                results, len(sig.results)))
            out = [_result_array(results[r]) for r in range(len(sig.results))]
            # Inputs the call may have updated: bring them back (from the
            # GPU, or from the copy).
            for handle in handles:
                lib.tern_tensor_data(handle)
            for array, handle in copied:
                data = lib.tern_tensor_data(handle)
                if data:
                    np.copyto(array, np.frombuffer(
                        (ctypes.c_char * array.nbytes).from_address(data),
                        dtype=array.dtype).reshape(array.shape))
            return out
        finally:
            for handle in handles:
                lib.tern_tensor_free(handle)

    # --- language models ------------------------------------------------- #
    def _require_lm(self, what):
        if self.model_info is None:
            raise TypeError(f"{self.path} is not a language model, so it has no {what}; "
                            f"its entry points are {', '.join(self.entry_points)} (use run)")

    @property
    def generation_defaults(self):
        """How the checkpoint asks for text to be generated."""
        self._require_lm("generation defaults")
        d = _GenerationDefaults()
        _check(_lib().tern_artifact_generation_defaults(self._handle, ctypes.byref(d)))
        return {"has_sampling": bool(d.has_sampling), "temperature": d.temperature,
                "top_k": d.top_k, "top_p": d.top_p, "repeat_penalty": d.repeat_penalty,
                "max_new_tokens": d.max_new_tokens,
                "stop_tokens": [d.stop_tokens[i] for i in range(d.num_stop_tokens)],
                "chat_format": (d.chat_format or b"").decode()}

    def logits(self, token_ids):
        """Logits of every position of `token_ids` (fed from position 0):
        float32 [len(token_ids), vocab]."""
        self._require_lm("logits")
        return _Session(self).feed(token_ids)

    def _prompt_ids(self, prompt):
        if isinstance(prompt, str):
            ids = self.tokenizer.encode(prompt)
            bos = self.model_info["bos"]
            if bos >= 0 and (not ids or ids[0] != bos):
                ids.insert(0, bos)
        else:
            ids = [int(t) for t in prompt]
        if not ids:
            raise ValueError("the prompt has no tokens")
        return ids

    def generate(self, prompt, max_tokens=None, temperature=None, top_k=None, top_p=None,
                 repeat_penalty=None, seed=42, stream=False, ignore_eos=False):
        """Continues `prompt` (text, or a list of token ids) and returns the
        generated text, or with stream=True yields it piece by piece as tokens
        arrive. Unset options come from the checkpoint's generation defaults,
        else greedy decoding of up to 128 tokens; generation stops at the
        model's stop tokens unless ignore_eos. Greedy output is tern-run's
        token for token; sampling follows tern-run's rules with numpy's RNG."""
        self._require_lm("generate")
        gen = self._generate(prompt, max_tokens, temperature, top_k, top_p,
                             repeat_penalty, seed, ignore_eos)
        if stream:
            return gen
        return "".join(gen)

    def generate_ids(self, prompt, **options):
        """As generate, but returns the generated token ids."""
        self._require_lm("generate")
        ids = []
        for _ in self._generate(prompt, options.get("max_tokens"), options.get("temperature"),
                                options.get("top_k"), options.get("top_p"),
                                options.get("repeat_penalty"), options.get("seed", 42),
                                options.get("ignore_eos", False), ids_out=ids):
            pass
        return ids

    def _generate(self, prompt, max_tokens, temperature, top_k, top_p, repeat_penalty,
                  seed, ignore_eos, ids_out=None):
        d = self.generation_defaults
        sampled = d["has_sampling"]
        temperature = temperature if temperature is not None else (d["temperature"] if sampled else 0.0)
        top_k = top_k if top_k is not None else (d["top_k"] if sampled else 0)
        top_p = top_p if top_p is not None else (d["top_p"] if sampled else 1.0)
        repeat_penalty = repeat_penalty if repeat_penalty is not None else (
            d["repeat_penalty"] if sampled else 1.0)
        if max_tokens is None:
            max_tokens = d["max_new_tokens"] if d["max_new_tokens"] > 0 else 128
        stop = set(d["stop_tokens"]) or ({self.model_info["eos"]} if self.model_info["eos"] >= 0
                                         else set())
        rng = np.random.default_rng(seed)
        ids = self._prompt_ids(prompt)
        session = _Session(self)
        logits = session.feed(ids, last_only=True)[-1]
        history = list(ids)
        generated = [] if ids_out is None else ids_out
        printed = 0
        for step in range(max_tokens):
            token = _sample(logits, history, temperature, top_k, top_p, repeat_penalty, rng)
            if not ignore_eos and token in stop:
                break
            generated.append(token)
            history.append(token)
            text = self.tokenizer.decode_bytes(generated)
            complete = _complete_utf8(text)
            if complete > printed:
                yield text[printed:complete].decode("utf-8", "replace")
                printed = complete
            if step + 1 == max_tokens or session.position >= self.model_info["context"]:
                break
            logits = session.feed([token])[-1]

    def perplexity(self, text):
        """exp(mean negative log-likelihood) of `text`'s tokens (BOS first when
        the model has one), over windows of the model's context, as tern-run
        --perplexity computes it."""
        self._require_lm("perplexity")
        tokens = self.tokenizer.encode(text)
        if self.model_info["bos"] >= 0:
            tokens.insert(0, self.model_info["bos"])
        nll, predicted = 0.0, 0
        context = self.model_info["context"]
        for start in range(0, max(len(tokens) - 1, 0), context):
            window = tokens[start:start + context]
            logits = _Session(self).feed(window).astype(np.float64)
            rows = logits[:-1]
            peak = rows.max(axis=1)
            log_sum = np.log(np.exp(rows - peak[:, None]).sum(axis=1)) + peak
            nll += float(np.sum(log_sum - rows[np.arange(len(rows)), window[1:]]))
            predicted += len(rows)
        if not predicted:
            raise ValueError("the text is too short to measure perplexity")
        return float(np.exp(nll / predicted))

    # --- lifetime ---------------------------------------------------------- #
    def _check_open(self):
        if not self._handle:
            raise ValueError(f"{self.path} is closed")

    def close(self):
        if self._handle and _lib_handle is not None:
            _lib_handle.tern_artifact_free(self._handle)
        self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def __repr__(self):
        kind = "language model" if self.model_info else "artifact"
        where = f", {self.gpu_arch}" if self.gpu_arch else ""
        return f"<tern.Model {kind} {self.path}{where}: {', '.join(self.entry_points)}>"


def _spec_text(spec):
    return f"{spec.dtype}[{', '.join('?' if d is None else str(d) for d in spec.shape)}]"


def _checked_array(value, spec, what):
    want = np.dtype(_NUMPY[spec.dtype])
    if isinstance(value, np.ndarray):
        if value.dtype != want:
            raise ValueError(f"{what}: expected {_spec_text(spec)}, got dtype {value.dtype}"
                             + (" (bf16 is passed as its uint16 bits)" if spec.dtype == "bf16" else ""))
        array = value
    else:
        try:
            array = np.asarray(value, dtype=want)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{what}: expected {_spec_text(spec)}: {e}") from None
    if array.ndim != len(spec.shape):
        raise ValueError(f"{what}: expected {_spec_text(spec)}, got rank {array.ndim} "
                         f"(shape {list(array.shape)})")
    for d, (got, need) in enumerate(zip(array.shape, spec.shape)):
        if need is not None and got != need:
            raise ValueError(f"{what}: expected {_spec_text(spec)}, got shape "
                             f"{list(array.shape)} (dimension {d} is {got}, not {need})")
    return array


def load(artifact_path, threads=None, device=None):
    """Loads an artifact built by ternc (or tern.compile).

    threads: how many threads entry points run on (process-wide; default: one
    per hardware thread). device: the GPU ordinal for a CUDA artifact
    ($TERN_CUDA_DEVICE otherwise)."""
    path = os.fspath(artifact_path)
    lib = _lib()
    if threads is not None:
        if int(threads) < 0:
            raise ValueError("threads must be 0 (one per hardware thread) or more")
        lib.tern_set_num_threads(int(threads))
    previous = os.environ.get("TERN_CUDA_DEVICE")
    if device is not None:
        os.environ["TERN_CUDA_DEVICE"] = str(int(device))
    try:
        handle = _P()
        _check(lib.tern_artifact_load(path.encode(), ctypes.byref(handle)))
    finally:
        if device is not None:
            if previous is None:
                os.environ.pop("TERN_CUDA_DEVICE", None)
            else:
                os.environ["TERN_CUDA_DEVICE"] = previous
    model = Model(path, handle.value)
    if device is not None and model.gpu_arch is None:
        model.close()
        raise ValueError(f"{path}: device= is for CUDA artifacts; this one runs on the CPU")
    return model
