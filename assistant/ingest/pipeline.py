"""Corpus folder -> index generation, incremental by content hash, answerable before embedded.

Unchanged files keep their chunks and vectors; changed files are re-chunked, deleted files drop
out. ``ingest_corpus`` switches to a generation as soon as the files are chunked: every chunk is
in it (searchable by BM25), with the vectors the cache already has; its manifest counts the
vectors it still lacks. ``fill_vectors`` then embeds only texts never embedded before (saved as
pending at once, so an interrupted fill resumes) and switches to the same generation with every
vector. Does not: rank or answer.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.documents import Chunk, IngestSummary, SkippedFile
from assistant.errors import AssistantError, IndexDamaged, UnreadableFile
from assistant.ingest.chunking import chunk_source, collapse_duplicates
from assistant.ingest.files import (
    bring_into_corpus,
    corpus_files,
    hash_files,
    kept_for_citations,
    rel_path,
    unreadable_reason,
)
from assistant.ingest.imitations import blank_imitations
from assistant.ingest.readers import SUPPORTED, read_source
from assistant.ingest.vectors import Progress, cached_vectors, texts_to_embed
from assistant.ingest.zipcheck import ZipLimits
from assistant.store.chroma import IndexStore
from assistant.store.embeddings import load_embedder
from assistant.store.guard import clean_leftovers, index_lock
from assistant.store.snapshot import text_key
from assistant.store.sources import FAILURES as SOURCES_FAILURES
from assistant.store.sources import StoredSources

MANIFEST_VERSION = 2


def ingest_corpus(
    settings: Settings, paths: Iterable[Path] = (), progress: Progress | None = None
) -> IngestSummary:
    """Bring the index in line with the corpus (or add/refresh just ``paths``).

    Example: ingest_corpus(Settings()).chunks -> 76
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    corpus = Path(settings.corpus_dir)
    if not corpus.is_dir():
        raise AssistantError(
            f"corpus folder '{corpus}' does not exist: create it and put documents in it"
        )
    # subtle: the lock is taken before the old manifest is read, so a second ingest builds on the
    # first one's result instead of overwriting it (no lost update, no deleted generation).
    with index_lock(Path(settings.index_dir), on_wait=lambda: report("wait", 0, 1)):
        return _ingest_locked(settings, corpus, paths, report, started)


