"""A report -> <timestamp>.json, .md and .png in the reports folder (and the drafting cells the
terminal shows too).

Does not: decide what is in the report (report.py), print to the terminal (terminal.py) or touch
the ratchet baseline (gate.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.evaluation.drafting_cases import DraftingResult, drafting_state
from assistant.evaluation.metrics import DRAFTING_METRICS, METRICS, SET_KEYS, SPECS
from assistant.evaluation.report import EvalReport, case_state, target_warnings
from assistant.evaluation.sets import SET_LABELS, row_name, train_test_gaps


def fmt(value: float | None, key: str = "") -> str:
    """Example: fmt(0.96) -> "0.960"; fmt(41.7, "latency_p50_ms") -> "42"; fmt(None) -> "–" """
    if value is None:
        return "–"
    return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"


def index_line(index: dict[str, Any]) -> str:
    """Example: {"bytes": 1.6e6, "chunks": 74} -> "1.6 MB, 74 chunks" """
    parts = [f"{index['bytes'] / 1e6:.1f} MB" if index.get("bytes") else "size unknown"]
    if index.get("chunks"):
        parts.append(f"{index['chunks']} chunks")
    if index.get("ingest_s") is not None:
        parts.append(f"ingest {index['ingest_s']:.1f} s")
    if index.get("ingest_nochange_s") is not None:
        parts.append(f"no-change re-ingest {index['ingest_nochange_s']:.2f} s")
    return ", ".join(parts)


def drafting_cells(drafting: DraftingResult) -> list[tuple[str, str]]:
    """(label, shown value) per drafting metric, cases passed as a count.

    Example: 10 of 10 passed -> [("drafts passed", "10/10"), ("wording recall", "1.000"), …]
    """
    cells = []
    for spec in DRAFTING_METRICS:
        value = fmt(drafting.metrics.get(spec.key))
        if spec.key == "drafting_cases_passed":
            value = f"{drafting.passed}/{len(drafting.cases)}"
        cells.append((spec.label, value))
    return cells


def set_rows(report: EvalReport) -> list[list[str]]:
    """The evaluation-set table: per set, ours then the naive baseline (if it ran); columns set,
    system, cases, then the SET_KEYS metrics. Example row: ["gold test", "ours", "87", "0.885", …]"""
    rows = []
    for set_name, label in SET_LABELS.items():
        for system in ("ours", "llamaindex"):
            row = report.systems.get(row_name(system, set_name))
            if row is not None:
                shown = "ours" if system == "ours" else "naive llama-index"
                rows.append(
                    [label, shown, str(len(row.cases))]
                    + [fmt(row.metrics.get(k), k) for k in SET_KEYS]
                )
    return rows


SET_HEAD = ["set", "system", "cases", *(SPECS[k].label for k in SET_KEYS)]


def gap_line(report: EvalReport) -> str:
    """Example: "Train/test gap in our fact accuracy: gold +0.030, devcorpus -0.012" """
    gaps = train_test_gaps(report.systems)
    if not gaps:
        return "Train/test gap in our fact accuracy: not measured (no split rows)"
    return "Train/test gap in our fact accuracy (train minus test): " + ", ".join(
        f"{name} {gap:+.3f}" for name, gap in gaps.items()
    )


def write_report(report: EvalReport, reports_dir: Path) -> dict[str, str]:
    """Write <timestamp>.json, .md and .png into reports_dir; returns kind -> path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base, n = reports_dir / stamp, 1
    while base.with_suffix(".json").exists():  # two runs in one second
        base, n = reports_dir / f"{stamp}-{n}", n + 1
    paths = {
        "json": base.with_suffix(".json"),
        "md": base.with_suffix(".md"),
        "png": base.with_suffix(".png"),
    }
    paths["json"].write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    render_chart(report, paths["png"])
    report.files = {k: str(p) for k, p in paths.items()}
    return report.files


READING_HEAD = (
    "set",
    "questions",
    "reader top-1",
    "word overlap top-1",
    "unanswerable rejected",
    "answerable rejected",
)


def reading_cells(report: EvalReport) -> list[list[str]]:
    """One row of READING_HEAD per reading-comprehension set the reader alone was measured on.

    Example: {"SweQUAD-MC test": {"questions": 102, "reader_top1": 0.7157, …}} -> [["SweQUAD-MC test", "102", "0.716", …]]
    """
    keys = ("reader_top1", "word_overlap_top1", "unanswerable_rejected", "answerable_rejected")
    return [
        [name, f"{m.get('questions', 0):.0f}", *(fmt(m.get(k)) for k in keys)]
        for name, m in report.reading.items()
    ]


