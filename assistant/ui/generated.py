"""The chat's "Genererat svar" mode: the language model's text streamed as it is written, then the
checked answer marked as generated (or the quotes, with a note saying why).

Does not: check sentences (assistant/generate/claims.py) or lay out the switch (app.py).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from typing import Any

from assistant.answers import Answer
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.ui.labels import label
from assistant.ui.render import render_answer_html

GENERATED = "generated"
QUOTES = "quotes"


def mode_choices(lang: str = "sv") -> list[tuple[str, str]]:
    return [(label("mode_quotes", lang), QUOTES), (label("mode_generated", lang), GENERATED)]


class GeneratedAnswers:
    """One language model for the whole page, started on the first generated answer."""

    def __init__(self, settings: Settings, generator: Any = None) -> None:
        self.settings = settings
        self.generator = generator  # a generate.generator.Generator; made when first needed
        self._lock = threading.Lock()  # one generation at a time: the bundled server has one slot

    def stream_html(self, answer: Answer, lang: str) -> Iterator[tuple[str, Answer | None]]:
        """(html, None) while the model writes, then (html, final answer) once."""
        from assistant.generate.generator import Generator

        written = ""
        try:
            with self._lock:
                if self.generator is None:
                    self.generator = Generator(self.settings)
                for item in self.generator.stream(answer):
                    if isinstance(item, Answer):
                        yield render_generated_html(item, lang), item
                        return
                    written += item
                    yield _writing_html(written, lang), None
        except AssistantError as exc:
            note = f"{label('generated_unavailable', lang)}: {exc}"
            yield _note_html(note) + render_answer_html(answer, lang), answer


def render_generated_html(answer: Answer, lang: str = "sv") -> str:
    """A generated answer with its badge; a fallback to the quotes says that it is one."""
    if answer.mode != GENERATED:
        if answer.abstained or not answer.dropped_claims:
            return render_answer_html(answer, lang)
        note = f"{label('generated_fallback', lang)} ({answer.dropped_claims} {label('generated_dropped', lang)})."
        return _note_html(note) + render_answer_html(answer, lang)
    badge = label("generated_badge", lang)
    if answer.dropped_claims:
        badge += f" ({answer.dropped_claims} {label('generated_dropped', lang)})"
    body = render_answer_html(answer, lang).replace('class="answer"', 'class="answer generated"', 1)
    marker = f'<p class="generated-badge" role="note">✎ {html.escape(badge)}</p>'
    return body.replace(">", ">" + marker, 1)


def _writing_html(text: str, lang: str) -> str:
    return (
        f'<div class="answer generated" aria-busy="true"><p class="muted">'
        f"{html.escape(label('generating', lang))}</p><p>{html.escape(text)} …</p></div>"
    )


def _note_html(text: str) -> str:
    return f'<p class="muted" role="note">{html.escape(text)}</p>'