def _ingest_locked(
    settings: Settings, corpus: Path, paths: Iterable[Path], report: Progress, started: float
) -> IngestSummary:
    store = IndexStore(settings.index_dir, settings.chroma_host)
    live = store.current()
    leftovers = clean_leftovers(Path(settings.index_dir), live.name if live else None)
    damaged, vector_model = "", None
    try:
        old_manifest = store.load_manifest()
        vector_model = old_manifest.get("model")  # vectors stay good when only the chunks are not
        store.check_intact()
    except IndexDamaged as exc:  # a damaged live index is rebuilt from the files, not trusted
        old_manifest, damaged = {}, str(exc)
    # subtle: chunks made by older parsing code are stale even when the files are not; the
    # fingerprint of the parsing code decides whether old chunks may be reused.
    same_model = (
        old_manifest.get("model") == settings.embedding_model
        and old_manifest.get("version") == MANIFEST_VERSION
        and old_manifest.get("pipeline") == pipeline_fingerprint()
        and old_manifest.get("max_chunk_chars") == settings.max_chunk_chars
    )
    old_files: dict[str, dict] = old_manifest.get("files", {}) if same_model else {}
    summary = IngestSummary()
    if vector_model and vector_model != settings.embedding_model:
        summary.notes.append(
            f"the index's vectors are {vector_model}'s and this ingest's model is "
            f"{settings.embedding_model}: every text is embedded again (to keep them, set "
            f"ASSISTANT_EMBEDDING_MODEL={vector_model})"
        )
    if leftovers:
        summary.notes.append(f"removed leftovers of an interrupted ingest: {', '.join(leftovers)}")

    explicit = [Path(p) for p in paths]
    targets = (
        bring_into_corpus(explicit, corpus, summary) if explicit else corpus_files(corpus, summary)
    )
    sync_all = not explicit
    if explicit and old_manifest and not same_model:
        # subtle: the old chunks cannot be reused (other parsing code, model or chunk size), so an
        # index of the given files alone would drop every other document: read the whole corpus
        targets, sync_all = corpus_files(corpus), True
        summary.notes.append("the index was made by another version: every file is read again")
    digests, unreadable, stamps = hash_files(targets)
    if same_model and not damaged and not unreadable and store.current() is not None:
        unchanged = _nothing_changed(targets, digests, corpus, old_manifest, sync_all, summary)
        if unchanged:
            summary.seconds = time.perf_counter() - started
            return summary  # the live index stays as it is; no chunk is even loaded
    try:
        old_chunks = store.load_chunks() if same_model and not damaged else []
    except IndexDamaged as exc:
        old_chunks, damaged = [], str(exc)
    if damaged:
        summary.notes.append(f"{damaged.split(';')[0]}; rebuilt from the files")
        old_files = {}
        if explicit:  # nothing of the old index can be kept: read the whole corpus
            targets, sync_all = corpus_files(corpus), True
            digests, unreadable, stamps = hash_files(targets)

    files: dict[str, dict] = {} if sync_all else dict(old_files)
    fingerprint = pipeline_fingerprint()
    stored = StoredSources(Path(settings.index_dir), fingerprint)
    zip_limits = ZipLimits(settings.max_unzipped_mb, settings.max_zip_ratio)
    chunks_by_doc: dict[str, list[Chunk]] = {}
    for chunk in old_chunks:
        chunks_by_doc.setdefault(chunk.document, []).append(replace(chunk, duplicate_of=None))
    if sync_all:
        present = {rel_path(p, corpus) for p in targets}
        for gone in set(old_files) - present:
            chunks_by_doc.pop(gone, None)
            summary.removed += 1

    for number, path in enumerate(targets, start=1):
        report("read", number, len(targets))
        rel = rel_path(path, corpus)
        summary.files += 1
        if path.suffix.lower() not in SUPPORTED:
            summary.skipped.append(SkippedFile(rel, f"unsupported file type '{path.suffix}'"))
            continue
        previous = old_files.get(rel)
        if path in unreadable:
            failure = unreadable[path]
            # A file that vanished drops out; one that cannot be read keeps its indexed version.
            keep = not isinstance(failure, FileNotFoundError)
            kept = " (its previously indexed version is kept)" if previous and keep else ""
            summary.skipped.append(SkippedFile(rel, unreadable_reason(failure) + kept))
            if previous and keep:
                files[rel] = previous
            continue
        digest = digests[path]
        if previous and previous["sha1"] == digest and rel in chunks_by_doc:
            files[rel] = previous
            summary.unchanged += 1
            summary.subdocuments += previous.get("subdocs", 0)
            summary.sections += previous.get("sections", 0)
            continue
        try:
            read = read_source(
                path,
                rel,
                settings.max_file_mb,
                settings.ocr_max_pages,
                settings.max_html_mb,
                zip_limits,
            )
            # the citation check keeps `read` (the file as it is); the index gets the text
            # with imitated citations blanked, and its notes name them
            indexed = blank_imitations(read)
            new_chunks, subdocs, sections = chunk_source(indexed, settings.max_chunk_chars)
        except UnreadableFile as exc:
            # A file that vanished after it was hashed drops out, said as plainly as one that
            # vanished before; one that cannot be read keeps its previously indexed version.
            if not path.exists():
                summary.skipped.append(SkippedFile(rel, unreadable_reason(FileNotFoundError())))
                continue
            kept = " (its previously indexed version is kept)" if previous else ""
            summary.skipped.append(SkippedFile(rel, f"{exc}{kept}"))
            if previous:
                files[rel] = previous
            continue
        summary.notes.extend(f"{rel}: {note}" for note in indexed.notes)
        if not new_chunks:
            summary.skipped.append(SkippedFile(rel, "no text sections found"))
            continue
        chunks_by_doc[rel] = new_chunks
        summary.readers[rel] = read.reader
        files[rel] = {
            "sha1": digest,
            "subdocs": subdocs,
            "sections": sections,
            "chunks": len(new_chunks),
            "reader": read.reader,
            **kept_for_citations(stored, path, digest, stamps.get(path), read),
        }
        summary.changed += 1
        summary.subdocuments += subdocs
        summary.sections += sections

    if summary.changed == 0 and summary.removed == 0 and store.current() is not None and same_model:
        # Nothing changed: the live index stays as it is, and no chunk is compared again.
        summary.chunks = sum(len(chunks_by_doc.get(doc, ())) for doc in files)
        summary.duplicates = sum(1 for c in old_chunks if c.duplicate_of and c.document in files)
        summary.seconds = time.perf_counter() - started
        return summary
    all_chunks = collapse_duplicates(
        [c for doc in sorted(chunks_by_doc) if doc in files for c in chunks_by_doc[doc]]
    )
    summary.chunks = len(all_chunks)
    summary.duplicates = sum(1 for c in all_chunks if c.duplicate_of)

    # Vectors are keyed by the text they embed, so they stay valid across parser changes.
    cache = cached_vectors(store) if vector_model == settings.embedding_model else {}
    wanted = {text_key(t) for t in texts_to_embed(all_chunks)}
    vectors = {k: cache[k] for k in wanted if k in cache}
    summary.pending_vectors = len(wanted) - len(vectors)
    manifest = {
        "version": MANIFEST_VERSION,
        "model": settings.embedding_model,
        "files": files,
        "pipeline": fingerprint,
        "max_chunk_chars": settings.max_chunk_chars,
        "duplicates": summary.duplicates,
        "vectors_missing": summary.pending_vectors,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    if summary.pending_vectors:
        # A model that cannot be loaded fails here, before the live index is replaced by one
        # whose vectors could never be filled in (the fill reuses the loaded model).
        load_embedder(settings.embedding_model)
    report("write", 0, 1)
    # subtle: the stored texts are optional (the citation check reads a file it finds none for),
    # so failing to write or prune them never fails the ingest.
    with suppress(*SOURCES_FAILURES):
        stored.commit()
    store.write(all_chunks, vectors, manifest)
    with suppress(*SOURCES_FAILURES):
        stored.keep_only(entry["sha1"] for entry in files.values())
    report("write", 1, 1)
    summary.seconds = time.perf_counter() - started
    return summary


def _nothing_changed(
    targets: list[Path],
    digests: dict[Path, str],
    corpus: Path,
    manifest: dict,
    sync_all: bool,
    summary: IngestSummary,
) -> bool:
    """Whether every file is as the live index has it (and none is gone); fills the summary if so."""
    old_files: dict[str, dict] = manifest.get("files", {})
    seen: set[str] = set()
    for path in targets:
        rel = rel_path(path, corpus)
        seen.add(rel)
        previous = old_files.get(rel)
        if path not in digests:
            continue
        if not previous or previous["sha1"] != digests[path] or not previous.get("chunks"):
            return False
    if sync_all and set(old_files) - seen:
        return False
    for path in targets:
        rel = rel_path(path, corpus)
        summary.files += 1
        if path not in digests:
            summary.skipped.append(SkippedFile(rel, f"unsupported file type '{path.suffix}'"))
            continue
        summary.unchanged += 1
        summary.subdocuments += old_files[rel].get("subdocs", 0)
        summary.sections += old_files[rel].get("sections", 0)
    summary.chunks = sum(entry.get("chunks", 0) for entry in old_files.values())
    summary.duplicates = int(manifest.get("duplicates", 0))
    return True


def pipeline_fingerprint() -> str:
    """Hash of the code and data that turn files into chunks and choose what is embedded; a change
    re-chunks every file (vectors of unchanged texts still come from the cache)."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha1()
    for name in (
        "documents.py",  # search_text: what is embedded
        "ingest/*.py",
        "language/text.py",
        "language/shapes.py",
        "language/places.py",
        "language/data/*.json",  # the gazetteer, headings, dates, abbreviations, document kinds …
    ):
        for path in sorted(package.glob(name)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
