"""``draft_tab(assistant, lang)``: the Drafting tab laid out, its events wired to ``DraftActions``.

Called by build_app inside its ``gr.Tabs``. Does not: decide what a control does (draft_actions.py)
or write HTML (drafts.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import gradio as gr

from assistant.ui.draft_actions import EMPTY, DraftActions
from assistant.ui.labels import label
from assistant.ui.render import muted_html

if TYPE_CHECKING:  # serve() makes the assistant
    from assistant.service import Assistant


def draft_tab(assistant: Assistant, lang: gr.Radio) -> gr.Tab:
    """Organisation, strategy and body in, the draft with its sources and two downloads out."""
    actions = DraftActions(assistant)
    with gr.Tab(label("tab_draft"), id="draft") as tab:
        state = gr.State(dict(EMPTY))
        intro = gr.Markdown(label("draft_intro"), elem_id="draft-intro")
        with gr.Row(equal_height=True):
            org = gr.Textbox(
                label=label("draft_org"),
                placeholder=label("draft_org_hint"),
                max_lines=1,
                elem_id="draft-org",
            )
            strategy = gr.Textbox(
                label=label("draft_strategy"),
                placeholder=label("draft_strategy_hint"),
                max_lines=1,
                elem_id="draft-strategy",
            )
            body = gr.Textbox(
                label=label("draft_body"),
                placeholder=label("draft_body_hint"),
                max_lines=1,
                elem_id="draft-body",
            )
        with gr.Row():
            make = gr.Button(label("draft_make"), variant="primary", elem_id="draft-make")
            export_md = gr.DownloadButton(
                label("draft_export_md"), interactive=False, elem_id="draft-md", size="sm"
            )
            export_docx = gr.DownloadButton(
                label("draft_export_docx"), interactive=False, elem_id="draft-docx", size="sm"
            )
        output = gr.HTML(
            muted_html("draft_empty"), label=label("draft_output"), elem_id="draft-output"
        )

    gr.on(
        [make.click, org.submit, strategy.submit, body.submit],
        actions.make_draft,
        [org, strategy, body, lang],
        [output, state, export_md, export_docx],
    )
    relabelled = [tab, intro, org, strategy, body, make, output, export_md, export_docx]
    lang.change(actions.relabel, [lang, state], relabelled)
    return tab
