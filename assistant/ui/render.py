"""Answers as HTML for the chat: escaped text, [n] markers linked to the sources panel, abstentions
and errors in their own look, the answer streamed a few words at a time.

Plain functions of our own types. Does not: import gradio, or show sources (sources.py does).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from assistant.answers import Answer
from assistant.messages import abstention_text
from assistant.ui.labels import label

_MARKER = re.compile(r"\[(\d+)\]")


# --- answers --------------------------------------------------------------------------------------
def link_markers(escaped: str) -> str:
    """[n] markers in escaped text become links to the sources panel.

    Example: link_markers("Text. [1]") -> 'Text. <a class="cite" href="#src-1" …>[1]</a>'
    """
    return _MARKER.sub(
        lambda m: (
            f'<a class="cite" href="#src-{m.group(1)}" aria-label="källa {m.group(1)}">[{m.group(1)}]</a>'
        ),
        escaped,
    )


def _text_html(text: str) -> str:
    """Answer text as paragraphs and a bullet list ("- " lines), escaped, markers linked."""
    out, items = [], []
    for line in text.split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{link_markers(html.escape(line[2:]))}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.strip():
            out.append(f"<p>{link_markers(html.escape(line))}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


def render_answer_html(answer: Answer, lang: str = "sv", text: str | None = None) -> str:
    """An answer for the chat; an abstention gets its own look and says what was searched.

    ``text`` renders a partial answer while it streams. Example: render_answer_html(a) -> '<div class="answer" …'
    """
    if not answer.abstained:
        body = _text_html(answer.answer if text is None else text)
        return f'<div class="answer" lang="{answer.language}">{body}</div>'
    if answer.abstention is not None:  # an abstention is said in the page's language
        body, said_in = _text_html(abstention_text(answer.abstention, lang)), lang
    else:
        body, said_in = _text_html(answer.answer if text is None else text), answer.language
    return (
        f'<div class="answer abstained" role="note" lang="{said_in}">'
        f'<p class="abstained-title"><span class="icon" aria-hidden="true">⊘</span> '
        f"<strong>{html.escape(label('abstained', lang))}</strong></p>{body}</div>"
    )


def stream_answer_html(answer: Answer, lang: str = "sv", words_per_step: int = 4) -> Iterator[str]:
    """The answer a few words at a time, ending with the whole of it.

    Example: list(stream_answer_html(a))[-1] == render_answer_html(a)
    """
    tokens = re.split(r"(\s+)", answer.answer)
    step = max(1, words_per_step) * 2  # word and the whitespace after it
    for end in range(step, len(tokens), step):
        yield render_answer_html(answer, lang, "".join(tokens[:end]) + " …")
    yield render_answer_html(answer, lang)


def render_rewritten_html(question: str, lang: str = "sv") -> str:
    """Example: render_rewritten_html("Vad beslutade Västerbotten …?") -> '<p class="rewritten">↪ Tolkad som: …'"""
    return f'<p class="rewritten">↪ {html.escape(label("rewritten", lang))}: <q>{html.escape(question)}</q></p>'


def muted_html(key: str, lang: str = "sv") -> str:
    """A quiet one-line note, e.g. while an answer is on its way or before a source is chosen.

    Example: muted_html("answering") -> '<p class="muted">Söker i dokumenten …</p>'
    """
    return f'<p class="muted">{html.escape(label(key, lang))}</p>'


def render_error_html(message: str, lang: str = "sv") -> str:
    """A domain error as the user sees it: its message, never a traceback."""
    return (
        f'<div class="answer error" role="alert"><p><span class="icon" aria-hidden="true">⚠</span> '
        f"<strong>{html.escape(label('error', lang))}:</strong> {html.escape(message)}</p></div>"
    )
