"""UI render helpers and access rules, on real answers from a real index (tests/conftest.py's ``assistant``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import gradio as gr
import pytest

from assistant import cli, ui
from assistant.config import Settings
from assistant.documents import Answer, IngestSummary, SkippedFile
from assistant.errors import ConfigError
from assistant.readers import read_source
from assistant.service import Assistant

UPPSALA = "Vad beslutade Uppsala om kompetensförsörjning?"
NO_ANSWER = "Hur många elefanter bor på Skansen?"


@pytest.fixture(scope="module")
def answer(assistant: Assistant) -> Answer:
    result = assistant.ask(UPPSALA)
    assert not result.abstained
    assert result.citations
    return result


@pytest.fixture(scope="module")
def abstention(assistant: Assistant) -> Answer:
    result = assistant.ask(NO_ANSWER)
    assert result.abstained
    return result


# --- labels ---------------------------------------------------------------------------------------
def test_labels_are_swedish_by_default_and_english_on_request() -> None:
    assert ui.label("send") == "Skicka"
    assert ui.label("send", "en") == "Send"
    assert ui.label("send", "xx") == "Skicka"


def test_every_label_exists_in_both_languages() -> None:
    assert set(ui.LABELS["sv"]) == set(ui.LABELS["en"])
    assert all(ui.LABELS["en"][k] for k in ui.LABELS["en"])


# --- answers --------------------------------------------------------------------------------------
def test_answer_markers_link_to_the_sources_panel(answer: Answer) -> None:
    rendered = ui.render_answer_html(answer)
    assert rendered.startswith('<div class="answer"')
    assert "abstained" not in rendered
    for c in answer.citations:
        assert f'href="#src-{c.n}"' in rendered


def test_answer_text_is_escaped() -> None:
    hostile = Answer("q", "<script>alert(1)</script> & mer [1]", False)
    rendered = ui.render_answer_html(hostile)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&amp; mer" in rendered


def test_list_answers_become_bullets() -> None:
    rendered = ui.render_answer_html(Answer("q", "Beslut:\n- ett [1]\n- två [2]", False))
    assert "<ul><li>ett" in rendered
    assert rendered.count("<li>") == 2


def test_an_abstention_looks_different_and_says_what_was_searched(abstention: Answer) -> None:
    rendered = ui.render_answer_html(abstention)
    assert 'class="answer abstained"' in rendered
    assert 'role="note"' in rendered
    assert "Inget svar i dokumenten" in rendered
    panel = ui.render_sources_html(abstention, lambda c: "")
    assert "Sökte i" in panel
    for searched in abstention.searched:
        assert ui.html.escape(searched) in panel


def test_answers_stream_in_word_groups_and_end_whole(answer: Answer) -> None:
    steps = list(ui.stream_answer_html(answer, words_per_step=3))
    assert len(steps) > 2
    assert steps[-1] == ui.render_answer_html(answer)
    assert len(steps[0]) < len(steps[-1])
    first_words = " ".join(answer.answer.split()[:3])
    assert first_words in steps[0]


def test_errors_show_their_message_and_no_traceback() -> None:
    rendered = ui.render_error_html("the question is empty: type a question")
    assert 'role="alert"' in rendered
    assert "the question is empty" in rendered
    assert "Traceback" not in rendered


def test_the_rewritten_question_is_shown() -> None:
    assert "Tolkad som" in ui.render_rewritten_html("Vad beslutade Västerbotten?")
    assert "Understood as" in ui.render_rewritten_html("x", "en")


# --- sources --------------------------------------------------------------------------------------
def test_highlight_marks_the_quote_and_escapes_the_rest() -> None:
    assert (
        ui.highlight("Vi <ska> spara pengar.", "spara pengar")
        == "Vi &lt;ska&gt; <mark>spara pengar</mark>."
    )
    assert (
        ui.highlight("Rad ett\nrad  två slut", "ett rad två")
        == "Rad <mark>ett\nrad  två</mark> slut"
    )
    assert ui.highlight("Ingen träff <här>", "annat") == "Ingen träff &lt;här&gt;"


def test_every_citation_is_found_in_its_section(assistant: Assistant, answer: Answer) -> None:
    lookup = ui.section_text_lookup(assistant.snapshot.chunks)
    for c in answer.citations:
        assert ui.find_quote(lookup(c), c.quote) is not None, c


def test_sources_panel_shows_title_section_lines_and_marked_quote(
    assistant: Assistant, answer: Answer
) -> None:
    panel = ui.render_sources_html(answer, ui.section_text_lookup(assistant.snapshot.chunks))
    assert panel.count('class="source"') == len(answer.citations)
    assert panel.count("<mark>") == len(answer.citations)
    for c in answer.citations:
        assert f'id="src-{c.n}"' in panel
        assert f'data-cite="{c.n}"' in panel
        assert ui.html.escape(c.title) in panel
        assert ui.html.escape(c.section) in panel
        assert f"rad {c.lines[0]}" in panel
    first = answer.citations[0]
    marked = panel.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert " ".join(marked.split()) == " ".join(ui.html.escape(first.quote).split())


def test_a_source_without_its_section_still_shows_the_quote(answer: Answer) -> None:
    panel = ui.render_sources_html(answer, lambda c: "")
    assert panel.count("<mark>") == len(answer.citations)


def test_empty_sources_panel() -> None:
    assert "Källorna till svaret visas här." in ui.render_sources_html(None, lambda c: "")
    assert "Sources" in ui.render_sources_html(None, lambda c: "", "en")


def test_document_viewer_anchors_and_marks_the_cited_lines(
    assistant: Assistant, answer: Answer
) -> None:
    c = answer.citations[0]
    source = read_source(assistant.settings.corpus_dir / c.document, c.document)
    rendered = ui.render_document_html(source.lines, c.lines, c.quote, c.title, source.pages)
    assert rendered.count('id="doc-anchor"') == 1
    assert "<mark>" in rendered
    assert f'id="L{c.lines[0] - 1}"' in rendered
    assert f'id="L{c.lines[1] + 1}"' in rendered
    assert rendered.count('class="line"') == len(source.lines) - (c.lines[1] - c.lines[0] + 1)


def test_document_viewer_escapes_and_shows_pages() -> None:
    rendered = ui.render_document_html(
        ["<b>rubrik</b>", "text", "mer"], (2, 3), "text mer", pages=(1, 1, 2)
    )
    assert "<b>" not in rendered
    assert "&lt;b&gt;" in rendered
    assert "<mark>text\nmer</mark>" in rendered
    assert "Sida 1" in rendered


# --- exports --------------------------------------------------------------------------------------
def test_markdown_export_has_question_answer_and_quotes(answer: Answer) -> None:
    text = ui.answer_to_markdown(answer)
    lines = text.splitlines()
    assert lines[0] == f"# Fråga: {UPPSALA}"
    assert answer.answer in text
    assert "## Källor" in text
    for c in answer.citations:
        assert f"[{c.n}] {c.title}" in text
        assert f"> {' '.join(c.quote.split())}" in lines


def test_markdown_export_of_an_abstention_lists_what_was_searched(abstention: Answer) -> None:
    text = ui.answer_to_markdown(abstention, "en")
    assert "*No answer in the documents*" in text
    assert "## Searched" in text


def test_docx_export_opens_in_word_format(answer: Answer, tmp_path: Path) -> None:
    path = ui.answer_to_docx(answer, tmp_path / "svar.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert paragraphs[0] == f"Fråga: {UPPSALA}"
    assert "Källor" in paragraphs
    for c in answer.citations:
        assert " ".join(c.quote.split()) in paragraphs


def test_export_name() -> None:
    assert ui.export_name("Vad beslutade Uppsala?") == "svar-vad-beslutade-uppsala"
    assert ui.export_name("???") == "svar-fraga"


# --- corpus ---------------------------------------------------------------------------------------
def test_filter_choices_come_from_the_corpus(assistant: Assistant) -> None:
    choices = ui.filter_choices(assistant.snapshot.chunks)
    orgs = [value for _, value in choices["org"]]
    assert choices["org"][0] == ("Alla", "")
    assert {"Region Västerbotten", "Enköpings kommun", "Uppsala län"} <= set(orgs)
    assert ("strategi", "strategi") in choices["doc_type"]
    assert ("2024", "2024") in choices["year"]
    assert ui.filter_choices([], "en")["year"] == [("Any", "")]


def test_document_rows_show_metadata_and_index_status(assistant: Assistant) -> None:
    files = ui.corpus_files(assistant.settings.corpus_dir) + ["ny.txt", "trasig.pdf"]
    rows = ui.document_rows(
        files,
        assistant.snapshot.manifest["files"],
        assistant.snapshot.chunks,
        {"trasig.pdf": "corrupt or unreadable PDF"},
    )
    by_file = {row[0]: row for row in rows}
    enkoping = by_file["enkoping-strategi-samverkan-hsvo-2024-2026.txt"]
    assert enkoping[1:3] == ["Enköpings kommun", "Uppsala län"]
    assert "KS2024/286" in enkoping[6]
    assert enkoping[7] == "indexerad"
    assert by_file["ny.txt"][7] == "inte indexerad"
    assert by_file["trasig.pdf"][7] == "hoppades över: corrupt or unreadable PDF"
    assert len(rows[0]) == len(ui.TABLE_COLUMNS)


def test_uploads_are_copied_and_unsupported_files_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    good, bad = tmp_path / "in" / "beslut.txt", tmp_path / "in" / "program.exe"
    good.write_text("Text", encoding="utf-8")
    bad.write_bytes(b"MZ")
    copied, refused = ui.copy_uploads([str(good), str(bad)], tmp_path / "corpus")
    assert copied == [tmp_path / "corpus" / "beslut.txt"]
    assert copied[0].read_text(encoding="utf-8") == "Text"
    assert refused == {"program.exe": ui.label("unsupported")}


def test_ingest_report_names_each_failed_file_with_its_reason() -> None:
    summary = IngestSummary(
        skipped=[SkippedFile("tom.txt", "the file is empty")], notes=["x.txt: decoded as cp1252"]
    )
    rendered = ui.render_ingest_report(
        summary, ["ny.txt", "tom.txt"], {"program.exe": "filtypen stöds inte"}
    )
    assert "<li>ny.txt</li>" in rendered
    assert "<strong>tom.txt</strong>: the file is empty" in rendered
    assert "<strong>program.exe</strong>: filtypen stöds inte" in rendered
    assert "decoded as cp1252" in rendered


def test_build_app_gives_a_blocks_page(assistant: Assistant) -> None:
    app = ui.build_app(assistant)
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
    } <= ids


def test_every_control_has_a_label(assistant: Assistant) -> None:
    app = ui.build_app(assistant)
    for block in app.blocks.values():
        if isinstance(
            block, gr.Textbox | gr.Dropdown | gr.File | gr.Chatbot | gr.Dataframe | gr.Radio
        ):
            assert block.label, block
        if isinstance(block, gr.Button):
            assert block.value, block


def test_page_handlers_answer_and_show_the_document(assistant: Assistant) -> None:
    actions = ui.PageActions(assistant)
    state = {"question": "", "answer": None}
    steps = list(actions.respond(UPPSALA, [], state, "", "", "", "sv"))
    history, _, state, sources, _ = steps[-1]
    assert len(steps) > 3
    assert history[-1]["role"] == "assistant"
    assert "src-1" in history[-1]["content"]
    assert "<mark>" in sources
    assert state["question"] == UPPSALA
    follow = list(actions.respond("och Västerbotten?", history, state, "", "", "", "sv"))[-1]
    assert "Vad beslutade Västerbotten om kompetensförsörjning?" in follow[0][-1]["content"]
    viewer = actions.show_document(state, "sv", gr.SelectData(None, {"index": 1, "value": "1"}))
    assert 'id="doc-anchor"' in viewer


def test_page_handlers_show_domain_errors_as_messages(assistant: Assistant) -> None:
    actions = ui.PageActions(assistant)
    history, *_ = list(
        actions.respond("???", [], {"question": "", "answer": None}, "", "", "", "sv")
    )[-1]
    assert 'class="answer error"' in history[-1]["content"]
    assert "no words" in history[-1]["content"]


# --- access ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_login(host: str) -> None:
    assert ui.is_loopback(host)
    assert ui.auth_from_env(host, {}) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "assistant.example"])
def test_binding_beyond_loopback_without_a_login_is_refused(host: str) -> None:
    with pytest.raises(ConfigError) as info:
        ui.auth_from_env(host, {})
    message = str(info.value)
    assert "ASSISTANT_UI_USER" in message
    assert "ASSISTANT_UI_PASSWORD" in message
    assert "ASSISTANT_UI_AUTH_FILE" in message


def test_login_from_env_and_from_a_file(tmp_path: Path) -> None:
    assert ui.auth_from_env(
        "0.0.0.0", {"ASSISTANT_UI_USER": "anna", "ASSISTANT_UI_PASSWORD": "hemligt"}
    ) == [("anna", "hemligt")]
    users = tmp_path / "users.txt"
    users.write_text("# handläggare\nanna:hemligt\n\nbo:lösen:med:kolon\n", encoding="utf-8")
    assert ui.auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(users)}) == [
        ("anna", "hemligt"),
        ("bo", "lösen:med:kolon"),
    ]


def test_bad_login_files_are_named(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("anna:hemligt\nbara-namn\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2 is not 'user:password'"):
        ui.auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(users)})
    with pytest.raises(ConfigError, match="cannot be read"):
        ui.auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(tmp_path / "saknas.txt")})


def test_serve_refuses_an_open_host_before_loading_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ui.AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="login is required"):
        ui.serve(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index"), "0.0.0.0", 7860)


def test_cli_serve_on_an_open_host_exits_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ui.AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    code = cli.main(
        [
            "--corpus",
            str(tmp_path),
            "--index",
            str(tmp_path / "index"),
            "serve",
            "--host",
            "0.0.0.0",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: serving on '0.0.0.0'")
    assert "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD" in err


def test_no_resource_is_loaded_from_outside() -> None:
    options = ui.launch_options("127.0.0.1", 7860, None)
    fonts = options["theme"]._font + options["theme"]._font_mono
    assert all(not isinstance(f, gr.themes.GoogleFont) for f in fonts)
    assert options["ssr_mode"] is False
    assert options["share"] is False


def test_dataclass_answers_are_unchanged_by_rendering(answer: Answer) -> None:
    before = dataclasses.asdict(answer)
    ui.render_answer_html(answer)
    ui.answer_to_markdown(answer)
    assert dataclasses.asdict(answer) == before


def test_without_an_index_the_page_says_how_to_build_one_and_uploads_build_it(
    tmp_path: Path,
) -> None:
    empty = Assistant(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))
    actions = ui.PageActions(empty)
    assert isinstance(ui.build_app(empty), gr.Blocks)
    history, *_ = list(
        actions.respond(UPPSALA, [], {"question": "", "answer": None}, "", "", "", "sv")
    )[-1]
    assert "assistant ingest" in history[-1]["content"]
    upload = tmp_path / "uppladdat" / "beslut.txt"
    upload.parent.mkdir()
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
    assert table["data"][0][-1] == "indexerad"
    assert (tmp_path / "corpus" / "beslut.txt").exists()
