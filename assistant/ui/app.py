"""``build_app(assistant)`` -> the gradio page with its events wired to ``PageActions``; launch options.

Does not: decide what a control does (actions.py) or write HTML (render.py, sources.py); it lays out the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.generate.llm import model_available
from assistant.ingest.readers import SUPPORTED
from assistant.ui.actions import PageActions
from assistant.ui.corpus import filter_choices
from assistant.ui.documents_tab import TABLE_WIDTHS
from assistant.ui.draft_tab import draft_tab
from assistant.ui.generated import QUOTES, mode_choices
from assistant.ui.labels import LANGUAGES, label
from assistant.ui.login import LoginThrottle
from assistant.ui.render import muted_html
from assistant.ui.sources import render_sources_html
from assistant.ui.style import CSS, SCROLL_JS, SOURCES_JS

if TYPE_CHECKING:  # serve() imports it when needed
    from assistant.service import Assistant

# Seconds between looks at a running vector fill (the Documents tab's status follows it).
FILL_POLL_S = 2.0


def theme() -> gr.themes.Base:
    """System fonts only: the default theme would fetch web fonts from outside the machine."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])


def launch_options(
    host: str, port: int, auth: list[tuple[str, str]] | None, max_file_mb: float = 20.0
) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` (serve and the browser tests use the same)."""
    from starlette.middleware import Middleware

    return {
        "server_name": host,
        "server_port": port,
        "auth": auth,
        # a growing delay per client after failed logins, and a lockout noted in the log
        "app_kwargs": {"middleware": [Middleware(LoginThrottle)]} if auth else {},
        # gradio refuses a larger upload before it reaches the disk or the corpus
        "max_file_size": f"{max(1, int(max_file_mb))}mb",
        "theme": theme(),
        "css": CSS,
        "ssr_mode": False,
        "show_error": False,
        "quiet": True,
        "share": False,
    }


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole page: chat with filters, sources and document viewer; documents tab with upload;
    drafting tab (draft_tab.py)."""
    actions = PageActions(assistant)
    chunks = actions.corpus.chunks()
    # subtle: the page as built is served before login too (gradio embeds its API info), so it
    # holds nothing of the corpus; filters and the documents table are filled in on load.
    choices = filter_choices([])
    with gr.Blocks(title=label("title"), delete_cache=(3600, 3600)) as app:
        conv = gr.State({"question": "", "answer": None})
        with gr.Row():
            title = gr.Markdown(f"# {label('title')}\n{label('intro')}")
            lang = gr.Radio(
                LANGUAGES,
                value="sv",
                label="Språk / Language",
                scale=0,
                min_width=220,
                elem_id="lang",
            )
        with gr.Tabs():
            with gr.Tab(label("tab_chat"), id="chat") as chat_tab, gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label=label("chat"),
                        height=460,
                        elem_id="chat",
                        buttons=["copy", "copy_all"],
                        placeholder=label("intro") if chunks else label("no_index"),
                    )
                    question = gr.Textbox(
                        label=label("question"),
                        placeholder=label("question_hint"),
                        lines=1,
                        max_lines=4,
                        elem_id="question",
                        autofocus=True,
                    )
                    with gr.Row():
                        send = gr.Button(label("send"), variant="primary", elem_id="send")
                        new_chat = gr.Button(label("new_chat"), elem_id="new-chat")
                    answer_mode = gr.Radio(
                        mode_choices("sv"),
                        value=QUOTES,
                        label=label("answer_mode"),
                        elem_id="answer-mode",
                        # only where a model can answer (`assistant llm install`, or a server)
                        visible=model_available(assistant.settings),
                    )
                    with gr.Row():
                        export_md = gr.DownloadButton(
                            label("export_md"), interactive=False, elem_id="export-md", size="sm"
                        )
                        export_docx = gr.DownloadButton(
                            label("export_docx"),
                            interactive=False,
                            elem_id="export-docx",
                            size="sm",
                        )
                    viewer = gr.HTML(
                        muted_html("viewer_empty", "sv"), label=label("viewer"), elem_id="viewer"
                    )
                with gr.Column(scale=2):
                    filters_title = gr.Markdown(f"### {label('filters')}")
                    org = gr.Dropdown(
                        choices["org"], value="", label=label("org"), elem_id="filter-org"
                    )
                    with gr.Row():
                        doc_type = gr.Dropdown(
                            choices["doc_type"],
                            value="",
                            label=label("doc_type"),
                            elem_id="filter-type",
                        )
                        year = gr.Dropdown(
                            choices["year"], value="", label=label("year"), elem_id="filter-year"
                        )
                    sources = gr.HTML(
                        render_sources_html(None, actions.corpus.lookup()),
                        label=label("sources"),
                        elem_id="sources",
                        js_on_load=SOURCES_JS,
                    )
            with gr.Tab(label("tab_docs"), id="docs") as docs_tab:
                table = gr.Dataframe(
                    value=actions.corpus.blank_table("sv"),
                    label=label("docs_table"),
                    interactive=False,
                    wrap=True,
                    elem_id="documents",
                    type="array",
                    column_widths=TABLE_WIDTHS,
                )
                uploads = gr.File(
                    file_count="multiple",
                    file_types=sorted(SUPPORTED),
                    label=label("upload"),
                    elem_id="upload",
                )
                ingest = gr.Button(label("ingest"), variant="primary", elem_id="ingest")
                report = gr.HTML("", label=label("upload_report"), elem_id="ingest-report")
            draft_tab(assistant, lang)

        gr.on(
            [question.submit, send.click],
            actions.respond,
            [question, chatbot, conv, org, doc_type, year, lang, answer_mode],
            [chatbot, question, conv, sources, viewer],
            show_progress="hidden",
            # a question sent while the last one is still being answered runs after it, rather
            # than being dropped (gradio's default for a submit)
            trigger_mode="always_last",
        ).then(actions.exports, [conv, lang], [export_md, export_docx], show_progress="hidden")
        sources.select(actions.show_document, [conv, lang], [viewer], show_progress="hidden").then(
            None, js=SCROLL_JS
        )
        new_chat.click(
            actions.new_conversation,
            [lang],
            [chatbot, question, conv, sources, viewer, export_md, export_docx],
        )
        # While an upload's vectors are filled in behind it, the table's status follows the fill
        # (the fill of a short file may end before the first tick: the tick after an upload
        # always redraws).
        filling = gr.State(False)
        ingest.click(
            actions.add_files, [uploads, lang], [report, table, org, doc_type, year, uploads]
        ).then(lambda: True, None, [filling], show_progress="hidden")
        gr.Timer(FILL_POLL_S).tick(
            actions.fill_progress, [lang, filling], [table, filling], show_progress="hidden"
        )
        relabelled = [
            title,
            chat_tab,
            docs_tab,
            chatbot,
            question,
            send,
            new_chat,
            export_md,
            export_docx,
            filters_title,
            org,
            doc_type,
            year,
            sources,
            table,
            uploads,
            ingest,
            viewer,
            answer_mode,
        ]
        lang.change(actions.relabel, [lang, conv, viewer], relabelled)
        app.load(actions.corpus_view, [lang], [org, doc_type, year, table], show_progress="hidden")
    return app
