"""The ratchet: evals/baseline.json holds, per gated set (gold test split, held-out, devcorpus test
split, drafting), the best our system has reached and the report it was raised from; judge fails a
set whose cases got worse more often than better since that report, or whose metric fell by more
than one case's worth (see judge); raise_baseline moves the ratchet up only.

Does not: run the evaluation, lower a stored value, gate latency, or decide exit codes (cli/ does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.evaluation.metrics import ALL_METRICS, SPECS, MetricSpec, meets_target
from assistant.evaluation.report import EvalReport, keeps_cases
from assistant.evaluation.sets import row_name

TOLERANCE = 0.005


def load_baseline(path: Path) -> dict[str, Any]:
    """The stored baseline, or {} if there is no file yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise AssistantError(
            f"the ratchet baseline '{path}' is not valid JSON ({exc}): restore it from git"
        ) from exc


WHERE = {
    "gold-test": "is evals/splits.json next to the --gold folder?",
    "heldout": "is the held-out set in heldout/ next to the --gold folder?",
    "devcorpus-test": "run without --no-devcorpus (it needs devcorpus/ next to the --gold folder)",
    "drafting": "are the drafting gold cases in gold_drafting/ next to the --gold folder?",
}


@dataclass(frozen=True)
class Verdict:
    """What the gate decided: failures (non-empty fails the run), notes (printed, not fatal) and,
    per gated set, the cases that moved since the report the baseline was raised from."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    moved: dict[str, tuple[list[str], list[str]]] = field(
        default_factory=dict
    )  # set -> (better, worse)


def check_gate(report: EvalReport, baseline_path: Path) -> list[str]:
    """The failures of ``judge`` alone. Example: hit@5 0.90 on gold-test with baseline 0.93 (and no
    per-case detail) -> ["gold-test: hit@5 fell to 0.900, below …"]"""
    return judge(report, baseline_path).failures


def judge(report: EvalReport, baseline_path: Path, reports_dir: Path | None = None) -> Verdict:
    """The gate judges cases, not decimals. Per gated set (gold test split, held-out, devcorpus test
    split, drafting) it fails when:

    - the baseline holds the set but this run did not measure it;
    - more of the set's cases got worse than better since the committed report the baseline was
      raised from (``"report"`` in the baseline, read from ``reports_dir``, default the
      ``reports/`` folder beside the baseline);
    - a gated metric fell below its ratchet value, or short of a target the baseline marks as met,
      by more than the baseline's tolerance; when no case of the set got worse, by more than one
      case's worth (1/n over the n cases it averages: unanswerable cases for abstention metrics,
      answerable ones for the rest).

    So a metric that moved within one case while no case got worse is a note, not a failure: a
    near-tie that flips one case moves several secondary metrics at once. A case the committed
    report lacks counts as worse when it is wrong. Latency is never gated.

    Example: held-out citation_recall 0.820 against 0.836 over 54 answerable cases, 1 case better and
    none worse -> no failure, one note.
    """
    baseline = load_baseline(baseline_path)
    if not baseline.get("sets"):
        return Verdict(
            [
                f"no per-set ratchet baseline at '{baseline_path}': run `assistant eval --update-baseline` and commit the file"
            ]
        )
    tolerance = float(baseline.get("tolerance", TOLERANCE))
    verdict, measured = Verdict(), report.gated()
    committed = _committed_report(baseline, Path(baseline_path), reports_dir, verdict)
    for set_name, block in baseline["sets"].items():
        if set_name not in measured:
            verdict.failures.append(
                f"{set_name} was not measured in this run (the baseline has it): "
                + WHERE.get(set_name, "is the evaluation set there?")
            )
            continue
        counts = _case_counts(report, set_name)
        lenient = False  # a metric may move by one case only when no case of the set got worse
        if committed is not None:
            better, worse = _moved(committed, report, set_name)
            verdict.moved[set_name] = (better, worse)
            lenient = not worse
            if len(worse) > len(better):
                verdict.failures.append(
                    f"{set_name}: {len(worse)} cases worse and {len(better)} better since "
                    f"{baseline.get('report')}: {', '.join(worse)}; see the report's regressions"
                )
        for key, entry in block.get("metrics", {}).items():
            spec = SPECS.get(key)
            if spec is None or not spec.gated:
                continue
            _judge_metric(
                verdict,
                set_name,
                spec,
                entry,
                measured[set_name][1].get(key),
                _one_case(key, counts, tolerance) if lenient else tolerance,
                baseline_path,
                tolerance,
            )
    return verdict


def _judge_metric(
    verdict: Verdict,
    set_name: str,
    spec: MetricSpec,
    entry: dict[str, Any],
    value: float | None,
    worth: float,
    baseline_path: Path,
    tolerance: float,
) -> None:
    """One metric of one set against its ratchet value and, if marked met, its target."""
    key = spec.key
    if value is None:
        verdict.failures.append(
            f"{set_name}: {key} is missing from this run (the baseline has {entry['value']:.3f}): "
            "does the set still have answerable and unanswerable cases?"
        )
        return
    sign = 1.0 if spec.higher_is_better else -1.0
    drop = sign * (entry["value"] - value)
    if drop > worth + 1e-9:
        verdict.failures.append(
            f"{set_name}: {key} fell to {value:.3f}, below the ratchet baseline {entry['value']:.3f} "
            f"in {baseline_path} by more than one case ({worth:.3f}): see the report's regressions and fix them"
        )
        return
    if drop > tolerance:
        verdict.notes.append(
            f"{set_name}: {key} moved to {value:.3f} from {entry['value']:.3f}, within one case "
            f"({worth:.3f}): not fatal"
        )
    if entry.get("targets_met") and spec.target is not None and not meets_target(value, spec):
        short = sign * (spec.target - value)
        message = (
            f"{set_name}: {key} is {value:.3f}, short of its target {spec.target:.2f}, "
            f"which {baseline_path} marks as met"
        )
        if short > worth + 1e-9:
            verdict.failures.append(message)
        else:
            verdict.notes.append(message + f" (within one case, {worth:.3f}: not fatal)")


def _case_counts(report: EvalReport, set_name: str) -> tuple[int, int]:
    """(answerable, unanswerable) cases of a gated set in this run; (0, 0) without per-case detail.
    Drafting cases count as answerable."""
    if set_name == "drafting":
        return (len(report.drafting.cases) if report.drafting else 0), 0
    row = report.systems.get(row_name("ours", set_name))
    cases = row.cases if row else []
    unanswerable = sum(c.abstain_expected for c in cases)
    return len(cases) - unanswerable, unanswerable


def _one_case(key: str, counts: tuple[int, int], tolerance: float) -> float:
    """What one case can move a metric by. Example: ("fact_accuracy", (54, 12), 0.005) -> 1/54"""
    n = counts[1] if key.startswith("abstention_") else counts[0]
    return max(tolerance, 1.0 / n) if n else tolerance


def _committed_report(
    baseline: dict[str, Any], baseline_path: Path, reports_dir: Path | None, verdict: Verdict
) -> EvalReport | None:
    """The report the baseline was raised from, or None (with a note) when it names none or the
    file is gone: the gate then judges metrics alone."""
    name = baseline.get("report")
    if not name:
        verdict.notes.append(
            f"'{baseline_path}' names no report to compare case by case: run "
            "`assistant eval --update-baseline` and commit both files"
        )
        return None
    path = Path(reports_dir or baseline_path.parent / "reports") / name
    try:
        return EvalReport.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        verdict.notes.append(
            f"cannot compare case by case with '{path}' ({type(exc).__name__}): metrics judged alone"
        )
        return None


def _moved(committed: EvalReport, report: EvalReport, set_name: str) -> tuple[list[str], list[str]]:
    """Ids of this set's cases that are right now and were wrong in the committed report, and those
    wrong now that were right there or are new. Example: (["ho-031"], [])"""
    if set_name == "drafting":
        if not (committed.drafting and report.drafting):
            return [], []
        before = {c.id: c.passed for c in committed.drafting.cases}
        now = {c.id: c.passed for c in report.drafting.cases}
    else:
        before = {
            c.id: c.correct
            for name, row in committed.systems.items()
            if keeps_cases(name)
            for c in row.cases
        }
        row = report.systems.get(row_name("ours", set_name))
        now = {c.id: c.correct for c in (row.cases if row else [])}
    better = [i for i in now if now[i] and before.get(i) is False]
    worse = [i for i in now if not now[i] and before.get(i, True)]
    return better, worse


def _raised(metrics: dict[str, float | None], stored: dict[str, Any]) -> dict[str, Any]:
    """One set's metrics merged into its stored block: never looser, a met target stays met."""
    out = {}
    for spec in ALL_METRICS:
        value, old = metrics.get(spec.key), stored.get(spec.key)
        if not spec.gated or (value is None and old is None):
            continue
        if value is None:  # not measured this run: keep the stored entry
            out[spec.key] = old
            continue
        if old is not None:
            value = max(value, old["value"]) if spec.higher_is_better else min(value, old["value"])
        met = bool(old and old.get("targets_met")) or (
            spec.target is not None and meets_target(value, spec)
        )
        out[spec.key] = {"value": round(value, 4), "target": spec.target, "targets_met": met}
    return out


def raise_baseline(report: EvalReport, baseline_path: Path) -> dict[str, Any]:
    """Write our metrics per gated set to the baseline, never loosening a stored value; a target
    once met stays enforced; a set this run did not measure keeps its stored block.

    Example: stored gold-test hit@5 0.95, this run 0.93 -> stays 0.95; this run 0.97 -> 0.97
    """
    baseline = load_baseline(baseline_path)
    stored = dict(baseline.get("sets", {}))
    for set_name, (cases, metrics) in report.gated().items():
        old = stored.get(set_name, {})
        stored[set_name] = {"cases": cases, "metrics": _raised(metrics, old.get("metrics", {}))}
    data = {
        "_about": "Ratchet for `assistant eval --gate`, one block per gated set: ours may not fall "
        "below these (tolerance below). Raise with `assistant eval --update-baseline`; see evals/README.md.",
        "tolerance": float(baseline.get("tolerance", TOLERANCE)),
        "model": report.model,
        "updated": report.created,
        # the gate compares case by case with this report (committed beside the baseline)
        "report": Path(report.files["json"]).name if report.files.get("json") else None,
        "sets": stored,
    }
    Path(baseline_path).parent.mkdir(parents=True, exist_ok=True)
    Path(baseline_path).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return data
