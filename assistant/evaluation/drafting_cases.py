"""The drafting gold cases through our draft_decision: per case, which required wordings the draft
holds and which required sources it cites, how many of its citations verify; the aggregates.

A case passes when every required wording is in the draft (compared with normalize_for_match, as
tests/test_drafting.py does) and every required source file is cited. A case whose draft raises an
AssistantError fails with the message recorded; the run goes on.

Does not: open the index or build the draft function (pipeline.py hands it in), or write anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from assistant.errors import AssistantError
from assistant.evaluation.gold import DraftingCase
from assistant.language.text import normalize_for_match

# (org, strategy, body) -> a DraftResult (.text, .citations)
DraftFn = Callable[[str, str, str], Any]


@dataclass(frozen=True)
class DraftingCaseResult:
    """What our draft_decision did with one drafting gold case."""

    id: str
    org: str
    strategy: str
    body: str
    passed: bool
    wording_found: int
    wording_total: int
    sources_cited: int
    sources_total: int
    citations: int
    citations_verbatim: int
    latency_ms: float
    missing_wording: tuple[str, ...] = ()
    missing_sources: tuple[str, ...] = ()
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftingCaseResult:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for key in ("missing_wording", "missing_sources"):
            data[key] = tuple(data.get(key, ()))
        return cls(**data)

    @property
    def request(self) -> str:
        """Example: "Ljusdals kommun / Välfärdsstrategin / kommunfullmäktige" """
        return " / ".join(p for p in (self.org, self.strategy, self.body) if p)


def run_drafting_case(
    draft: DraftFn, case: DraftingCase, verify: Callable[[Any], bool]
) -> DraftingCaseResult:
    """Draft one case and score it; an AssistantError fails the case with its message."""
    started = time.perf_counter()
    error, text, citations = "", "", list[Any]()
    try:
        result = draft(case.org, case.strategy, case.body)
        text, citations = result.text, list(result.citations)
    except AssistantError as exc:
        error = str(exc)
    latency = (time.perf_counter() - started) * 1000
    haystack = normalize_for_match(text)
    missing_wording = tuple(
        w for w in case.required_wording if normalize_for_match(w) not in haystack
    )
    cited = {c.document for c in citations}
    missing_sources = tuple(s for s in case.required_sources if s not in cited)
    return DraftingCaseResult(
        id=case.id,
        org=case.org,
        strategy=case.strategy,
        body=case.body,
        passed=not error and not missing_wording and not missing_sources,
        wording_found=len(case.required_wording) - len(missing_wording),
        wording_total=len(case.required_wording),
        sources_cited=len(case.required_sources) - len(missing_sources),
        sources_total=len(case.required_sources),
        citations=len(citations),
        citations_verbatim=sum(bool(verify(c)) for c in citations),
        latency_ms=latency,
        missing_wording=missing_wording,
        missing_sources=missing_sources,
        error=error,
    )


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summarize_drafting(cases: list[DraftingCaseResult]) -> dict[str, float | None]:
    """The drafting metrics (keys of metrics.DRAFTING_METRICS); None where nothing was counted.

    Example: [a passing case with 12 verified citations] -> {"drafting_cases_passed": 1.0, …, "drafting_verbatim_rate": 1.0}
    """
    return {
        "drafting_cases_passed": _ratio(sum(c.passed for c in cases), len(cases)),
        "drafting_wording_recall": _ratio(
            sum(c.wording_found for c in cases), sum(c.wording_total for c in cases)
        ),
        "drafting_source_recall": _ratio(
            sum(c.sources_cited for c in cases), sum(c.sources_total for c in cases)
        ),
        "drafting_verbatim_rate": _ratio(
            sum(c.citations_verbatim for c in cases), sum(c.citations for c in cases)
        ),
    }


def drafting_state(case: DraftingCaseResult) -> str:
    """What happened to a drafting case, in words. Example: "missing wording 'Regionfullmäktige'" """
    if case.error:
        return f"error: {case.error}"
    if case.passed:
        return "passed"
    parts = []
    if case.missing_wording:
        parts.append("missing wording " + ", ".join(repr(w) for w in case.missing_wording))
    if case.missing_sources:
        parts.append("not cited " + ", ".join(case.missing_sources))
    return "; ".join(parts)


@dataclass
class DraftingResult:
    """Our draft_decision over the drafting gold cases: metrics and every case."""

    metrics: dict[str, float | None]
    cases: list[DraftingCaseResult] = field(default_factory=list)
    seconds: float = 0.0
    folder: str = ""

    @classmethod
    def from_cases(
        cls, cases: list[DraftingCaseResult], seconds: float = 0.0, folder: str = ""
    ) -> DraftingResult:
        return cls(summarize_drafting(cases), cases, seconds, folder)

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "seconds": round(self.seconds, 2),
            "passed": self.passed,
            "total": len(self.cases),
            "metrics": self.metrics,
            "cases": [c.to_json() for c in self.cases],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftingResult:
        return cls(
            data.get("metrics", {}),
            [DraftingCaseResult.from_json(c) for c in data.get("cases", [])],
            data.get("seconds", 0.0),
            data.get("folder", ""),
        )


def evaluate_drafting(
    draft: DraftFn, cases: list[DraftingCase], verify: Callable[[Any], bool], folder: str = ""
) -> DraftingResult:
    started = time.perf_counter()
    results = [run_drafting_case(draft, case, verify) for case in cases]
    return DraftingResult.from_cases(results, time.perf_counter() - started, folder)
