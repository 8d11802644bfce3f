"""The only place that imports chromadb. Owns the index folder layout and its atomic switch.

Layout: index/CURRENT names the live generation folder; a generation holds the Chroma database,
chunks.jsonl (every chunk, copies included), vectors.npz (embedding cache by text hash) and
manifest.json (file hashes). Ingest writes a new generation and switches CURRENT last, so an
interrupted ingest leaves the previous index whole. Does not: chunk, embed or rank.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.documents import Chunk
from assistant.errors import IndexDamaged, IndexMissing
from assistant.store.guard import write_failed

COLLECTION = "chunks"


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class Snapshot:
    """One generation of the index, loaded for reading."""

    folder: Path
    chunks: list[Chunk]
    manifest: dict[str, Any]
    vectors: dict[str, np.ndarray]  # text hash -> embedding (chunks and spans)
    _collection: Any = field(default=None, repr=False)
    _client: Any = field(default=None, repr=False)

    @property
    def by_id(self) -> dict[str, Chunk]:
        return {c.id: c for c in self.chunks}

    def dense_query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest canonical chunks."""
        count = self._collection.count()
        if count == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector.tolist()],
            n_results=min(n, count),
            where=where or None,
            include=["distances"],
        )
        return [
            (cid, 1.0 - float(dist))
            for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
        ]


class IndexStore:
    def __init__(self, index_dir: Path, chroma_host: str = "") -> None:
        self.index_dir = Path(index_dir)
        self.chroma_host = chroma_host

    def current(self) -> Path | None:
        pointer = self.index_dir / "CURRENT"
        if not pointer.exists():
            return None
        folder = self.index_dir / pointer.read_text().strip()
        return folder if (folder / "manifest.json").exists() else None

    def load(self) -> Snapshot:
        for attempt in range(3):
            folder = self.current()
            if folder is None:
                raise IndexMissing(f"no index in '{self.index_dir}': run `assistant ingest` first")
            try:
                manifest, chunks = _read_manifest(folder), _read_chunks(folder)
                vectors = _load_vectors(folder / "vectors.npz")
            except FileNotFoundError:
                if attempt == 2 or self.current() == folder:
                    raise
                continue  # an ingest switched generations while we read; read the new one
            client = self._client(folder)
            collection = client.get_collection(
                _collection_name(folder, self.chroma_host), embedding_function=None
            )
            return Snapshot(folder, chunks, manifest, vectors, collection, client)
        raise IndexMissing(f"no index in '{self.index_dir}': run `assistant ingest` first")

    def load_manifest(self) -> dict[str, Any]:
        folder = self.current()
        return _read_manifest(folder) if folder else {}

    def load_vectors(self) -> dict[str, np.ndarray]:
        folder = self.current()
        return _load_vectors(folder / "vectors.npz") if folder else {}

    def load_chunks(self) -> list[Chunk]:
        folder = self.current()
        return _read_chunks(folder) if folder else []

    def write(
        self, chunks: list[Chunk], vectors: dict[str, np.ndarray], manifest: dict[str, Any]
    ) -> Path:
        """Write a complete new generation, then switch CURRENT to it (atomic rename)."""
        name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder = self.index_dir / name
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            folder.mkdir()
            canonical = [c for c in chunks if c.duplicate_of is None]
            client = self._client(folder)
            collection = client.get_or_create_collection(
                _collection_name(folder, self.chroma_host),
                embedding_function=None,
                metadata={"hnsw:space": "cosine"},
            )
            if canonical:
                collection.add(
                    ids=[c.id for c in canonical],
                    embeddings=[vectors[text_key(c.search_text())].tolist() for c in canonical],
                    documents=[c.text for c in canonical],
                    metadatas=[_flat(c) for c in canonical],
                )
            with (folder / "chunks.jsonl").open("w", encoding="utf-8") as fh:
                for chunk in chunks:
                    fh.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")
            keys = sorted(vectors)
            np.savez(
                folder / "vectors.npz",
                keys=np.array(keys),
                vectors=np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, 0)),
            )
            (folder / "manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            del collection, client
            _release(folder)
            tmp = self.index_dir / f"CURRENT.{uuid.uuid4().hex[:6]}"
            with tmp.open("w") as fh:
                fh.write(name)
                fh.flush()
                os.fsync(fh.fileno())
            # the switch: before it the old index is live, after it the new one
            os.replace(tmp, self.index_dir / "CURRENT")
        except BaseException as exc:  # Ctrl-C, full disk, permissions: nothing half-written stays
            _release(folder)
            shutil.rmtree(folder, ignore_errors=True)
            for leftover in self.index_dir.glob("CURRENT.*"):
                leftover.unlink(missing_ok=True)
            failure = write_failed(exc, self.index_dir, _size_estimate(chunks, vectors))
            if failure is not None:
                raise failure from exc
            raise
        self._remove_old(keep=name)
        return folder

    def _remove_old(self, keep: str) -> None:
        for folder in self.index_dir.glob("gen-*"):
            if folder.name != keep:
                _release(folder)
                shutil.rmtree(folder, ignore_errors=True)

    def _client(self, folder: Path) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.chroma_host:
            host, _, port = self.chroma_host.partition(":")
            return chromadb.HttpClient(host=host, port=int(port or 8000), settings=settings)
        return chromadb.PersistentClient(path=str(folder / "chroma"), settings=settings)


def _collection_name(folder: Path, chroma_host: str) -> str:
    # A shared server holds every generation side by side; embedded Chroma has one per folder.
    return f"{COLLECTION}-{folder.name}" if chroma_host else COLLECTION


def _release(folder: Path) -> None:
    """Drop chromadb's cached client for a folder so it can be reopened or deleted."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(folder / "chroma"), None)
    except (ImportError, AttributeError):
        pass


def _size_estimate(chunks: list[Chunk], vectors: dict[str, np.ndarray]) -> int:
    """Rough bytes a generation takes: records, Chroma's copy of texts and vectors, the cache."""
    text = sum(len(c.text.encode("utf-8")) for c in chunks)
    return 4 * text + 3 * sum(v.nbytes for v in vectors.values()) + 2 * 1024 * 1024


def _flat(chunk: Chunk) -> dict[str, Any]:
    meta = {k: v for k, v in chunk.metadata.items() if isinstance(v, str | int | float | bool)}
    meta.update(document=chunk.document, title=chunk.title, section=chunk.section, kind=chunk.kind)
    return meta


def _damaged(folder: Path, name: str, exc: Exception) -> IndexDamaged:
    return IndexDamaged(
        f"the index in '{folder.parent}' is damaged ({folder.name}/{name}: {type(exc).__name__}); "
        "run `assistant ingest` to rebuild it"
    )


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise _damaged(folder, "manifest.json", exc) from exc
    if not isinstance(manifest, dict):
        raise _damaged(folder, "manifest.json", TypeError("not an object"))
    return manifest


def _read_chunks(folder: Path) -> list[Chunk]:
    try:
        with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
            return [Chunk.from_record(json.loads(line)) for line in fh if line.strip()]
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(folder, "chunks.jsonl", exc) from exc


def _load_vectors(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        data = np.load(path, allow_pickle=False)
        return {str(k): v for k, v in zip(data["keys"], data["vectors"], strict=True)}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _damaged(path.parent, path.name, exc) from exc