def render_markdown(report: EvalReport) -> str:
    """The .md report: metrics per system, unmet targets, drafting, ours per tag, regressions, failing cases."""
    head = [m.label for m in METRICS]
    lines = [
        f"# Evaluation {report.created}",
        "",
        f"Model `{report.model}`, {report.gold_cases} gold cases, {report.seconds:.0f} s"
        f"{' (quick: ours only)' if report.quick else ''}. Index: {index_line(report.index)}.",
        "",
        "| system | " + " | ".join(head) + " |",
        "|---" * (len(head) + 1) + "|",
    ]
    for s in report.systems.values():
        lines.append(
            f"| {s.label} | " + " | ".join(fmt(s.metrics.get(m.key), m.key) for m in METRICS) + " |"
        )
    lines += ["", "## Evaluation sets (ours beside the naive baseline)", ""]
    lines += ["| " + " | ".join(SET_HEAD) + " |", "|---" * len(SET_HEAD) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in set_rows(report)] or ["no set rows"]
    lines += ["", gap_line(report)]
    lines += ["", "## Targets not met yet (gated sets)", ""] + [
        f"- {w}" for w in target_warnings(report) or ["none"]
    ]
    if report.drafting:
        cells = drafting_cells(report.drafting)
        lines += [
            "",
            f"## Drafting ({len(report.drafting.cases)} gold cases in `{report.drafting.folder}`)",
            "",
            "| " + " | ".join(label for label, _ in cells) + " |",
            "|---" * len(cells) + "|",
            "| " + " | ".join(value for _, value in cells) + " |",
            "",
        ]
        lines += [
            f"- **{c.id}** {c.request} — {drafting_state(c)}"
            for c in report.drafting.cases
            if not c.passed
        ] or ["Every drafting case passed."]
    if report.reading:
        lines += [
            "",
            "## The reader model alone (held-out reading comprehension; targets 0.85, 0.80, 0.70)",
            "",
            "| " + " | ".join(READING_HEAD) + " |",
            "|---" * len(READING_HEAD) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in reading_cells(report)]
    lines += [
        "",
        "## Ours per tag",
        "",
        "| tag | cases | fact acc | abstain acc | hit@5 |",
        "|---|---|---|---|---|",
    ]
    for tag, m in report.ours.tags.items():
        lines.append(
            f"| {tag} | {m['cases']:.0f} | {fmt(m['fact_accuracy'])} | {fmt(m['abstention_accuracy'])} | {fmt(m['hit@5'])} |"
        )
    since = report.previous or "(no previous report)"
    if report.previous:
        lines += [
            "",
            f"Since {since}: {len(report.improvements)} better, {len(report.regressions)} worse.",
        ]
    for heading, changes in (
        ("Regressions", report.regressions),
        ("Improved", report.improvements),
    ):
        lines += ["", f"## {heading} since {since}", ""]
        lines += [
            f"- **{r.id}** ({', '.join(r.tags)}): was {r.was}, now {r.now}. {r.question}"
            for r in changes
        ] or ["none"]
    lines += ["", "## Our failing cases by tag", ""]
    lines += [f"- **{tag}**: {', '.join(ids)}" for tag, ids in report.ours.failing().items()] or [
        "none"
    ]
    lines += ["", "## Our failing cases", ""]
    lines += [
        f"- **{c.id}** {c.question} — {case_state(c)}" for c in report.ours.cases if not c.correct
    ] or ["none"]
    for name, row in report.systems.items():
        if name.startswith("ours@") and not name.startswith("ours@gold-") and row.cases:
            lines += ["", f"## Our failing cases: {row.label}", ""]
            lines += [
                f"- **{c.id}** {c.question} — {case_state(c)}" for c in row.cases if not c.correct
            ] or ["none"]
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def render_chart(report: EvalReport, path: Path) -> None:
    """Per-tag fact accuracy (one bar per system) and the latency histogram of ask."""
    import matplotlib

    matplotlib.use("Agg")  # subtle: no display in CI; must be set before pyplot is imported
    import matplotlib.pyplot as plt

    tags = [t for t, m in report.ours.tags.items() if m.get("fact_accuracy") is not None]
    fig, (bars, hist) = plt.subplots(1, 2, figsize=(15, 5.5), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / max(len(report.systems), 1)
    for n, system in enumerate(report.systems.values()):
        values = [system.tags.get(t, {}).get("fact_accuracy") or 0.0 for t in tags]
        bars.bar(np.arange(len(tags)) + n * width, values, width, label=system.label)
    bars.set_xticks(np.arange(len(tags)) + 0.4 - width / 2, tags, rotation=40, ha="right")
    bars.set_ylim(0, 1.05)
    bars.set_title("Fact accuracy per tag", pad=26)
    bars.legend(
        fontsize=7, ncol=len(report.systems), loc="lower center", bbox_to_anchor=(0.5, 1.06)
    )
    shown = [s for name, s in report.systems.items() if name in ("ours", "llamaindex")]
    latencies = [c.latency_ms for s in shown for c in s.cases]
    edges = np.histogram_bin_edges(latencies, bins=30) if latencies else 30
    for system in shown:
        hist.hist([c.latency_ms for c in system.cases], bins=edges, alpha=0.6, label=system.label)
    hist.set_title("ask latency per question (ms)")
    hist.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
