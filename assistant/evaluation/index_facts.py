"""Facts about the index a run was scored on: its size, chunk counts, ingest timings, and gold
quotes that no single chunk holds (so retrieval cannot hit them as chunked).

Does not: build or change the index: the no-change re-ingest is timed only when it cannot rebuild.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.documents import Chunk
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.metrics import Hit, source_matches
from assistant.evaluation.runner import shown_text

if TYPE_CHECKING:
    from assistant.service import Assistant


def unfindable_quotes(cases: list[GoldCase], chunks: list[Chunk]) -> list[str]:
    """Gold quotes that no chunk of the index holds whole: retrieval cannot hit them as chunked."""
    hits = [Hit(((c.document, shown_text(c)),)) for c in chunks]
    missing = [
        f"{case.id}: {s.quote[:60]}"
        for case in cases
        for s in case.sources
        if not any(source_matches(h, s) for h in hits)
    ]
    return [f"gold quote in no single chunk (split by chunking?) — {m}" for m in missing]


def index_facts(settings: Settings, assistant: Assistant) -> dict[str, Any]:
    """Size of the live index folder, chunk count, and ingest timings where they are cheap to know."""
    folder = assistant.index_folder()
    chunks, manifest = assistant.chunks(), assistant.manifest()
    facts: dict[str, Any] = {
        "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
        "chunks": len(chunks),
        "canonical_chunks": sum(1 for c in chunks if c.duplicate_of is None),
        "ingest_s": manifest.get("seconds", manifest.get("ingest_seconds")),
        "ingest_nochange_s": None,
    }
    if _corpus_matches_manifest(settings, manifest):
        from assistant.ingest.pipeline import ingest_corpus

        started = time.perf_counter()
        ingest_corpus(settings)  # nothing changed, so this only hashes files and returns
        facts["ingest_nochange_s"] = round(time.perf_counter() - started, 3)
    return facts


def _corpus_matches_manifest(settings: Settings, manifest: dict[str, Any]) -> bool:
    # subtle: the no-change re-ingest is timed only when it cannot rebuild: same model, same files, same bytes.
    from assistant.ingest.pipeline import MANIFEST_VERSION

    if (
        manifest.get("model") != settings.embedding_model
        or manifest.get("version") != MANIFEST_VERSION
    ):
        return False
    corpus = Path(settings.corpus_dir)
    present = {
        p.relative_to(corpus).as_posix(): p
        for p in corpus.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    }
    files = manifest.get("files", {})
    if set(present) != set(files):
        return False
    return all(
        hashlib.sha1(present[rel].read_bytes()).hexdigest() == info.get("sha1")
        for rel, info in files.items()
    )
