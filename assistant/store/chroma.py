"""The only place that imports chromadb. Owns the index folder layout and its atomic switch.

Layout: index/CURRENT names the live generation folder; a generation holds the Chroma database,
chunks.pickle (every chunk, copies included), vectors.npy (embedding cache by text hash) and
manifest.json (file hashes). Ingest writes a new generation and switches CURRENT last, so an
interrupted ingest leaves the previous index whole; vectors embedded for a generation that never
went live wait in index/pending-vectors/ for the next ingest, so no embedding work is lost. A
generation may lack some vectors (manifest "vectors_missing", an ingest that is answerable before
it is embedded): Chroma then holds only the chunks that have one, and dense search finds only
those. Chroma is written in batches of at most ``client.get_max_batch_size()`` records. A loaded
generation is a Snapshot (snapshot.py). Does not: chunk, embed or rank.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np

from assistant.documents import Chunk
from assistant.errors import ConfigError, IndexMissing
from assistant.store.files import (
    check_intact,
    read_chunk_table,
    read_manifest,
    read_vector_table,
)
from assistant.store.guard import write_failed
from assistant.store.records import flat_metadata, write_chunks
from assistant.store.snapshot import Snapshot, text_key, with_vectors
from assistant.store.vectors import load_npz, save_npz, save_table

COLLECTION = "chunks"
PENDING = "pending-vectors"


class IndexStore:
    def __init__(self, index_dir: Path, chroma_host: str = "", max_batch: int = 0) -> None:
        self.index_dir = Path(index_dir)
        self.chroma_host = chroma_host
        self.max_batch = max_batch  # 0 = as many as the Chroma client accepts in one call

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
                manifest, chunks = read_manifest(folder), read_chunk_table(folder)
                vectors = read_vector_table(folder)
            except FileNotFoundError:
                if attempt == 2 or self.current() == folder:
                    raise
                continue  # an ingest switched generations while we read; read the new one
            if not _stored(chunks, vectors, manifest):
                return Snapshot(folder, chunks, manifest, vectors)  # lexical only: no Chroma
            client = self._client(folder)
            collection = self._collection_or_upload(client, folder, chunks, vectors, manifest)
            return Snapshot(folder, chunks, manifest, vectors, collection, client)
        raise IndexMissing(f"no index in '{self.index_dir}': run `assistant ingest` first")

    def _collection_or_upload(
        self,
        client: Any,
        folder: Path,
        chunks: list[Chunk],
        vectors: Mapping[str, np.ndarray],
        manifest: Mapping[str, Any],
    ) -> Any:
        """The generation's collection in the configured store; when it is not there (an index
        built embedded, now read through a server, or back) or incomplete, it is uploaded again
        from the chunk table and its vectors, which every generation keeps locally."""
        from chromadb.errors import NotFoundError

        name = _collection_name(folder, self.chroma_host)
        canonical = _stored(chunks, vectors, manifest)
        try:
            collection = client.get_collection(name, embedding_function=None)
            if collection.count() == len(canonical):
                return collection
            client.delete_collection(name)
        except NotFoundError:
            pass
        collection = client.create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self._add(client, collection, canonical, vectors)
        return collection

    def load_manifest(self) -> dict[str, Any]:
        folder = self.current()
        return read_manifest(folder) if folder else {}

    def load_vectors(self) -> dict[str, np.ndarray]:
        """The live generation's vectors plus those embedded by ingests that never went live."""
        folder = self.current()
        vectors = dict(read_vector_table(folder)) if folder else {}
        for part in sorted((self.index_dir / PENDING).glob("part-*.npz")):
            try:
                vectors.update(load_npz(part))
            except (OSError, ValueError, KeyError):
                continue  # a part cut short by a crash: its texts are simply embedded again
        return vectors

    def save_pending(self, vectors: dict[str, np.ndarray]) -> None:
        """Persist freshly embedded vectors at once, before any store write can fail."""
        if not vectors:
            return
        folder = self.index_dir / PENDING
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.npz"
        tmp = folder / f".{name}.tmp"
        with tmp.open("wb") as fh:
            save_npz(fh, vectors)
        os.replace(tmp, folder / name)

    def check_intact(self) -> None:
        """Raises IndexDamaged when the live generation's tables are not whole (a cheap look)."""
        folder = self.current()
        if folder is not None:
            check_intact(folder, read_manifest(folder))

    def load_chunks(self) -> list[Chunk]:
        folder = self.current()
        return read_chunk_table(folder) if folder else []

    def write(
        self,
        chunks: list[Chunk],
        vectors: dict[str, np.ndarray],
        manifest: dict[str, Any],
        carry: Sequence[Path] = (),
    ) -> Path:
        """Write a whole new generation, then switch CURRENT to it (atomic rename); ``carry``
        names files or folders of the old generation copied into it (they depend on the chunks
        alone), before the switch.

        Ctrl-C, a full disk, permissions: nothing half-written stays, and the old index stays live;
        vectors embedded for the new generation wait as pending for the next ingest.
        """
        name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder = self.index_dir / name
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            folder.mkdir()
            self._write_generation(folder, chunks, vectors, manifest)
            for path in carry:
                _copy(path, folder / path.name)
            tmp = self.index_dir / f"CURRENT.{uuid.uuid4().hex[:6]}"
            with tmp.open("w") as fh:
                fh.write(name)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(
                tmp, self.index_dir / "CURRENT"
            )  # the switch: before it the old index is live
        except BaseException as exc:
            self._drop(folder)  # never live: nothing points at it
            for leftover in self.index_dir.glob("CURRENT.*"):
                leftover.unlink(missing_ok=True)
            failure = write_failed(exc, self.index_dir, _size_estimate(chunks, vectors))
            if failure is not None:
                raise failure from exc
            raise
        self._remove_old(keep=name)
        shutil.rmtree(self.index_dir / PENDING, ignore_errors=True)  # all in the live generation
        return folder

    def _write_generation(
        self,
        folder: Path,
        chunks: list[Chunk],
        vectors: dict[str, np.ndarray],
        manifest: dict[str, Any],
    ) -> None:
        canonical = _stored(chunks, vectors, manifest)
        if canonical:
            # subtle: a generation made answerable before any vector has nothing for Chroma, and
            # opening it (importing chromadb, ~1 s) was half the time to answerable; readers
            # and _drop treat a generation without a collection as one with no vectors.
            client = self._client(folder)
            collection = client.get_or_create_collection(
                _collection_name(folder, self.chroma_host),
                embedding_function=None,
                metadata={"hnsw:space": "cosine"},
            )
            self._add(client, collection, canonical, vectors)
            del collection, client
        table = {"chunks": len(chunks), "bytes": write_chunks(folder, chunks)}
        save_table(folder, vectors)
        (folder / "manifest.json").write_text(
            json.dumps({**manifest, "chunk_table": table}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        _release(folder)

    def _add(
        self,
        client: Any,
        collection: Any,
        canonical: list[Chunk],
        vectors: Mapping[str, np.ndarray],
    ) -> None:
        # subtle: Chroma refuses one add() larger than its SQLite-bound limit (5,461 locally).
        step = max(1, int(client.get_max_batch_size()))
        if self.max_batch:
            step = min(step, self.max_batch)
        for start in range(0, len(canonical), step):
            part = canonical[start : start + step]
            collection.add(
                ids=[c.id for c in part],
                embeddings=[vectors[text_key(c.embed_text())].tolist() for c in part],
                documents=[c.text for c in part],
                metadatas=[_flat(c) for c in part],
            )

    def _drop(self, folder: Path) -> None:
        """Delete a generation: its folder, and its collection when it lives on a server."""
        if self.chroma_host:
            # Never created, gone already, or the server is away (chromadb raises its HTTP
            # library's errors then): the folder goes all the same.
            with suppress(Exception):
                self._client(folder).delete_collection(_collection_name(folder, self.chroma_host))
        _release(folder)
        shutil.rmtree(folder, ignore_errors=True)

    def _remove_old(self, keep: str) -> None:
        for folder in self.index_dir.glob("gen-*"):
            if folder.name != keep:
                self._drop(folder)

    def _client(self, folder: Path) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.chroma_host:
            host, _, port = self.chroma_host.partition(":")
            try:
                return chromadb.HttpClient(host=host, port=int(port or 8000), settings=settings)
            except ValueError as exc:  # chromadb's "Could not connect", or a port that is no number
                raise ConfigError(
                    f"cannot reach the Chroma server at '{self.chroma_host}' ({exc}): start it "
                    "with `chroma run --path <folder> --port <port>`, or unset ASSISTANT_CHROMA_HOST "
                    "to use the embedded index"
                ) from exc
        return chromadb.PersistentClient(path=str(folder / "chroma"), settings=settings)


def _collection_name(folder: Path, chroma_host: str) -> str:
    # A shared server holds every generation side by side; embedded Chroma has one per folder.
    return f"{COLLECTION}-{folder.name}" if chroma_host else COLLECTION


def _stored(
    chunks: list[Chunk], vectors: Mapping[str, np.ndarray], manifest: Mapping[str, Any]
) -> list[Chunk]:
    """What Chroma holds: every canonical chunk (a missing vector fails the write), or in a
    generation that declares missing vectors, those that have one."""
    if manifest.get("vectors_missing"):
        return with_vectors(chunks, vectors)
    return [c for c in chunks if c.duplicate_of is None]


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target)
    elif source.exists():
        shutil.copy2(source, target)


def _release(folder: Path) -> None:
    """Drop chromadb's cached client for a folder so it can be reopened or deleted."""
    if "chromadb" not in sys.modules:
        return  # never opened in this process: nothing cached
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(folder / "chroma"), None)
    except (ImportError, AttributeError):
        pass


def _flat(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = dict(flat_metadata(chunk.metadata))
    meta.update(document=chunk.document, title=chunk.title, section=chunk.section, kind=chunk.kind)
    return meta


def _size_estimate(chunks: list[Chunk], vectors: Mapping[str, np.ndarray]) -> int:
    """Rough bytes a generation takes: records, Chroma's copy of texts and vectors, the cache."""
    text = sum(len(c.text.encode("utf-8")) for c in chunks)
    return 4 * text + 3 * sum(vectors[k].nbytes for k in vectors) + 2 * 1024 * 1024
