"""Plain-text rendering of answers, retrieved chunks and ingest summaries for the terminal.

Does not: compute anything; it only formats our own types.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.answers import Answer
from assistant.documents import IngestSummary, RetrievedChunk

_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x2028, 0x2029}


def printable(text: str) -> str:
    """Text safe for a terminal: control characters, bidi overrides and stray surrogates escaped,
    so a file name or quote cannot clear the screen or forge a line.

    Example: printable("a\x1b[2Jb\nFAKE") -> "a\\x1b[2Jb\\nFAKE"
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == " " or (ch.isprintable() and code not in _BIDI):
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\x{code:02x}"))
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def _lines(lines: list[str]) -> str:
    return "\n".join(printable(line) for line in lines)


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
            where = f"{where}OCR, " if c.ocr else where
            lines.append(
                f"[{c.n}] {c.document} — {c.title} › {c.section} ({where}rad {c.lines[0]}–{c.lines[1]})"
            )
            lines.append(f"    ”{c.quote}”")
    return "\n".join(printable(part) for line in lines for part in line.split("\n"))


def render_retrieved(question: str, chunks: list[RetrievedChunk]) -> str:
    lines = [f"Fråga: {printable(question)}"]
    for r in chunks:
        scores = " ".join(f"{k}={v:.3f}" for k, v in r.scores.items())
        page = f" s.{r.chunk.page}" if r.chunk.page else ""
        lines.append(
            f"{r.rank:>2}. {r.score:.4f} {r.chunk.document}{page} L{r.chunk.line_start}-{r.chunk.line_end} "
            f"[{r.chunk.metadata.doc_type}] {r.chunk.section}"
        )
        lines.append(f"    {scores}")
        lines.append(
            f"    {r.chunk.text[:160]}…" if len(r.chunk.text) > 160 else f"    {r.chunk.text}"
        )
    return "\n".join(printable(part) for line in lines for part in line.split("\n"))


def render_ingest_summary(summary: IngestSummary) -> str:
    lines = [
        f"Files: {summary.files} ({summary.changed} new or changed, {summary.unchanged} unchanged, {summary.removed} removed)",
        f"Sub-documents: {summary.subdocuments}  Sections: {summary.sections}  "
        f"Chunks: {summary.chunks} ({summary.duplicates} duplicates collapsed)",
        f"Time: {summary.seconds:.1f} s",
    ]
    if summary.changed == 0 and summary.removed == 0 and not summary.skipped:
        lines.append("Nothing changed; the index is up to date.")
    if summary.pending_vectors:
        lines.append(
            f"Answerable now by word search; {summary.pending_vectors} vector(s) still to embed: "
            "run `assistant ingest` to fill them in."
        )
    lines.extend(_readers(summary.readers))
    for note in summary.notes:
        lines.append(f"note: {note}")
    if summary.skipped:
        lines.append(f"Skipped {len(summary.skipped)} file(s):")
        lines.extend(f"  {s.path}: {s.reason}" for s in summary.skipped)
    return _lines(lines)


def _readers(readers: dict[str, str], most: int = 50) -> list[str]:
    """Which reader read each file read now; past ``most`` files only the scanned ones by name.

    Example: {"a.pdf": "pdf, 12 pages, 3 by OCR"} -> ["Read 1 file(s):", "  a.pdf: pdf, 12 pages, 3 by OCR"]
    """
    if not readers:
        return []
    named = readers if len(readers) <= most else {k: v for k, v in readers.items() if "OCR" in v}
    kinds = Counter(v.split(",")[0] for v in readers.values())
    head = f"Read {len(readers)} file(s)" + (
        "" if named is readers else f" ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})"
    )
    return [f"{head}:" if named else head, *(f"  {k}: {v}" for k, v in sorted(named.items()))]


WAITING = "another ingest is writing this index; waiting for it to finish (Ctrl-C to stop) …"
ANSWERABLE = (
    "Documents answerable now (word search); filling in their vectors (Ctrl-C resumes later) …"
)


@contextmanager
def ingest_progress() -> Iterator:  # type: ignore[type-arg]
    """A rich progress bar on a terminal; silent when output is piped (CI logs stay readable)."""
    if not sys.stderr.isatty():

        def waiting(stage: str, done: int, total: int) -> None:
            if stage == "wait":
                print(WAITING, file=sys.stderr, flush=True)

        yield waiting
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
            if stage == "wait":
                bar.console.print(WAITING)
                return
            if stage == "answerable":  # the vectors are filled in next, with their own bar
                bar.console.print(ANSWERABLE)
                return
            label = {"read": "Reading", "embed": "Embedding", "write": "Writing index"}.get(
                stage, stage
            )
            if stage not in tasks:
                tasks[stage] = bar.add_task(label, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield update
