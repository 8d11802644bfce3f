"""Chunks on disk and in Chroma: ChunkMetadata to and from the flat form (scalars only, lists joined
with "|") that chunks.jsonl and Chroma's metadata hold. The only place that form exists.

Does not: open Chroma (chroma.py) or decide what metadata says (ingest/metadata.py).
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from assistant.documents import Chunk, ChunkMetadata


def flat_metadata(meta: ChunkMetadata) -> dict[str, str | int]:
    """Chroma's and chunks.jsonl's form: scalar values only, lists joined with "|"."""
    out: dict[str, str | int] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        out[f.name] = "|".join(value) if isinstance(value, tuple) else value
    return out


def metadata_from_flat(
    flat: dict[str, Any], seen: dict[tuple[tuple[str, Any], ...], ChunkMetadata] | None = None
) -> ChunkMetadata:
    """The inverse of ``flat_metadata``; keys it does not know are ignored. With ``seen``, the
    chunks of one sub-document share one metadata object (and the work of reading it)."""
    key = tuple(flat.items())
    meta = seen.get(key) if seen is not None else None
    if meta is None:
        values: dict[str, Any] = {
            k: tuple(x for x in str(v).split("|") if x) if k in _LISTS else v
            for k, v in flat.items()
            if k in _FIELDS
        }
        meta = ChunkMetadata(**values)
        if seen is not None:
            seen[key] = meta
    return meta


_FIELDS = frozenset(f.name for f in fields(ChunkMetadata))
_LISTS = frozenset(
    f.name for f in fields(ChunkMetadata) if isinstance(getattr(ChunkMetadata(), f.name), tuple)
)


def record(chunk: Chunk) -> dict[str, Any]:
    """A chunk as one line of chunks.jsonl."""
    data = chunk.to_record()
    data["metadata"] = flat_metadata(chunk.metadata)
    return data


def from_record(
    record: dict[str, Any], seen: dict[tuple[tuple[str, Any], ...], ChunkMetadata] | None = None
) -> Chunk:
    return Chunk.from_record({**record, "metadata": metadata_from_flat(record["metadata"], seen)})


def read_chunks(folder: Path) -> list[Chunk]:
    with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
        seen: dict[tuple[tuple[str, Any], ...], ChunkMetadata] = {}
        return [from_record(json.loads(line), seen) for line in fh if line.strip()]
