"""assistant/ui/actions.py: the page's event handlers, called as gradio calls them, on a real index."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.config import Settings
from assistant.service import Assistant
from assistant.ui.actions import PageActions
from assistant.ui.app import build_app
from assistant.ui.documents_tab import TABLE_COLUMNS

UPPSALA = "Vad beslutade Uppsala om kompetensförsörjning?"


def test_page_handlers_answer_and_show_the_document(assistant: Assistant) -> None:
    actions = PageActions(assistant)
    state = {"question": "", "answer": None}
    steps = list(actions.respond(UPPSALA, [], state, "", "", "", "sv"))
    history, _, state, sources, _ = steps[-1]
    assert len(steps) > 3
    # the question box is cleared once, as answering starts; a next question typed while the
    # answer streams in is not wiped by a later step
    assert steps[0][1] == "" and not any(isinstance(step[1], str) for step in steps[1:])
    assert history[-1]["role"] == "assistant"
    assert "src-1" in history[-1]["content"]
    assert "<mark>" in sources
    assert state["question"] == UPPSALA
    follow = list(actions.respond("och Västerbotten?", history, state, "", "", "", "sv"))[-1]
    assert "Vad beslutade Västerbotten om kompetensförsörjning?" in follow[0][-1]["content"]
    viewer = actions.show_document(state, "sv", gr.SelectData(None, {"index": 1, "value": "1"}))
    assert 'id="doc-anchor"' in viewer


def test_page_handlers_show_domain_errors_as_messages(assistant: Assistant) -> None:
    actions = PageActions(assistant)
    history, *_ = list(
        actions.respond("???", [], {"question": "", "answer": None}, "", "", "", "sv")
    )[-1]
    assert 'class="answer error"' in history[-1]["content"]
    assert "no words" in history[-1]["content"]


def test_exports_are_offered_only_for_an_answer(assistant: Assistant) -> None:
    actions = PageActions(assistant)
    state = list(actions.respond(UPPSALA, [], {"question": "", "answer": None}, "", "", "", "sv"))[
        -1
    ][2]
    md, docx_file = actions.exports(state, "sv")
    assert md["interactive"] is True
    assert Path(md["value"]).read_text(encoding="utf-8").startswith(f"# Fråga: {UPPSALA}")
    assert Path(docx_file["value"]).suffix == ".docx"
    assert actions.exports({"question": "", "answer": None}, "sv")[0]["interactive"] is False


def test_without_an_index_the_page_says_how_to_build_one_and_uploads_build_it(
    tmp_path: Path,
) -> None:
    empty = Assistant(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))
    actions = PageActions(empty)
    assert isinstance(build_app(empty), gr.Blocks)
    history, *_ = list(
        actions.respond(UPPSALA, [], {"question": "", "answer": None}, "", "", "", "sv")
    )[-1]
    assert "assistant ingest" in history[-1]["content"]
    # an upload is a file in gradio's upload folder (any other path is refused)
    actions.upload_root.mkdir(parents=True, exist_ok=True)
    upload = Path(tempfile.mkdtemp(dir=actions.upload_root)) / "beslut.txt"
    upload.write_text(
        "Beslut om digital tillsyn\n\nKommunstyrelsen i Hallstahammar beslutade att införa "
        "digital tillsyn nattetid inom hemtjänsten.\n",
        encoding="utf-8",
    )
    report, table, *_ = actions.add_files(
        [str(upload)], "sv", progress=lambda *args, **kwargs: None
    )  # type: ignore[arg-type]
    assert "<li>beslut.txt</li>" in report
    assert table["data"][0][0] == "beslut.txt"
    row = dict(zip(TABLE_COLUMNS, table["data"][0], strict=True))
    # answerable at once by word search; its vector is filled in behind it (issue #22)
    assert row["col_status"] == "indexerad för ordsökning, vektorer beräknas"
    assert row["col_reader"] == "txt"
    assert (tmp_path / "corpus" / "beslut.txt").exists()
    assert actions.corpus.filling is not None
    actions.corpus.filling.join(timeout=120)
    assert actions.assistant.dense_state() == "complete"
    row = dict(zip(TABLE_COLUMNS, actions.corpus.table("sv")["data"][0], strict=True))
    assert row["col_status"] == "indexerad"


def test_a_lone_surrogate_question_ends_in_a_message_the_browser_can_receive(
    assistant: Assistant,
) -> None:
    import orjson  # what gradio serialises the chat with

    actions = PageActions(assistant)
    steps = list(
        actions.respond(
            "När ska \ud800 skickas?", [], {"question": "", "answer": None}, "", "", "", "sv"
        )
    )
    for history, *_ in steps:
        orjson.dumps(history)  # raised "str is not valid UTF-8" before: the chat stayed stuck
    last = steps[-1][0][-1]["content"]
    assert 'class="answer error"' in last and "not valid text" in last


def test_a_year_filter_that_is_not_a_number_is_ignored(assistant: Assistant) -> None:
    actions = PageActions(assistant)
    history, *_ = list(
        actions.respond(UPPSALA, [], {"question": "", "answer": None}, "", "", "två tusen", "sv")
    )[-1]
    assert "src-1" in history[-1]["content"]
