"""Assistant: the Python API that CLI, UI and evaluation share. Opens the index and the model lazily.

Does not: print, parse arguments or exit; errors reach callers as AssistantError subclasses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answers import Answer
from assistant.config import Settings
from assistant.documents import Chunk, Filters, IngestSummary, RetrievalResult, RetrievedChunk
from assistant.ingest.pipeline import ingest_corpus
from assistant.ingest.vectors import Progress, fill_vectors
from assistant.messages import worded
from assistant.search.bm25 import LexicalIndex
from assistant.search.hybrid import HybridRetriever

if TYPE_CHECKING:
    from assistant.answer.question import Question
    from assistant.answer.verify import CitationVerifier
    from assistant.store.embeddings import Embedder
    from assistant.store.snapshot import Snapshot

LEXICAL = "lexical"  # the BM25 index, in the generation folder beside chunks.jsonl


class Assistant:
    """Example: Assistant(Settings()).ask("När ska återkoppling skickas?").citations[0].quote"""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._reload_lock = threading.Lock()

    # --- index -------------------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[Path] = (), progress: Progress | None = None, wait: bool = True
    ) -> IngestSummary:
        """Make the files answerable (BM25, citations), then, with ``wait``, fill in the vectors
        they lack before returning; without it the caller runs ``fill_vectors`` (in a thread)."""
        summary = ingest_corpus(self.settings, paths, progress)
        self.reload()
        self._save_lexical()
        if progress is not None:  # every file can be asked now, by word search at least
            progress("answerable", summary.chunks, summary.chunks)
        if wait:
            self.fill_vectors(progress)
            summary.pending_vectors = 0
        return summary

    def fill_vectors(self, progress: Progress | None = None) -> int:
        """Embed what the live index lacks (resumes an interrupted fill); texts embedded now."""
        embedded = fill_vectors(self.settings, progress)
        if embedded or self.__dict__.get("snapshot") is not None:
            self.reload()
        self._save_lexical()
        return embedded

    def dense_state(self) -> str:
        """Whether every chunk has its vector ("complete"), or some wait for theirs ("partial";
        search is lexical for those)."""
        return self.snapshot.dense

    def waiting_documents(self) -> set[str]:
        """Documents with a chunk that has no vector yet (empty once a fill is complete)."""
        from assistant.store.snapshot import text_key

        if self.snapshot.dense != "partial":
            return set()
        vectors = self.snapshot.vectors
        return {
            c.document
            for c in self.snapshot.chunks
            if c.duplicate_of is None and text_key(c.embed_text()) not in vectors
        }

    def _save_lexical(self) -> None:
        """Build the live generation's BM25 index once, so no question has to."""
        from assistant.store.chroma import IndexStore

        store = IndexStore(self.settings.index_dir, self.settings.chroma_host)
        folder = store.current()
        if folder is None or (folder / LEXICAL).exists():
            return
        canonical = [c for c in store.load_chunks() if c.duplicate_of is None]
        with suppress(OSError):  # read-only or full disk: questions build it in memory instead
            LexicalIndex.build(canonical).save(folder / LEXICAL)

    def reload(self) -> None:
        """Forget the loaded index so the next question sees the newest generation."""
        for name in ("snapshot", "retriever", "answerer", "verifier"):
            self.__dict__.pop(name, None)

    def follow_index(self) -> bool:
        """Reload when another process (a CLI ingest) switched index/CURRENT since we loaded it;
        True when it did. A long-running process (the web UI) calls this between questions."""
        loaded = self.__dict__.get("snapshot")
        if loaded is None:
            return False
        pointer = Path(self.settings.index_dir) / "CURRENT"
        try:
            live = pointer.read_text().strip()
        except OSError:
            return False
        if live == loaded.folder.name:
            return False
        with self._reload_lock:
            if self.__dict__.get("snapshot") is loaded:
                self.reload()
        return True

    @cached_property
    def snapshot(self) -> Snapshot:
        from assistant.store.chroma import IndexStore

        return IndexStore(self.settings.index_dir, self.settings.chroma_host).load()

    @cached_property
    def embedder(self) -> Embedder:
        from assistant.store.embeddings import load_embedder

        model = self.snapshot.manifest.get("model", self.settings.embedding_model)
        return load_embedder(model)

    def chunks(self) -> list[Chunk]:
        """Every chunk of the open index (copies included), in index order. Raises IndexMissing."""
        return self.snapshot.chunks

    def manifest(self) -> dict[str, Any]:
        """The open index's manifest: model, files (name -> hash, chunks, …), timings."""
        return self.snapshot.manifest

    def index_folder(self) -> Path:
        """The folder of the generation that answers questions now."""
        return Path(self.snapshot.folder)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors for many questions at once (one batch; same vectors as one by one)."""
        return self.embedder.embed_queries(texts)

    @cached_property
    def retriever(self) -> HybridRetriever:
        folder = self.snapshot.folder / LEXICAL
        try:
            lexical: LexicalIndex | None = LexicalIndex.load(folder)
        except (OSError, ValueError, KeyError):
            lexical = None  # an index written before the lexical index was saved
        retriever = HybridRetriever(
            self.snapshot.chunks, self.snapshot.dense_query, self.embedder, lexical
        )
        if retriever.lexical is not lexical:
            with suppress(OSError):
                retriever.lexical.save(folder)
        return retriever

    @cached_property
    def verifier(self) -> CitationVerifier:
        """The citation check, reading what the open index stored of each unchanged file."""
        from assistant.answer.verify import CitationVerifier
        from assistant.store.sources import StoredSources

        manifest = self.snapshot.manifest
        stored = StoredSources(self.settings.index_dir, str(manifest.get("pipeline", "")))
        return CitationVerifier(self.settings.corpus_dir, manifest.get("files", {}), stored)

    @cached_property
    def answerer(self):  # type: ignore[no-untyped-def]
        from assistant.answer.answerer import ExtractiveAnswerer
        from assistant.language.shapes import designations

        orgs = sorted({o for c in self.snapshot.chunks for o in c.metadata.orgs})
        chunks = self.snapshot.chunks

        def document_texts() -> dict[str, list[str]]:
            texts: dict[str, list[str]] = {}
            for chunk in chunks:
                texts.setdefault(chunk.document, []).append(chunk.search_text())
            return texts

        def held_designations() -> frozenset[str]:
            held = {d for chunk in chunks for d in chunk.metadata.designations}
            held.update(d for chunk in chunks for d in designations(chunk.text))
            return frozenset(held)

        return ExtractiveAnswerer(
            self._answer_vectors(),
            self.verifier,
            self.settings.max_answer_claims,
            orgs,
            self.retriever.lexical.idf,
            document_texts,
            held_designations,
        )

    def _answer_vectors(self) -> Mapping[str, np.ndarray]:
        """The vectors the answerer weighs spans with. While a fill is running, the first few
        ranked chunks of a question without one get a stand-in at first use, the embedding of
        their title, heading path and first words (a whole chunk would cost the ask ~0.6 s):
        their "dense" feature would read 0 otherwise, and the scorer (fitted with vectors)
        would abstain on an answerable question. A complete index reads its vectors only."""
        from assistant.store.embeddings import ON_DEMAND_WORDS, VectorsOnDemand
        from assistant.store.snapshot import text_key

        stored = self.snapshot.vectors
        if self.snapshot.dense != "partial":
            return stored
        waiting = {
            text_key(c.embed_text()): c.embed_text(ON_DEMAND_WORDS) for c in self.snapshot.chunks
        }
        return VectorsOnDemand(stored, waiting, self.embedder)

    # --- questions ---------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        """The question as one line of plain text, or BadQuestion saying what is wrong with it."""
        from assistant.answer.question.check import checked

        return checked(question, self.settings.max_question_chars)

    def understand(self, question: str, follow_up: str = "") -> Question:
        """The question understood (the first step of answering): a follow-up of ``follow_up``
        made whole, what it asks and names, its terms as the open index writes them.

        Example: understand("och Västerbotten?", "Vad beslutade Uppsala om X?").text
        -> "Vad beslutade Västerbotten om X?"
        """
        from assistant.answer.question import Question

        text = self.check_question(question)
        previous = self.check_question(follow_up) if (follow_up or "").strip() else None
        self.follow_index()
        return Question.parse(text, previous, self.retriever.corpus)

    def rewrite(self, question: str, follow_up: str) -> str:
        """A follow-up made whole with the question before it, without opening the index (the UI
        shows it before answering). Example: rewrite("och Västerbotten?", "Vad beslutade Uppsala
        om X?") -> "Vad beslutade Västerbotten om X?"; a question of its own is returned as it is.
        """
        from assistant.answer.question import Question

        return Question.parse(question, follow_up if (follow_up or "").strip() else None).text

    def search(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
        routing: bool = True,
        query_vector: np.ndarray | None = None,
        follow_up: str = "",
    ) -> RetrievalResult:
        """Ranked chunks for a question. ``mode``: hybrid | bm25 | dense; ``query_vector`` skips
        embedding the question; ``follow_up``: the question this one follows up."""
        asked = self.understand(question, follow_up)
        k = top_k or self.settings.top_k
        return self.retriever.retrieve(asked, k, filters, mode, routing, query_vector)

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
        routing: bool = True,
        query_vector: np.ndarray | None = None,
    ) -> list[RetrievedChunk]:
        """The ranked chunks only (see ``search``)."""
        return list(self.search(question, filters, top_k, mode, routing, query_vector).chunks)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        mode: str = "hybrid",
        routing: bool = True,
        reader: bool | None = None,
        follow_up: str = "",
    ) -> Answer:
        """``reader`` weighs the reader model in (True) or not (False); None follows the
        ASSISTANT_READER setting (off by default). The evaluation's ablation sets it.
        ``follow_up``: the previous question, when this one may follow it up ("och Umeå?")."""
        if reader is None:
            reader = self.settings.reader == "on"
        from assistant.answer.answerer import merge_answers

        started = time.perf_counter()
        asked = self.understand(question, follow_up)
        understood_ms = (time.perf_counter() - started) * 1000
        top_k = self.settings.top_k
        result = self.retriever.retrieve(asked, top_k, filters, mode, routing)
        regions = asked.regions() if routing else []
        if regions:
            # A question about several regions is answered region by region, then merged.
            parts = [
                self.answerer.answer(
                    region,
                    self.retriever.retrieve(
                        region, top_k, filters, mode, routing, result.query_vector
                    ),
                    parts=len(regions),
                    reader=reader,
                )
                for region in regions
            ]
            names = [" och ".join(p.official for p in region.places) for region in regions]
            answer = merge_answers(asked.text, parts, names)
        else:
            answer = self.answerer.answer(asked, result, result.timings_ms, reader=reader)
        answer.timings_ms.update(
            {k: v for k, v in result.timings_ms.items() if k not in answer.timings_ms}
        )
        answer.timings_ms["understand_ms"] = understood_ms
        answer.timings_ms["total_ms"] = (time.perf_counter() - started) * 1000
        return worded(answer)
