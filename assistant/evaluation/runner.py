"""The systems under test behind one interface, and one system run over the gold cases.

Systems: ours (hybrid + place/body routing), four ablations or variants of ours (BM25 only, dense
only, hybrid without routing, and with the reader model, or without it where ASSISTANT_READER=on)
and the naive llama-index baseline
(assistant/baseline.py), on one embedding model.

Does not: open the index or load the model (pipeline.py hands in the Assistant), aggregate beyond
SystemResult, or write anything.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.answers import Answer
from assistant.config import Settings
from assistant.documents import Chunk, RetrievedChunk
from assistant.errors import AssistantError
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.metrics import (
    Hit,
    citation_is_precise,
    facts_found,
    hit_at_k,
    match_sources,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    stem,
)
from assistant.evaluation.results import CaseResult, SystemResult

SEARCH_K = 10


@dataclass
class SystemUnderTest:
    """A system behind one interface: ask(question) -> Answer, search(question) -> top-10 chunks."""

    name: str
    label: str
    ask: Callable[[str], Answer]
    search: Callable[[str], list[RetrievedChunk]]
    groups: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )  # chunk id -> copy group

    def hit(self, chunk: Chunk) -> Hit:
        return Hit(self.groups.get(chunk.id, ((chunk.document, shown_text(chunk)),)))


def shown_text(chunk: Chunk) -> str:
    """Headings and text, as a reader sees the chunk. Example: ("Beslutet ska skickas till",) + "Socialnämnden"
    -> "Beslutet ska skickas till Socialnämnden" (gold quotes may run from a heading into its text)."""
    return " ".join([*chunk.heading_path, chunk.text])


def copy_groups(chunks: list[Chunk]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Canonical chunk id -> (document, shown text) of itself and every chunk collapsed into it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        groups.setdefault(chunk.duplicate_of or chunk.id, []).append(
            (chunk.document, shown_text(chunk))
        )
    return {cid: tuple(members) for cid, members in groups.items()}


def run_case(system: SystemUnderTest, case: GoldCase, verify: Callable[[Any], bool]) -> CaseResult:
    """Ask and search one case; an AssistantError is recorded on the case and the run goes on."""
    error, answer = "", Answer(case.question, "", abstained=False)
    started = time.perf_counter()
    try:
        answer = system.ask(case.question)
    except AssistantError as exc:
        error = str(exc)
    latency = (time.perf_counter() - started) * 1000
    found = facts_found(
        case.expected_facts, " ".join([answer.answer, *(c.quote for c in answer.citations)])
    )
    gold_quotes = [s.quote for s in case.sources]
    gold_docs = {stem(s.document) for s in case.sources}
    retrieval: dict[str, float | None] = {}
    if not case.abstain:
        try:
            matched = match_sources(
                [system.hit(r.chunk) for r in system.search(case.question)], case.sources
            )
        except AssistantError as exc:
            error, matched = error or str(exc), []
        n = len(case.sources)
        retrieval = {
            "hit1": hit_at_k(matched, 1),
            "hit5": hit_at_k(matched, 5),
            "rr": reciprocal_rank(matched),
            "recall10": recall_at_k(matched, n, SEARCH_K),
            "ndcg10": ndcg_at_k(matched, n, SEARCH_K),
        }
    answered = not answer.abstained and not error
    return CaseResult(
        id=case.id,
        tags=case.tags,
        question=case.question,
        abstain_expected=case.abstain,
        abstained=answer.abstained,
        correct=answer.abstained if case.abstain else answered and all(found),
        answer_correct=answered
        and not case.abstain
        and all(facts_found(case.expected_facts, answer.answer)),
        facts_found=sum(found),
        facts_total=len(found),
        citations=len(answer.citations),
        citations_precise=sum(
            citation_is_precise(c.quote, case.expected_facts, gold_quotes) for c in answer.citations
        ),
        citations_verbatim=sum(bool(verify(c)) for c in answer.citations),
        sources_total=len(gold_docs),
        sources_cited=len(gold_docs & {stem(c.document) for c in answer.citations}),
        latency_ms=latency,
        missing_facts=tuple(
            alts[0] for alts, ok in zip(case.expected_facts, found, strict=True) if not ok
        ),
        answer=answer.answer[:300],
        error=error,
        **retrieval,
    )


def evaluate_system(
    system: SystemUnderTest, cases: list[GoldCase], verify: Callable[[Any], bool]
) -> SystemResult:
    started = time.perf_counter()
    results = [run_case(system, case, verify) for case in cases]
    return SystemResult.from_cases(
        system.name, system.label, results, time.perf_counter() - started
    )


def our_systems(assistant: Any, cases: list[GoldCase], quick: bool) -> list[SystemUnderTest]:
    """Ours, and unless quick the four ablations, all searching the assistant's open index."""
    groups = copy_groups(assistant.chunks())
    # ours as the settings run it (the reader model is off unless ASSISTANT_READER=on); the
    # reader row shows the other choice
    on = assistant.settings.reader == "on"
    variants = [("ours", "ours (hybrid + routing)", "hybrid", True, on)]
    if not quick:
        variants += [
            ("bm25", "ablation: BM25 only", "bm25", True, on),
            ("dense", "ablation: dense only", "dense", True, on),
            ("no-routing", "ablation: hybrid, no routing", "hybrid", False, on),
            ("no-reader", "ablation: without the reader model", "hybrid", True, False)
            if on
            else ("with-reader", "variant: with the reader model", "hybrid", True, True),
        ]
    # subtle: ask() embeds each question itself (that is the latency we report); the top-10 searches
    # reuse one batch of query vectors, identical to single embeddings and many times cheaper.
    texts = []
    for case in cases:
        with contextlib.suppress(AssistantError):  # a bad question is recorded by run_case
            texts.append(assistant.check_question(case.question))
    vectors = dict(zip(texts, assistant.embed_queries(texts), strict=True)) if texts else {}

    def system(name: str, label: str, mode: str, routing: bool, reader: bool) -> SystemUnderTest:
        def search(question: str) -> list[RetrievedChunk]:
            text = assistant.check_question(question)
            return assistant.retrieve(text, None, SEARCH_K, mode, routing, vectors.get(text))

        return SystemUnderTest(
            name,
            label,
            lambda q: assistant.ask(q, mode=mode, routing=routing, reader=reader),
            search,
            groups,
        )

    return [system(*v) for v in variants]


def baseline_system(settings: Settings, embedder: Any) -> SystemUnderTest:
    """The naive llama-index pipeline over the same corpus, embedded with our model."""
    from assistant.evaluation.baseline import NaiveLlamaIndexBaseline

    naive = NaiveLlamaIndexBaseline(settings.corpus_dir, embedder)
    # Its answers use its own top 5; its ranking is scored on the top 10, exactly like ours.
    return SystemUnderTest(
        "llamaindex", "baseline: naive llama-index", naive.ask, lambda q: naive.search(q, SEARCH_K)
    )
