"""Plain-text rendering of answers, retrieved chunks and ingest summaries for the terminal.

Does not: compute anything; it only formats our own types.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.documents import Answer, IngestSummary, RetrievedChunk


def render_answer(answer: Answer) -> str:
    lines = [answer.answer]
    sv = answer.language == "sv"
    n = answer.dropped_claims
    if answer.mode == "generated":
        removed = (
            (f"; {n} mening(ar) utan stöd togs bort" if sv else f"; {n} unsupported removed")
            if n
            else ""
        )
        lines.append(
            f"(Genererat svar: varje mening är kontrollerad mot citatet den hänvisar till{removed})"
            if sv
            else f"(Generated answer: every sentence is checked against the quote it cites{removed})"
        )
    elif n:
        lines.append(
            f"(Inget genererat svar klarade kontrollen: {n} mening(ar) utan stöd; här är citaten)"
            if sv
            else f"(No generated sentence passed the check: {n} unsupported; here are the quotes)"
        )
    if answer.citations:
        lines.append("")
        lines.append("Källor:" if answer.language == "sv" else "Sources:")
        for c in answer.citations:
            where = f"s. {c.page}, " if c.page else ""
            lines.append(
                f"[{c.n}] {c.document} — {c.title} › {c.section} ({where}rad {c.lines[0]}–{c.lines[1]})"
            )
            lines.append(f"    ”{c.quote}”")
    return "\n".join(lines)


def render_retrieved(question: str, chunks: list[RetrievedChunk]) -> str:
    lines = [f"Fråga: {question}"]
    for r in chunks:
        scores = " ".join(f"{k}={v:.3f}" for k, v in r.scores.items())
        page = f" s.{r.chunk.page}" if r.chunk.page else ""
        lines.append(
            f"{r.rank:>2}. {r.score:.4f} {r.chunk.document}{page} L{r.chunk.line_start}-{r.chunk.line_end} "
            f"[{r.chunk.metadata.get('doc_type', '')}] {r.chunk.section}"
        )
        lines.append(f"    {scores}")
        lines.append(
            f"    {r.chunk.text[:160]}…" if len(r.chunk.text) > 160 else f"    {r.chunk.text}"
        )
    return "\n".join(lines)


def render_ingest_summary(summary: IngestSummary) -> str:
    lines = [
        f"Files: {summary.files} ({summary.changed} new or changed, {summary.unchanged} unchanged, {summary.removed} removed)",
        f"Sub-documents: {summary.subdocuments}  Sections: {summary.sections}  "
        f"Chunks: {summary.chunks} ({summary.duplicates} duplicates collapsed)",
        f"Time: {summary.seconds:.1f} s",
    ]
    if summary.changed == 0 and summary.removed == 0 and not summary.skipped:
        lines.append("Nothing changed; the index is up to date.")
    for note in summary.notes:
        lines.append(f"note: {note}")
    if summary.skipped:
        lines.append(f"Skipped {len(summary.skipped)} file(s):")
        lines.extend(f"  {s.path}: {s.reason}" for s in summary.skipped)
    return "\n".join(lines)


@contextmanager
def ingest_progress() -> Iterator:  # type: ignore[type-arg]
    """A rich progress bar on a terminal; silent when output is piped (CI logs stay readable)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskID, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            label = {"read": "Reading", "embed": "Embedding", "write": "Writing index"}.get(
                stage, stage
            )
            if stage not in tasks:
                tasks[stage] = bar.add_task(label, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield update
