"""A generated answer on top of an extractive one: the extractive answer's quotes become the numbered
evidence, the language model writes a short answer citing them, claims.py drops every sentence its
quotes do not support, and what survives is shown with today's citations. Nothing left (or the model
says EJ I DOKUMENTEN) -> the extractive answer, with the dropped sentences counted.

Does not: select evidence (assistant/answer/ does, through Assistant.ask), start a server unless
ASSISTANT_LLM=bundled, or turn errors into messages (cli/ and ui/ do).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from types import TracebackType
from typing import Any

from assistant.answers import Answer, Citation
from assistant.config import Settings
from assistant.generate.claims import CheckedAnswer, check_answer, lost_facts
from assistant.generate.llm import make_llm, stream_text
from assistant.generate.prompt import build_messages
from assistant.generate.server import BundledServer


class Generator:
    """Example: with Generator(settings) as g: g.generate(assistant.ask(q)).mode == "generated" """

    def __init__(self, settings: Settings, llm: Any = None) -> None:
        if llm is None:
            settings.check_llm()
        self.settings = settings
        self._llm = llm
        self._server: BundledServer | None = None

    @property
    def llm(self) -> Any:
        """The llama-index LLM; for 'bundled' this starts the local server once."""
        if self._llm is None:
            api_base = ""
            if self.settings.llm == "bundled":
                self._server = BundledServer(self.settings).start()
                api_base = self._server.api_base
            self._llm = make_llm(self.settings, api_base)
        return self._llm

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._llm = None

    def __enter__(self) -> Generator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def generate(self, extractive: Answer) -> Answer:
        """The generated answer, or ``extractive`` itself when there is nothing to generate from."""
        result = extractive
        for item in self.stream(extractive):
            if isinstance(item, Answer):
                result = item
        return result

    def stream(self, extractive: Answer) -> Iterator[str | Answer]:
        """Yield the model's text as it is written, then the checked Answer (always last)."""
        evidence = evidence_of(extractive)
        if extractive.abstained or not evidence or self.settings.llm == "off":
            yield extractive
            return
        started = time.perf_counter()
        messages = build_messages(extractive.question, [c.quote for c in evidence])
        pieces: list[str] = []
        first_ms = 0.0
        for piece in stream_text(self.llm, messages):
            if not pieces:
                first_ms = (time.perf_counter() - started) * 1000
            pieces.append(piece)
            yield piece
        support = [f"{c.title}. {c.quote}" for c in evidence]
        checked = check_answer("".join(pieces), support)
        timings = dict(extractive.timings_ms)
        timings["first_token_ms"] = first_ms
        timings["generate_ms"] = (time.perf_counter() - started) * 1000
        yield compose(extractive, evidence, checked, timings)


def evidence_of(answer: Answer) -> list[Citation]:
    """The extractive answer's quotes, each once, in the order the answer cites them."""
    seen: dict[str, Citation] = {}
    for citation in answer.citations:
        seen.setdefault(citation.quote, citation)
    return list(seen.values())


def compose(
    extractive: Answer,
    evidence: list[Citation],
    checked: CheckedAnswer,
    timings: dict[str, float],
) -> Answer:
    """Surviving sentences with their citations renumbered 1, 2, … in order of first use; the
    extractive answer when none survives or the survivors lose a date, number or address it gave."""
    shown = " ".join(s.text for s in checked.kept)
    if not checked.kept or lost_facts(extractive.answer, shown):
        return replace(extractive, timings_ms=timings, dropped_claims=checked.dropped)
    numbers: dict[int, int] = {}
    claims: list[str] = []
    for sentence in checked.kept:
        for i in sentence.ids:
            numbers.setdefault(i, len(numbers) + 1)
        markers = "".join(f"[{numbers[i]}]" for i in sentence.ids)
        claims.append(f"{sentence.text} {markers}")
    citations = tuple(replace(evidence[i - 1], n=n) for i, n in numbers.items())
    return replace(
        extractive,
        answer=" ".join(claims),
        citations=citations,
        claims=tuple(claims),
        timings_ms=timings,
        mode="generated",
        dropped_claims=checked.dropped,
    )
