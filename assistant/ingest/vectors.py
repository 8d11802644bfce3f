"""Fill in the vectors a generation lacks: the ingest made its files answerable by word search
(pipeline.py); this embeds the rest in batches and switches to the generation complete.

Does not: read files or make chunks (pipeline.py), or store anything itself (store/).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.documents import Chunk
from assistant.errors import IndexDamaged
from assistant.store.chroma import IndexStore
from assistant.store.guard import index_lock
from assistant.store.snapshot import text_key

Progress = Callable[[str, int, int], None]
SAVE_EVERY = 256  # freshly embedded vectors are persisted in parts of about this many
EMBED_BATCH = 64  # texts per engine call: it streams each weight once per call


def fill_vectors(settings: Settings, progress: Progress | None = None) -> int:
    """Embed what the live generation lacks and switch to it complete; the number of texts
    embedded now (0 when nothing was missing). Interrupted, it loses at most ``SAVE_EVERY``
    texts' work: the next call takes the saved ones from pending-vectors.

    Example: ingest_corpus(settings); fill_vectors(settings) -> 53
    """
    report = progress or (lambda stage, done, total: None)
    store = IndexStore(settings.index_dir, settings.chroma_host)
    if not store.load_manifest().get("vectors_missing"):
        return 0  # subtle: a cheap look first, so an ingest that changed nothing takes no lock
    with index_lock(Path(settings.index_dir), on_wait=lambda: report("wait", 0, 1)):
        manifest = store.load_manifest()
        if not manifest.get("vectors_missing"):
            return 0  # another process filled them while we waited
        live = store.current()
        chunks = store.load_chunks()
        cache = cached_vectors(store)
        wanted = {text_key(t): t for t in texts_to_embed(chunks)}
        missing = sorted((k for k in wanted if k not in cache), key=lambda k: len(wanted[k]))
        vectors = {k: cache[k] for k in wanted if k in cache}
        vectors.update(_embed(missing, wanted, manifest["model"], report, store))
        report("write", 0, 1)
        keep = [live / name for name in CARRIED] if live else []
        store.write(chunks, vectors, {**manifest, "vectors_missing": 0}, carry=keep)
        report("write", 1, 1)
        return len(missing)


CARRIED = ("lexical",)  # files of a generation that only depend on its chunks: a fill keeps them


def cached_vectors(store: IndexStore) -> dict[str, np.ndarray]:
    try:
        return store.load_vectors()
    except IndexDamaged:  # the vector table itself is damaged: embed everything again
        return {}


def texts_to_embed(chunks: list[Chunk]) -> list[str]:
    """The search texts of canonical chunks: what retrieval compares, and the answer's "dense"
    feature. Sentences get no vector of their own: on the training split they moved the right
    span to first place for about 1 question in 130 (scripts/fit_scorer.py ablation, issue #11)
    and cost 3.6 times the embedding work."""
    return [chunk.embed_text() for chunk in chunks if chunk.duplicate_of is None]


def _embed(
    missing: list[str], texts: dict[str, str], model: str, report: Progress, store: IndexStore
) -> dict[str, np.ndarray]:
    """Vectors of ``missing`` (keys of ``texts``), embedded now in batches of similar length and
    saved as pending every ``SAVE_EVERY``, so a crash or failed store write loses little work."""
    from assistant.store.embeddings import load_embedder

    if not missing:
        return {}
    embedder = load_embedder(model)
    vectors: dict[str, np.ndarray] = {}
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), EMBED_BATCH):
        keys = missing[start : start + EMBED_BATCH]
        report("embed", start, len(missing))
        matrix = embedder.embed_passages([texts[k] for k in keys])
        fresh.update(zip(keys, matrix, strict=True))
        if len(fresh) >= SAVE_EVERY:
            store.save_pending(fresh)
            vectors.update(fresh)
            fresh = {}
    store.save_pending(fresh)
    vectors.update(fresh)
    report("embed", len(missing), len(missing))
    return vectors
