"""Embedding vectors on disk, keyed by the hash of the text they embed.

A generation keeps vectors.npy (one float32 row per text, memory-mapped on load, so a cold start
does not read them all) and vectors.keys.json (the text hash of each row). Pending parts of an
unfinished ingest, and generations written before this layout, are .npz files read whole.
Does not: embed (embeddings.py) or decide what is embedded (ingest/pipeline.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

MATRIX = "vectors.npy"
KEYS = "vectors.keys.json"
LEGACY = "vectors.npz"


class VectorTable(Mapping[str, np.ndarray]):
    """Read-only text hash -> vector over a (memory-mapped) matrix."""

    def __init__(self, keys: list[str], matrix: np.ndarray) -> None:
        self._rows = {key: n for n, key in enumerate(keys)}
        self._matrix = matrix

    def __getitem__(self, key: str) -> np.ndarray:
        return np.asarray(self._matrix[self._rows[key]])

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def save_table(folder: Path, vectors: Mapping[str, np.ndarray]) -> None:
    keys = sorted(vectors)
    matrix = np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
    np.save(folder / MATRIX, matrix.astype(np.float32, copy=False))
    (folder / KEYS).write_text(json.dumps(keys), encoding="utf-8")


def load_table(folder: Path) -> Mapping[str, np.ndarray]:
    """A generation's vectors: memory-mapped, or read whole from an older generation's .npz."""
    if (folder / MATRIX).exists() and (folder / KEYS).exists():
        keys = json.loads((folder / KEYS).read_text(encoding="utf-8"))
        return VectorTable(keys, np.load(folder / MATRIX, mmap_mode="r"))
    return load_npz(folder / LEGACY)


def save_npz(fh: Any, vectors: Mapping[str, np.ndarray]) -> None:
    keys = sorted(vectors)
    np.savez(
        fh,
        keys=np.array(keys),
        vectors=np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, 0)),
    )


def load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    data = np.load(path, allow_pickle=False)
    return {str(k): v for k, v in zip(data["keys"], data["vectors"], strict=True)}
