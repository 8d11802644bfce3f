"""assistant/ui/app.py: the page's blocks and how it is launched (the browser tests drive it for real)."""

from __future__ import annotations

import gradio as gr

from assistant.service import Assistant
from assistant.ui.app import build_app, launch_options


def test_build_app_gives_a_blocks_page(assistant: Assistant) -> None:
    app = build_app(assistant)
    assert isinstance(app, gr.Blocks)
    ids = {getattr(block, "elem_id", None) for block in app.blocks.values()}
    assert {
        "chat",
        "question",
        "send",
        "new-chat",
        "sources",
        "viewer",
        "documents",
        "upload",
        "ingest",
        "export-md",
        "export-docx",
        "filter-org",
        "filter-type",
        "filter-year",
        "lang",
        "draft-org",
        "draft-strategy",
        "draft-body",
        "draft-make",
        "draft-output",
        "draft-md",
        "draft-docx",
    } <= ids
    tabs = {block.label for block in app.blocks.values() if isinstance(block, gr.Tab)}
    assert tabs == {"Fråga", "Dokument", "Beslutsutkast"}


def test_every_control_has_a_label(assistant: Assistant) -> None:
    app = build_app(assistant)
    blocks = list(app.blocks.values())
    fields = [
        b
        for b in blocks
        if isinstance(b, gr.Textbox | gr.Dropdown | gr.File | gr.Chatbot | gr.Dataframe | gr.Radio)
    ]
    buttons = [b for b in blocks if isinstance(b, gr.Button)]
    # The checks below must have met the page's controls, not an empty list.
    assert {"question", "filter-org", "filter-type", "lang", "upload", "chat"} <= {
        b.elem_id for b in fields
    }
    assert {"send", "new-chat", "ingest", "draft-make"} <= {b.elem_id for b in buttons}
    assert [b for b in fields if not b.label] == []
    assert [b for b in buttons if not b.value] == []


def test_no_resource_is_loaded_from_outside() -> None:
    options = launch_options("127.0.0.1", 7860, None)
    fonts = options["theme"]._font + options["theme"]._font_mono
    assert all(not isinstance(f, gr.themes.GoogleFont) for f in fonts)
    assert options["ssr_mode"] is False
    assert options["share"] is False
