"""Reading a generation's own files (manifest, chunk table, vector table) and naming the one that
is damaged, so a broken index is one line that says how to rebuild it.

Does not: write a generation or talk to Chroma (chroma.py).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from assistant.documents import Chunk
from assistant.errors import IndexDamaged
from assistant.store.records import CHUNK_TABLE, read_chunks
from assistant.store.vectors import MATRIX, load_table


def _damaged(folder: Path, name: str, exc: Exception) -> IndexDamaged:
    return IndexDamaged(
        f"the index in '{folder.parent}' is damaged ({folder.name}/{name}: {type(exc).__name__}); "
        "run `assistant ingest` to rebuild it"
    )


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise _damaged(folder, "manifest.json", exc) from exc
    if not isinstance(manifest, dict):
        raise _damaged(folder, "manifest.json", TypeError("not an object"))
    return manifest


def read_chunk_table(folder: Path) -> list[Chunk]:
    try:
        return read_chunks(folder)
    except FileNotFoundError:
        if (folder / "chunks.jsonl").exists():
            raise _older(folder) from None
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(folder, CHUNK_TABLE, exc) from exc


def _older(folder: Path) -> IndexDamaged:
    """chunks.jsonl was the chunk table's form before chunks.pickle."""
    return IndexDamaged(
        f"the index in '{folder.parent}' was written by an older version "
        f"({folder.name}/chunks.jsonl); run `assistant ingest` to rebuild it"
    )


def read_vector_table(folder: Path) -> Mapping[str, np.ndarray]:
    try:
        return load_table(folder)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _damaged(folder, MATRIX, exc) from exc


def check_intact(folder: Path, manifest: dict[str, Any]) -> None:
    """A cheap look that a generation's chunk and vector tables are whole, for an ingest that would
    otherwise reuse them without reading them (raises IndexDamaged naming the file).

    Reads no chunk: compares the chunk table's size with the one the manifest recorded, looks at
    its last byte (a pickle ends with STOP), and reads the vector table's header.
    """
    path = folder / CHUNK_TABLE
    table = manifest.get("chunk_table", {})
    if not path.exists() and (folder / "chunks.jsonl").exists():
        raise _older(folder)
    try:
        size = path.stat().st_size
        if size != table.get("bytes") or not _ends_whole(path):
            raise ValueError(f"{size} bytes where the manifest has {table.get('bytes')}")
    except (OSError, ValueError, AttributeError) as exc:
        raise _damaged(folder, CHUNK_TABLE, exc) from exc
    read_vector_table(folder)


def _ends_whole(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) == b"."
