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


def metadata_from_flat(flat: dict[str, Any]) -> ChunkMetadata:
    """The inverse of ``flat_metadata``; keys it does not know are ignored."""
    values: dict[str, Any] = {}
    for f in fields(ChunkMetadata):
        if f.name not in flat:
            continue
        raw = flat[f.name]
        if isinstance(getattr(ChunkMetadata(), f.name), tuple):
            values[f.name] = tuple(x for x in str(raw).split("|") if x)
        else:
            values[f.name] = raw
    return ChunkMetadata(**values)


def record(chunk: Chunk) -> dict[str, Any]:
    """A chunk as one line of chunks.jsonl."""
    data = chunk.to_record()
    data["metadata"] = flat_metadata(chunk.metadata)
    return data


def from_record(record: dict[str, Any]) -> Chunk:
    return Chunk.from_record({**record, "metadata": metadata_from_flat(record["metadata"])})


def read_chunks(folder: Path) -> list[Chunk]:
    with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
        return [from_record(json.loads(line)) for line in fh if line.strip()]
