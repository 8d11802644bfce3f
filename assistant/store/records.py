"""Chunks on disk and in Chroma: the chunk table (chunks.pickle) and ChunkMetadata to and from the
flat form (scalars only, lists joined with "|") that Chroma's metadata holds. The only place that
form exists.

The chunk table is a pickle because it loads about five times faster than JSON lines, and a cold
`assistant ask` reads it whole (a 51.8k-chunk table: 0.44 s against 2.1 s; the cold ask at 53k
chunks is in benchmarks/results-scale.json, "store_x4").
Reading it allows only our own chunk types and builtins, so a tampered index cannot run code.

Does not: open Chroma (chroma.py) or decide what metadata says (ingest/metadata.py).
"""

from __future__ import annotations

import gc
import io
import pickle
from dataclasses import fields
from pathlib import Path
from typing import Any

from assistant.documents import Chunk, ChunkMetadata, Span

CHUNK_TABLE = "chunks.pickle"
_ALLOWED = {("assistant.documents", cls.__name__): cls for cls in (Chunk, ChunkMetadata, Span)}


def flat_metadata(meta: ChunkMetadata) -> dict[str, str | int]:
    """Chroma's form: scalar values only, lists joined with "|"."""
    out: dict[str, str | int] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        out[f.name] = "|".join(value) if isinstance(value, tuple) else value
    return out


def write_chunks(folder: Path, chunks: list[Chunk]) -> int:
    """Write the chunk table; returns its size in bytes (the manifest keeps it for check_intact)."""
    data = pickle.dumps(list(chunks), protocol=5)
    (folder / CHUNK_TABLE).write_bytes(data)
    return len(data)


def read_chunks(folder: Path) -> list[Chunk]:
    """The chunk table. Raises FileNotFoundError, or ValueError when it is not a list of chunks."""
    data = (folder / CHUNK_TABLE).read_bytes()
    # subtle: unpickling builds ~4 objects per chunk, and the cyclic garbage collector would walk
    # them all again and again while they are made (1.2 s -> 0.5 s at 49k chunks without it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        chunks = _ChunkUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # any damage: pickle raises many kinds
        raise ValueError(f"not a chunk table: {type(exc).__name__}") from exc
    finally:
        if collecting:
            gc.enable()
    if not isinstance(chunks, list) or not all(isinstance(c, Chunk) for c in chunks):
        raise ValueError("not a list of chunks")
    return chunks


class _ChunkUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a chunk type") from None
