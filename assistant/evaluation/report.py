"""The report of one run as data: every row (a system on the whole gold set, or on one evaluation
set), our drafting result, index facts and notes; its JSON form; the newest earlier report on disk;
the cases that regressed or improved since it; what the gate checks per set; targets not met yet.

Does not: write files or render anything (files.py, terminal.py), or gate (gate.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.evaluation.drafting_cases import DraftingResult, drafting_state
from assistant.evaluation.metrics import ALL_METRICS, meets_target
from assistant.evaluation.results import CaseResult, SystemResult
from assistant.evaluation.sets import GATED_SETS, row_name


def keeps_cases(row: str) -> bool:
    """Rows whose every case the JSON keeps: ours, except the gold splits (subsets of "ours")."""
    return row == "ours" or (row.startswith("ours@") and not row.startswith("ours@gold-"))


@dataclass(frozen=True)
class CaseChange:
    """A case whose outcome flipped since the previous report: right then and wrong now (in
    ``EvalReport.regressions``) or the other way round (``improvements``); a drafting case has the
    tag "drafting" and the draft request as its question."""

    id: str
    tags: tuple[str, ...]
    question: str
    was: str
    now: str


@dataclass
class EvalReport:
    created: str
    model: str
    gold_cases: int
    quick: bool
    seconds: float
    systems: dict[str, SystemResult]
    index: dict[str, Any] = field(default_factory=dict)  # bytes, chunks, ingest timings
    regressions: list[CaseChange] = field(default_factory=list)
    improvements: list[CaseChange] = field(default_factory=list)  # wrong before, right now
    previous: str | None = None
    notes: list[str] = field(default_factory=list)
    files: dict[str, str] = field(
        default_factory=dict
    )  # kind -> path written (not stored in the JSON)
    drafting: DraftingResult | None = None  # None: no drafting gold cases were found
    # The reader model alone, set -> its numbers (evaluation/reading.py); empty in a quick run.
    reading: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def ours(self) -> SystemResult:
        return self.systems["ours"]

    def gated(self) -> dict[str, tuple[int, dict[str, float | None]]]:
        """What the gate checks: gated set (and "drafting") -> (cases, metrics), those measured."""
        out = {}
        for set_name in GATED_SETS:
            row = self.systems.get(row_name("ours", set_name))
            if row is not None:
                out[set_name] = (len(row.cases), row.metrics)
        if self.drafting:
            out["drafting"] = (len(self.drafting.cases), self.drafting.metrics)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "model": self.model,
            "gold_cases": self.gold_cases,
            "quick": self.quick,
            "seconds": round(self.seconds, 2),
            "index": self.index,
            "previous": self.previous,
            "regressions": [asdict(r) for r in self.regressions],
            "improvements": [asdict(r) for r in self.improvements],
            "notes": self.notes,
            "drafting": self.drafting.to_json() if self.drafting else None,
            "reading": self.reading,
            # Per-case detail for ours only (regressions need it); the others keep failing ids per tag.
            "systems": {
                name: s.to_json(with_cases=keeps_cases(name)) for name, s in self.systems.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalReport:
        return cls(
            created=data.get("created", ""),
            model=data.get("model", ""),
            gold_cases=data.get("gold_cases", 0),
            quick=data.get("quick", False),
            seconds=data.get("seconds", 0.0),
            systems={n: SystemResult.from_json(s) for n, s in data.get("systems", {}).items()},
            index=data.get("index", {}),
            previous=data.get("previous"),
            notes=data.get("notes", []),
            drafting=DraftingResult.from_json(data["drafting"]) if data.get("drafting") else None,
            regressions=_changes(data.get("regressions", [])),
            improvements=_changes(data.get("improvements", [])),
            reading=data.get("reading", {}),
        )


def _changes(rows: list[dict[str, Any]]) -> list[CaseChange]:
    return [CaseChange(r["id"], tuple(r["tags"]), r["question"], r["was"], r["now"]) for r in rows]


def case_state(case: CaseResult) -> str:
    """What happened to a case, in words. Example: a case missing one fact -> "missing '31 december 2021'"."""
    if case.error:
        return f"error: {case.error}"
    if case.abstain_expected:
        return "abstained" if case.abstained else "answered instead of abstaining"
    if case.correct:
        return "correct"
    if case.abstained:
        return "abstained"
    return (
        f"missing {', '.join(repr(f) for f in case.missing_facts)}"
        if case.missing_facts
        else "wrong"
    )


def find_regressions(previous: EvalReport, current: EvalReport) -> list[CaseChange]:
    """Cases our system had right before (correct, or abstaining correctly) and has wrong now;
    then drafting cases that passed before and fail now."""
    return _flips(previous, current, right_before=True)


def find_improvements(previous: EvalReport, current: EvalReport) -> list[CaseChange]:
    """Cases our system had wrong before and has right now; then drafting cases that failed
    before and pass now. Beside the regressions they say at a glance whether answers got better."""
    return _flips(previous, current, right_before=False)


def _flips(previous: EvalReport, current: EvalReport, right_before: bool) -> list[CaseChange]:
    out, seen = [], set()
    for name in [n for n in current.systems if keeps_cases(n) and n in previous.systems]:
        before = {c.id: c for c in previous.systems[name].cases}
        for c in current.systems[name].cases:
            was = before.get(c.id)
            if (
                was is None
                or c.id in seen
                or was.correct != right_before
                or c.correct == was.correct
            ):
                continue
            seen.add(c.id)
            out.append(CaseChange(c.id, c.tags, c.question, case_state(was), case_state(c)))
    if previous.drafting and current.drafting:
        passed = {c.id: c.passed for c in previous.drafting.cases}
        out += [
            CaseChange(
                c.id,
                ("drafting",),
                c.request,
                "passed" if right_before else "failed",
                drafting_state(c) if right_before else "passed",
            )
            for c in current.drafting.cases
            if passed.get(c.id) is right_before and c.passed != right_before
        ]
    return out


# A report's own name: its timestamp. Other JSON files in the folder (the generation benchmark's
# "generated-<timestamp>.json") are no report to compare with.
_REPORT_NAME = re.compile(r"^\d{8}-\d{6}\.json$")


def latest_report(reports_dir: Path) -> tuple[str, EvalReport] | None:
    """The newest readable report JSON in reports_dir (named by its timestamp), or None."""
    named = [p for p in Path(reports_dir).glob("*.json") if _REPORT_NAME.match(p.name)]
    for path in sorted(named, reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if "systems" not in data:
                continue
            return path.name, EvalReport.from_json(data)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a hand-edited or truncated file: the one before it will do
    return None


def target_warnings(report: EvalReport) -> list[str]:
    """Targets our system does not reach yet on a gated set (enforced by the gate only once
    baseline.json marks them met for that set). Example: "gold-test: fact_accuracy is 0.800, target >= 0.85" """
    out = []
    for set_name, (_, metrics) in report.gated().items():
        for spec in ALL_METRICS:
            value = metrics.get(spec.key)
            if spec.target is not None and value is not None and not meets_target(value, spec):
                sign = ">=" if spec.higher_is_better else "<="
                out.append(
                    f"{set_name}: {spec.key} is {value:.3f}, target {sign} {spec.target:.2f}"
                )
    return out
