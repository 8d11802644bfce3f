"""A report -> rich tables on the terminal: one row per system on the whole gold set, the evaluation
sets (ours beside the naive baseline) and the train/test gap, drafting, ours per tag, target
warnings, regressions and where the report files are.

Does not: write files (files.py) or decide exit codes (cli/).
"""

from __future__ import annotations

from assistant.evaluation.drafting_cases import drafting_state
from assistant.evaluation.files import (
    READING_HEAD,
    SET_HEAD,
    drafting_cells,
    fmt,
    gap_line,
    index_line,
    reading_cells,
    set_rows,
)
from assistant.evaluation.metrics import METRICS, RETRIEVAL_KEYS, SPECS
from assistant.evaluation.report import EvalReport, target_warnings
from assistant.evaluation.sets import set_of


def print_report(report: EvalReport) -> None:
    """Rich tables: one row per system; the sets; drafting; ours per tag; target warnings; regressions."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=170)  # subtle: a pipe gets 80 columns and would squash the table
    for title, keys in (
        ("Retrieval (answerable cases, top 10), whole gold set", RETRIEVAL_KEYS),
        ("Answers, whole gold set", [m.key for m in METRICS if m.key not in RETRIEVAL_KEYS]),
    ):
        table = Table(title=title)
        table.add_column("system")
        for key in keys:
            table.add_column(SPECS[key].label, justify="right")
        for name, s in report.systems.items():
            if set_of(name) is None:
                table.add_row(s.label, *(fmt(s.metrics.get(k), k) for k in keys))
        console.print(table)
    sets = Table(title="Evaluation sets (ours beside the naive baseline)")
    for n, col in enumerate(SET_HEAD):
        sets.add_column(col, justify="left" if n < 2 else "right")
    for row in set_rows(report):
        sets.add_row(*row)
    console.print(sets)
    console.print(gap_line(report))
    if report.drafting:
        drafting = Table(title=f"Drafting ({len(report.drafting.cases)} gold cases)")
        cells = drafting_cells(report.drafting)
        for label, _ in cells:
            drafting.add_column(label, justify="right")
        drafting.add_row(*(value for _, value in cells))
        console.print(drafting)
        for c in report.drafting.cases:
            if not c.passed:
                console.print(f"[red]  {c.id}[/red] {c.request}: {drafting_state(c)}")
    if report.reading:
        reading = Table(title="The reader model alone (held-out reading comprehension)")
        for n, col in enumerate(READING_HEAD):
            reading.add_column(col, justify="left" if n == 0 else "right")
        for row in reading_cells(report):
            reading.add_row(*row)
        console.print(reading)
    tags = Table(title="Ours per tag")
    for col in ("tag", "cases", "fact acc", "abstain acc", "hit@5"):
        tags.add_column(col, justify="left" if col == "tag" else "right")
    for tag, m in report.ours.tags.items():
        tags.add_row(
            tag,
            f"{m['cases']:.0f}",
            fmt(m["fact_accuracy"]),
            fmt(m["abstention_accuracy"]),
            fmt(m["hit@5"]),
        )
    console.print(tags)
    console.print(f"Index: {index_line(report.index)}. Run time {report.seconds:.0f} s.")
    for warning in target_warnings(report):
        console.print(
            f"[yellow]warning: {warning} (not gated until evals/baseline.json marks it met)[/yellow]"
        )
    if report.previous:
        console.print(
            f"Since {report.previous}: {len(report.improvements)} better, "
            f"{len(report.regressions)} worse"
        )
    for colour, changes in (("red", report.regressions), ("green", report.improvements)):
        for r in changes:
            console.print(
                f"[{colour}]  {r.id}[/{colour}] ({', '.join(r.tags)}): was {r.was}, now {r.now} "
                f"— {r.question}"
            )
    if report.files:
        console.print(
            f"Report: {report.files.get('md')} (failing cases by tag), {report.files.get('json')}, {report.files.get('png')}"
        )
