"""One generation of the index as loaded for reading (``Snapshot``), and the keys its vectors are
stored under. chroma.py makes snapshots; search and answer read them.

Does not: import chromadb (the collection comes in from chroma.py), write or rank.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.documents import Chunk


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class Snapshot:
    """One generation of the index, loaded for reading."""

    folder: Path
    chunks: list[Chunk]
    manifest: dict[str, Any]
    vectors: Mapping[str, np.ndarray]  # text hash -> embedding of a chunk's search text
    _collection: Any = field(default=None, repr=False)
    _client: Any = field(default=None, repr=False)

    @property
    def dense(self) -> str:
        """Whether every canonical chunk has its vector ("complete") or some wait for theirs
        ("partial"; search is lexical for those)."""
        return "partial" if self.manifest.get("vectors_missing") else "complete"

    @cached_property
    def _embedded(self) -> frozenset[str] | None:
        """Ids of the chunks in Chroma while the generation is partial; None when all are."""
        if self.dense != "partial":
            return None
        return frozenset(c.id for c in with_vectors(self.chunks, self.vectors))

    @property
    def by_id(self) -> dict[str, Chunk]:
        return {c.id: c for c in self.chunks}

    def dense_query(
        self,
        vector: np.ndarray,
        n: int,
        where: dict[str, Any] | None = None,
        ids: list[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest canonical chunks (among ``ids``); none
        when an ingest removed this generation while a question was being answered from it."""
        if ids is not None and self._embedded is not None:
            ids = [i for i in ids if i in self._embedded]  # Chroma fails on an id it lacks
        if self._collection is None:  # a generation with no vector yet has no collection
            return []
        try:
            count = len(ids) if ids is not None else self._collection.count()
            if count == 0 or n <= 0:
                return []
            result = self._collection.query(
                query_embeddings=[vector.tolist()],
                ids=ids,
                n_results=min(n, count),
                where=where or None,
                include=["distances"],
            )
        except Exception:
            # subtle: an ingest switches generations twice (answerable, then complete) and removes
            # the old one; a question in flight then answers lexically (its chunks and vectors are
            # in memory), and the next one follows the index to the new generation.
            if self.folder.exists():
                raise
            return []
        return [
            (cid, 1.0 - float(dist))
            for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
        ]


def with_vectors(chunks: list[Chunk], vectors: Mapping[str, np.ndarray]) -> list[Chunk]:
    """The canonical chunks that have a vector."""
    return [c for c in chunks if c.duplicate_of is None and text_key(c.embed_text()) in vectors]
