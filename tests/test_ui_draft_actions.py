"""assistant/ui/draft_actions.py: the Drafting tab's handlers, called as gradio calls them, on a real index."""

from __future__ import annotations

from pathlib import Path

import docx

from assistant.service import Assistant
from assistant.ui.draft_actions import EMPTY, DraftActions


def test_a_draft_is_shown_with_its_two_files(assistant: Assistant) -> None:
    page, state, md, word = DraftActions(assistant).make_draft(
        " Ljusdals  kommun ", "Välfärdsstrategin", "", "sv"
    )
    assert page.startswith('<article class="draft"')
    assert "Förslag till beslut" in page
    assert state["draft"].title == "Antagande av Välfärdsstrategin – Ljusdals kommun"
    assert md["interactive"] is True
    assert word["interactive"] is True
    markdown = Path(md["value"]).read_text(encoding="utf-8")
    assert markdown.startswith("# Antagande av Välfärdsstrategin – Ljusdals kommun")
    assert Path(md["value"]).name == "utkast-antagande-av-välfärdsstrategin-ljusdals-kommun.md"
    paragraphs = [p.text for p in docx.Document(word["value"]).paragraphs]
    assert "Antagande av Välfärdsstrategin – Ljusdals kommun" in paragraphs


def test_the_body_given_is_used(assistant: Assistant) -> None:
    page, *_ = DraftActions(assistant).make_draft(
        "Ljusdals kommun", "Välfärdsstrategin", "kommunfullmäktige", "sv"
    )
    assert "Kommunfullmäktige föreslås besluta" in page


def test_domain_errors_are_messages_with_the_suggestions(assistant: Assistant) -> None:
    actions = DraftActions(assistant)
    page, state, md, word = actions.make_draft("Ljusdalls", "Välfärdsstrategin", "", "sv")
    assert 'class="answer error" role="alert"' in page
    assert "Did you mean: Ljusdals kommun?" in page
    assert "Traceback" not in page
    assert state == {"draft": None, "error": state["error"]}
    assert md["interactive"] is False
    assert word["interactive"] is False
    page, *_ = actions.make_draft("Ljusdals kommun", "Kattstrategin", "", "sv")
    assert "no strategy in the corpus matches &#x27;Kattstrategin&#x27;" in page
    assert "Välfärdsstrategin" in page


def test_missing_fields_are_named_in_the_page_language(assistant: Assistant) -> None:
    actions = DraftActions(assistant)
    page, *_ = actions.make_draft("", "Välfärdsstrategin", "", "sv")
    assert "Ange både en organisation och en strategi" in page
    page, *_ = actions.make_draft("Ljusdals kommun", "  ", "", "en")
    assert "Give both an organisation and a strategy" in page


def test_relabel_redraws_the_draft_in_the_chosen_language(assistant: Assistant) -> None:
    actions = DraftActions(assistant)
    _, state, *_ = actions.make_draft("Ljusdals kommun", "Välfärdsstrategin", "", "sv")
    tab, intro, org, strategy, body, make, output, md, word = actions.relabel("en", state)
    assert tab["label"] == "Drafting"
    assert org["placeholder"] == "e.g. Ljusdals kommun"
    assert make["value"] == "Create draft"
    assert "<h3>Sources</h3>" in output["value"]
    assert md["label"] == "Download the draft (Markdown)"
    empty = actions.relabel("sv", dict(EMPTY))
    assert "Skapa utkast" in empty[6]["value"]
