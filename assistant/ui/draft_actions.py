"""``DraftActions``: what the Drafting tab's controls do, one method per event handler.

Every draft comes from ``assistant.drafting.draft_decision``; its domain errors (an unknown
organisation, a strategy the corpus does not hold) become messages in the page, with the
suggestions the library gives, never tracebacks. Does not: lay out the page (app.py) or write HTML
itself (drafts.py, render.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.drafting import draft_decision, to_docx, to_markdown
from assistant.errors import AssistantError
from assistant.ui.drafts import draft_file_name, render_draft_html
from assistant.ui.labels import label
from assistant.ui.render import muted_html, render_error_html
from assistant.ui.tempfiles import new_folder

if TYPE_CHECKING:  # serve() makes the assistant; the handlers are handed it
    from assistant.answers import DraftResult
    from assistant.service import Assistant

EMPTY: dict[str, Any] = {"draft": None, "error": ""}


def _no_file() -> Any:
    return gr.update(value=None, interactive=False)


def _shown(state: dict[str, Any], lang: str) -> str:
    """The output panel for the state: the draft, the error message, or the hint before either."""
    if state.get("draft") is not None:
        return render_draft_html(state["draft"], lang)
    if state.get("error"):
        return render_error_html(state["error"], lang)
    return muted_html("draft_empty", lang)


class DraftActions:
    """What the Drafting tab's controls do. Each method is one event handler; errors become messages."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def make_draft(self, org: str, strategy: str, body: str, lang: str) -> tuple[Any, ...]:
        """The draft for the page, its state, and its Markdown and .docx files for the two buttons."""
        org, strategy, body = (" ".join((v or "").split()) for v in (org, strategy, body))
        if not org or not strategy:
            state: dict[str, Any] = {"draft": None, "error": label("draft_missing", lang)}
            return _shown(state, lang), state, _no_file(), _no_file()
        try:
            draft = draft_decision(self.assistant, org, strategy, body)
        except AssistantError as exc:
            state = {"draft": None, "error": str(exc)}
            return _shown(state, lang), state, _no_file(), _no_file()
        state = {"draft": draft, "error": ""}
        md_path, docx_path = self.files(draft)
        return (
            _shown(state, lang),
            state,
            gr.update(value=str(md_path), interactive=True),
            gr.update(value=str(docx_path), interactive=True),
        )

    @staticmethod
    def files(draft: DraftResult) -> tuple[Path, Path]:
        """The draft as Markdown and .docx in a fresh temporary folder, as the answer export does."""
        folder = new_folder("draft")
        name = draft_file_name(draft)
        md_path = folder / f"{name}.md"
        md_path.write_text(to_markdown(draft), encoding="utf-8")
        docx_path = folder / f"{name}.docx"
        to_docx(draft, docx_path)
        return md_path, docx_path

    def relabel(self, lang: str, state: dict[str, Any]) -> tuple[Any, ...]:
        """The tab's text in the chosen language (in the order of ``relabelled`` in draft_tab.py)."""
        return (
            gr.update(label=label("tab_draft", lang)),
            label("draft_intro", lang),
            gr.update(label=label("draft_org", lang), placeholder=label("draft_org_hint", lang)),
            gr.update(
                label=label("draft_strategy", lang), placeholder=label("draft_strategy_hint", lang)
            ),
            gr.update(label=label("draft_body", lang), placeholder=label("draft_body_hint", lang)),
            gr.update(value=label("draft_make", lang)),
            gr.update(value=_shown(state or EMPTY, lang), label=label("draft_output", lang)),
            gr.update(label=label("draft_export_md", lang)),
            gr.update(label=label("draft_export_docx", lang)),
        )
