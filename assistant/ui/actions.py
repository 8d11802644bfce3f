"""``PageActions``: what the page's controls do, one method per event handler.

Every question and upload goes through ``Assistant``; domain errors become messages here, never
tracebacks. Does not: lay out the page (app.py) or write HTML itself (render.py, sources.py,
export.py, documents_tab.py).
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.documents import Filters
from assistant.errors import AssistantError
from assistant.ingest.readers import read_source
from assistant.ui.corpus import CorpusView, filter_choices
from assistant.ui.documents_tab import copy_uploads, render_ingest_report
from assistant.ui.export import answer_to_docx, answer_to_markdown, export_name
from assistant.ui.generated import GENERATED, QUOTES, GeneratedAnswers, mode_choices
from assistant.ui.labels import LABELS, label
from assistant.ui.render import (
    muted_html,
    render_error_html,
    render_rewritten_html,
    stream_answer_html,
)
from assistant.ui.sources import render_document_html, render_sources_html
from assistant.ui.tempfiles import new_folder

if TYPE_CHECKING:  # serve() makes the assistant; the handlers are handed it
    from assistant.service import Assistant


log = logging.getLogger("assistant.ui")


def _year(value: object) -> int:
    """A year filter from the page ("" or "2024"); anything else means no year filter."""
    try:
        return int(str(value or 0))
    except ValueError:
        return 0


def _no_export() -> Any:
    return gr.update(value=None, interactive=False)


class PageActions:
    """What the page's controls do. Each method is one event handler; errors become messages."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        # subtle: the only folder whose files are uploads; any other path a caller sends through
        # the API is refused (gradio refuses it too, but the corpus must not depend on that).
        self.upload_root = Path(get_upload_folder())
        self.corpus = CorpusView(assistant)
        self.generated = GeneratedAnswers(assistant.settings)

    def respond(
        self,
        text: str,
        history: list[dict[str, Any]],
        state: dict[str, Any],
        org: str,
        doc_type: str,
        year: str,
        lang: str,
        answer_mode: str = QUOTES,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat: the rewritten question, then word groups, then the sources.

        ``answer_mode`` "generated": the language model's text as it is written, then the checked answer.
        """
        asked = " ".join((text or "").split())
        if not asked:
            yield history, text, state, gr.skip(), gr.skip()
            return
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in asked):
            # subtle: a lone surrogate cannot even be sent back to the browser; say why, shown safely
            try:
                self.assistant.check_question(asked)
                problem = "the question is not valid text"
            except AssistantError as exc:
                problem = str(exc)
            shown = asked.encode("utf-8", "replace").decode("utf-8")
            history = [
                *history,
                {"role": "user", "content": html.escape(shown)},
                {"role": "assistant", "content": render_error_html(problem, lang)},
            ]
            yield history, "", state, gr.skip(), gr.skip()
            return
        effective = (
            self.assistant.rewrite(asked, state["question"]) if state.get("question") else asked
        )
        note = render_rewritten_html(effective, lang) if effective != asked else ""
        history = [
            *history,
            {"role": "user", "content": html.escape(asked)},
            {"role": "assistant", "content": note + muted_html("answering", lang)},
        ]
        # subtle: the question box is cleared here, once; later steps leave it alone, so that a
        # next question typed while this answer streams in is not wiped by the next step.
        yield history, "", state, gr.skip(), gr.skip()
        try:
            answer = self.assistant.ask(
                effective, Filters(org=org or "", doc_type=doc_type or "", year=_year(year))
            )
        except AssistantError as exc:
            history[-1] = {"role": "assistant", "content": note + render_error_html(str(exc), lang)}
            yield history, gr.skip(), state, gr.skip(), gr.skip()
            return
        except Exception as exc:  # never leave the chat on "Söker i dokumenten …"
            log.exception("answering %r failed", effective)
            message = f"internal error ({type(exc).__name__}); the server log has the details"
            history[-1] = {"role": "assistant", "content": note + render_error_html(message, lang)}
            yield history, gr.skip(), state, gr.skip(), gr.skip()
            return
        steps = (
            self.generated.stream_html(answer, lang)
            if answer_mode == GENERATED
            else ((partial, None) for partial in stream_answer_html(answer, lang))
        )
        for partial, final in steps:
            answer = final or answer
            history[-1] = {"role": "assistant", "content": note + partial}
            yield history, gr.skip(), state, gr.skip(), gr.skip()
            time.sleep(0.02)  # lets the browser paint each word group; a few steps of 20 ms
        state = {"question": effective, "answer": answer}
        yield (
            history,
            gr.skip(),
            state,
            render_sources_html(answer, self.corpus.lookup(), lang),
            muted_html("viewer_empty", lang),
        )

    def exports(self, state: dict[str, Any], lang: str) -> tuple[Any, Any]:
        """Markdown and .docx files of the latest answer, for the two download buttons."""
        answer = state.get("answer")
        if answer is None:
            return _no_export(), _no_export()
        folder = new_folder("export")
        name = export_name(answer.question)
        md_path = folder / f"{name}.md"
        md_path.write_text(answer_to_markdown(answer, lang), encoding="utf-8")
        docx_path = answer_to_docx(answer, folder / f"{name}.docx", lang)
        md_file = gr.update(value=str(md_path), interactive=True)
        return md_file, gr.update(value=str(docx_path), interactive=True)

    def show_document(self, state: dict[str, Any], lang: str, evt: gr.SelectData) -> str:
        """The whole document of citation ``evt.index``, the cited lines marked (the page scrolls there)."""
        answer = state.get("answer")
        cited = [c for c in (answer.citations if answer else ()) if str(c.n) == str(evt.index)]
        if not cited:
            return muted_html("viewer_empty", lang)
        c = cited[0]  # subtle: the path comes from our own citation, never from the browser
        settings = self.assistant.settings
        try:
            source = read_source(
                Path(settings.corpus_dir) / c.document,
                c.document,
                settings.max_file_mb,
                settings.ocr_max_pages,
                settings.max_html_mb,
            )
        except AssistantError as exc:
            return render_error_html(f"{c.document}: {exc}", lang)
        return render_document_html(
            source.lines, c.lines, c.quote, f"{c.title} ({c.document})", source.pages, lang
        )

    def new_conversation(self, lang: str) -> tuple[Any, ...]:
        return (
            [],
            "",
            {"question": "", "answer": None},
            render_sources_html(None, self.corpus.lookup(), lang),
            muted_html("viewer_empty", lang),
            _no_export(),
            _no_export(),
        )

    def add_files(
        self,
        files: list[str] | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (gradio fills it in per call)
    ) -> tuple[Any, ...]:
        """Copy uploads into the corpus and ingest them; refused and skipped files are named with reasons."""
        if not files:
            return muted_html("nothing_uploaded", lang), *(gr.skip() for _ in range(5))
        settings = self.assistant.settings
        copied, refused, notes = copy_uploads(
            list(files),
            Path(settings.corpus_dir),
            lang,
            settings.max_file_mb,
            upload_root=self.upload_root,
        )
        names = [p.name for p in copied]

        def report(stage: str, done: int, total: int) -> None:
            key = f"progress_{stage}"
            progress((done, max(total, 1)), desc=label(key, lang) if key in LABELS["sv"] else stage)

        summary = None
        with self.corpus.lock:
            try:
                summary = self.assistant.ingest(copied, report, wait=False) if copied else None
            except AssistantError as exc:
                refused.update(dict.fromkeys(names, str(exc)))
        for name in names:
            self.corpus.skipped.pop(name, None)
        self.corpus.skipped.update({s.path: s.reason for s in summary.skipped} if summary else {})
        self.corpus.skipped.update(refused)
        if summary is not None:
            summary.notes[:0] = notes
        fresh = filter_choices(self.corpus.chunks(), lang)
        shown = (
            render_ingest_report(summary, names, refused, lang),
            self.corpus.table(lang),
            gr.update(choices=fresh["org"]),
            gr.update(choices=fresh["doc_type"]),
            gr.update(choices=fresh["year"]),
            None,
        )
        if summary is not None and summary.pending_vectors:
            self.corpus.fill_behind()  # answerable now (the table says so); vectors follow
        return shown

    def corpus_view(self, lang: str) -> tuple[Any, ...]:
        """Filter choices and the documents table, sent once the visitor is in (after login)."""
        fresh = filter_choices(self.corpus.chunks(), lang)
        return (
            gr.update(choices=fresh["org"]),
            gr.update(choices=fresh["doc_type"]),
            gr.update(choices=fresh["year"]),
            self.corpus.table(lang),
        )

    def fill_progress(self, lang: str, was_filling: bool) -> tuple[Any, bool]:
        """The documents table while vectors are being filled in behind an upload, and once more
        when they are done (the status turns from "indexerad för ordsökning" to "indexerad");
        nothing at all otherwise, so an idle page is not redrawn."""
        filling = bool(self.corpus.waiting())
        if filling or was_filling:
            return self.corpus.table(lang), filling
        return gr.skip(), False

    def relabel(self, lang: str, state: dict[str, Any], viewer: str) -> tuple[Any, ...]:
        """Every control's text in the chosen language (in the order of ``relabelled`` in build_app)."""
        fresh = filter_choices(self.corpus.chunks(), lang)
        chat_hint = label("intro", lang) if self.corpus.chunks() else label("no_index", lang)
        return (
            f"# {label('title', lang)}\n{label('intro', lang)}",
            gr.update(label=label("tab_chat", lang)),
            gr.update(label=label("tab_docs", lang)),
            gr.update(label=label("chat", lang), placeholder=chat_hint),
            gr.update(label=label("question", lang), placeholder=label("question_hint", lang)),
            gr.update(value=label("send", lang)),
            gr.update(value=label("new_chat", lang)),
            gr.update(label=label("export_md", lang)),
            gr.update(label=label("export_docx", lang)),
            f"### {label('filters', lang)}",
            gr.update(label=label("org", lang), choices=fresh["org"]),
            gr.update(label=label("doc_type", lang), choices=fresh["doc_type"]),
            gr.update(label=label("year", lang), choices=fresh["year"]),
            render_sources_html(state.get("answer"), self.corpus.lookup(), lang),
            gr.update(value=self.corpus.table(lang), label=label("docs_table", lang)),
            gr.update(label=label("upload", lang)),
            gr.update(value=label("ingest", lang)),
            gr.skip() if "doc-view" in (viewer or "") else muted_html("viewer_empty", lang),
            gr.update(label=label("answer_mode", lang), choices=mode_choices(lang)),
        )
