"""What a run produced: one system's result per gold case, and that system's aggregate metrics
over all its cases and per tag.

Does not: run a system (runner.py), compare runs (report.py) or enforce anything (gate.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from assistant.evaluation.metrics import percentile


@dataclass(frozen=True)
class CaseResult:
    """What one system did with one gold case. Retrieval fields are None for unanswerable cases."""

    id: str
    tags: tuple[str, ...]
    question: str
    abstain_expected: bool
    abstained: bool
    correct: bool  # answerable: not abstained and every fact found; unanswerable: abstained
    answer_correct: bool  # answerable: every fact in the answer text alone (quotes not counted)
    facts_found: int
    facts_total: int
    citations: int
    citations_precise: int
    citations_verbatim: int
    sources_total: int  # distinct gold document stems
    sources_cited: int
    latency_ms: float
    hit1: float | None = None
    hit5: float | None = None
    rr: float | None = None
    recall10: float | None = None
    ndcg10: float | None = None
    missing_facts: tuple[str, ...] = ()
    answer: str = ""
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["tags"], data["missing_facts"] = (
            tuple(data.get("tags", ())),
            tuple(data.get("missing_facts", ())),
        )
        return cls(**data)


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else None


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def summarize(cases: list[CaseResult]) -> dict[str, float | None]:
    """The metrics of one system over some cases (all of them, or one tag's).

    Example: summarize([answerable case found right]) -> {"fact_accuracy": 1.0, "abstention_accuracy": None, …}
    """
    answerable = [c for c in cases if not c.abstain_expected]
    unanswerable = [c for c in cases if c.abstain_expected]
    return {
        "hit@1": _mean(c.hit1 for c in answerable),
        "hit@5": _mean(c.hit5 for c in answerable),
        "recall@10": _mean(c.recall10 for c in answerable),
        "mrr": _mean(c.rr for c in answerable),
        "ndcg@10": _mean(c.ndcg10 for c in answerable),
        "fact_accuracy": _mean(float(c.correct) for c in answerable),
        "answer_fact_accuracy": _mean(float(c.answer_correct) for c in answerable),
        "per_fact_accuracy": _ratio(
            sum(c.facts_found for c in answerable), sum(c.facts_total for c in answerable)
        ),
        "citation_precision": _ratio(
            sum(c.citations_precise for c in answerable), sum(c.citations for c in answerable)
        ),
        "citation_recall": _ratio(
            sum(c.sources_cited for c in answerable), sum(c.sources_total for c in answerable)
        ),
        # answerable cases where at least one citation is from a gold source document
        "citation_right_document": _mean(float(c.sources_cited > 0) for c in answerable),
        "verbatim_rate": _ratio(
            sum(c.citations_verbatim for c in cases), sum(c.citations for c in cases)
        ),
        "abstention_accuracy": _mean(float(c.abstained) for c in unanswerable),
        # abstaining is the positive class: of all abstentions, how many were right
        "abstention_precision": _ratio(
            sum(c.abstained for c in unanswerable), sum(c.abstained for c in cases)
        ),
        "abstention_recall": _mean(float(c.abstained) for c in unanswerable),
        "false_abstention_rate": _mean(float(c.abstained) for c in answerable),
        "latency_p50_ms": percentile([c.latency_ms for c in cases], 50),
        "latency_p95_ms": percentile([c.latency_ms for c in cases], 95),
    }


def per_tag(cases: list[CaseResult]) -> dict[str, dict[str, float | None]]:
    """Tag -> cases, fact accuracy, abstention accuracy, hit@5, for every tag in the gold set."""
    out = {}
    for tag in sorted({t for c in cases for t in c.tags}):
        subset = [c for c in cases if tag in c.tags]
        m = summarize(subset)
        out[tag] = {
            "cases": float(len(subset)),
            "fact_accuracy": m["fact_accuracy"],
            "abstention_accuracy": m["abstention_accuracy"],
            "hit@5": m["hit@5"],
        }
    return out


@dataclass
class SystemResult:
    name: str
    label: str
    metrics: dict[str, float | None]
    tags: dict[str, dict[str, float | None]]
    cases: list[CaseResult]
    seconds: float = 0.0
    stored_failing: dict[str, list[str]] = field(default_factory=dict)  # when cases were not kept

    @classmethod
    def from_cases(
        cls, name: str, label: str, cases: list[CaseResult], seconds: float = 0.0
    ) -> SystemResult:
        return cls(name, label, summarize(cases), per_tag(cases), cases, seconds)

    def failing(self) -> dict[str, list[str]]:
        """Tag -> ids of the cases this system got wrong."""
        if not self.cases:
            return self.stored_failing
        out: dict[str, list[str]] = {}
        for case in self.cases:
            if not case.correct:
                for tag in case.tags or ("untagged",):
                    out.setdefault(tag, []).append(case.id)
        return dict(sorted(out.items()))

    def to_json(self, with_cases: bool = True) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "seconds": round(self.seconds, 2),
            "metrics": self.metrics,
            "tags": self.tags,
            "failing": self.failing(),
            "cases": [c.to_json() for c in self.cases] if with_cases else [],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SystemResult:
        return cls(
            data["name"],
            data.get("label", data["name"]),
            data.get("metrics", {}),
            data.get("tags", {}),
            [CaseResult.from_json(c) for c in data.get("cases", [])],
            data.get("seconds", 0.0),
            data.get("failing", {}),
        )
