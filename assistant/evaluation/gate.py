"""The ratchet: evals/baseline.json holds, per gated set (gold test split, held-out, devcorpus test
split, drafting), the best our system has reached; check_gate names every metric that fell below it
(or below a target it marks as met), raise_baseline moves it up only.

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


WHERE = {
    "gold-test": "is evals/splits.json next to the --gold folder?",
    "heldout": "is the held-out set in heldout/ next to the --gold folder?",
    "devcorpus-test": "run without --no-devcorpus (it needs devcorpus/ next to the --gold folder)",
    "drafting": "are the drafting gold cases in gold_drafting/ next to the --gold folder?",
}


def check_gate(report: EvalReport, baseline_path: Path) -> list[str]:
    """Failure messages, per gated set (gold test split, held-out, devcorpus test split, drafting):
    a set the baseline holds but this run did not measure; our metrics below that set's committed
    baseline (the ratchet, minus a 0.005 tolerance), or below a target the baseline marks as met
    for that set. Latency is never gated.

    Example: hit@5 0.90 on gold-test with baseline 0.93 -> ["gold-test: hit@5 fell to 0.900, below …"]
    """
    baseline = load_baseline(baseline_path)
    if not baseline.get("sets"):
        return [
            f"no per-set ratchet baseline at '{baseline_path}': run `assistant eval --update-baseline` and commit the file"
        ]
    tolerance = float(baseline.get("tolerance", TOLERANCE))
    failures, measured = [], report.gated()
    for set_name, block in baseline["sets"].items():
        if set_name not in measured:
            failures.append(
                f"{set_name} was not measured in this run (the baseline has it): "
                + WHERE.get(set_name, "is the evaluation set there?")
            )
            continue
        ours = measured[set_name][1]
        for key, entry in block.get("metrics", {}).items():
            spec = SPECS.get(key)
            if spec is None or not spec.gated:
                continue
            value = ours.get(key)
            if value is None:
                failures.append(
                    f"{set_name}: {key} is missing from this run (the baseline has {entry['value']:.3f}): "
                    "does the set still have answerable and unanswerable cases?"
                )
                continue
            worse = (
                value < entry["value"] - tolerance
                if spec.higher_is_better
                else value > entry["value"] + tolerance
            )
            if worse:
                failures.append(
                    f"{set_name}: {key} fell to {value:.3f}, below the ratchet baseline {entry['value']:.3f} "
                    f"in {baseline_path} (tolerance {tolerance}): see the report's regressions and fix them"
                )
            elif (
                entry.get("targets_met")
                and spec.target is not None
                and not meets_target(value, spec)
            ):
                failures.append(
                    f"{set_name}: {key} is {value:.3f}, short of its target {spec.target:.2f}, "
                    f"which {baseline_path} marks as met"
                )
    return failures


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
        "sets": stored,
    }
    Path(baseline_path).parent.mkdir(parents=True, exist_ok=True)
    Path(baseline_path).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return data
