"""An answer with its citations as Markdown text or a Word file; file names for these and for drafts.

Does not: import gradio, or pick where files go (actions.py makes a temporary folder for them).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.answers import Answer, Citation
from assistant.ui.labels import label
from assistant.ui.sources import citation_place


def _source_line(c: Citation, lang: str) -> str:
    return f"[{c.n}] {c.title} — {c.section} ({citation_place(c, lang)})"


def answer_to_markdown(answer: Answer, lang: str = "sv") -> str:
    """An answer with its citations as Markdown.

    Example: answer_to_markdown(a).splitlines()[0] -> "# Fråga: När ska återkoppling skickas?"
    """
    out = [f"# {label('question_label', lang)}: {answer.question}", ""]
    if answer.abstained:
        out += [f"*{label('abstained', lang)}*", ""]
    out += [answer.answer, ""]
    if answer.citations:
        out += [f"## {label('sources', lang)}", ""]
        for c in answer.citations:
            out += [_source_line(c, lang), "", f"> {' '.join(c.quote.split())}", ""]
    elif answer.searched:
        out += [f"## {label('searched', lang)}", ""] + [f"- {s}" for s in answer.searched] + [""]
    return "\n".join(out)


def answer_to_docx(answer: Answer, path: Path, lang: str = "sv") -> Path:
    """An answer with its citations as a Word document at ``path``."""
    import docx

    document = docx.Document()
    document.add_heading(f"{label('question_label', lang)}: {answer.question}", level=1)
    if answer.abstained:
        document.add_paragraph().add_run(label("abstained", lang)).italic = True
    for line in answer.answer.split("\n"):
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    if answer.citations:
        document.add_heading(label("sources", lang), level=2)
        for c in answer.citations:
            document.add_paragraph(_source_line(c, lang))
            document.add_paragraph(" ".join(c.quote.split()), style="Quote")
    elif answer.searched:
        document.add_heading(label("searched", lang), level=2)
        for s in answer.searched:
            document.add_paragraph(s, style="List Bullet")
    document.save(str(path))
    return path


def slug(text: str) -> str:
    """Example: slug("Vad beslutade Uppsala?") -> "vad-beslutade-uppsala" (at most 60 characters)"""
    return re.sub(r"[^\wåäö]+", "-", text.lower()).strip("-")[:60].strip("-")


def export_name(question: str) -> str:
    """Example: export_name("Vad beslutade Uppsala?") -> "svar-vad-beslutade-uppsala" """
    return f"svar-{slug(question) or 'fraga'}"
