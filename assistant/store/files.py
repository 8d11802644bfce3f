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
from assistant.store.records import read_chunks
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
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(folder, "chunks.jsonl", exc) from exc


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

    Reads no JSON record but the first and last: counts lines, and reads the vector table's header.
    """
    path = folder / "chunks.jsonl"
    expected = sum(int(f.get("chunks", 0)) for f in manifest.get("files", {}).values())
    try:
        with path.open("rb") as fh:
            lines = [line for line in fh.read().split(b"\n") if line.strip()]
        if len(lines) != expected or (lines and not _records(lines[0], lines[-1])):
            raise ValueError(f"{len(lines)} records where the manifest has {expected}")
    except (OSError, ValueError) as exc:
        raise _damaged(folder, "chunks.jsonl", exc) from exc
    read_vector_table(folder)


def _records(*lines: bytes) -> bool:
    return all(isinstance(json.loads(line), dict) for line in lines)
