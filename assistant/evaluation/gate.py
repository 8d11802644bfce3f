"""The ratchet: evals/baseline.json holds the best our system has reached; check_gate names every
metric that fell below it (or below a target it marks as met), raise_baseline moves it up only.

Does not: run the evaluation, lower a stored value, gate latency, or decide exit codes (cli/ does).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.evaluation.metrics import ALL_METRICS, SPECS, meets_target
from assistant.evaluation.report import EvalReport

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


def check_gate(report: EvalReport, baseline_path: Path) -> list[str]:
    """Failure messages: our metrics below the committed baseline (the ratchet, minus a 0.005
    tolerance), or below a target the baseline marks as met. Latency is never gated.

    Example: hit@5 0.90 with baseline 0.93 -> ["hit@5 fell to 0.900, below the ratchet baseline 0.930 …"]
    """
    baseline = load_baseline(baseline_path)
    if not baseline:
        return [
            f"no ratchet baseline at '{baseline_path}': run `assistant eval --update-baseline` and commit the file"
        ]
    tolerance = float(baseline.get("tolerance", TOLERANCE))
    failures, ours = [], report.our_metrics
    for key, entry in baseline.get("metrics", {}).items():
        spec = SPECS.get(key)
        if spec is None or not spec.gated:
            continue
        value = ours.get(key)
        if value is None:
            where = (
                "are the drafting gold cases in gold_drafting/ next to the --gold folder?"
                if key.startswith("drafting_")
                else "is the gold set complete?"
            )
            failures.append(
                f"{key} is missing from this run (the baseline has {entry['value']:.3f}): {where}"
            )
            continue
        worse = (
            value < entry["value"] - tolerance
            if spec.higher_is_better
            else value > entry["value"] + tolerance
        )
        if worse:
            failures.append(
                f"{key} fell to {value:.3f}, below the ratchet baseline {entry['value']:.3f} in {baseline_path} "
                f"(tolerance {tolerance}): see the report's regressions and fix them"
            )
        elif entry.get("targets_met") and spec.target is not None and not meets_target(value, spec):
            failures.append(
                f"{key} is {value:.3f}, short of its target {spec.target:.2f}, which {baseline_path} marks as met"
            )
    return failures


def raise_baseline(report: EvalReport, baseline_path: Path) -> dict[str, Any]:
    """Write our metrics to the baseline, never loosening a stored value; a target once met stays enforced.

    Example: stored hit@5 0.95, this run 0.93 -> stays 0.95; this run 0.97 -> 0.97
    """
    baseline = load_baseline(baseline_path)
    stored, ours = baseline.get("metrics", {}), report.our_metrics
    metrics = {}
    for spec in ALL_METRICS:
        value, old = ours.get(spec.key), stored.get(spec.key)
        if not spec.gated or (value is None and old is None):
            continue
        if value is None:  # not measured this run (e.g. no drafting cases): keep the stored entry
            metrics[spec.key] = old
            continue
        if old is not None:
            value = max(value, old["value"]) if spec.higher_is_better else min(value, old["value"])
        met = bool(old and old.get("targets_met")) or (
            spec.target is not None and meets_target(value, spec)
        )
        metrics[spec.key] = {"value": round(value, 4), "target": spec.target, "targets_met": met}
    data = {
        "_about": "Ratchet for `assistant eval --gate`: ours may not fall below these (tolerance below). "
        "Raise with `assistant eval --update-baseline`; see evals/README.md.",
        "tolerance": float(baseline.get("tolerance", TOLERANCE)),
        "model": report.model,
        "gold_cases": report.gold_cases,
        "drafting_cases": len(report.drafting.cases)
        if report.drafting
        else baseline.get("drafting_cases", 0),
        "updated": report.created,
        "metrics": metrics,
    }
    Path(baseline_path).parent.mkdir(parents=True, exist_ok=True)
    Path(baseline_path).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return data
