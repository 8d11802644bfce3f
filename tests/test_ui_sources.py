"""assistant/ui/sources.py: the sources panel and the document viewer, on real answers from a real index
(tests/conftest.py's ``assistant``)."""

from __future__ import annotations

import html

from assistant.answers import Answer, Citation
from assistant.ingest.readers import read_source
from assistant.service import Assistant
from assistant.ui.sources import (
    find_quote,
    group_by_section,
    highlight,
    highlight_all,
    render_document_html,
    render_sources_html,
    section_text_lookup,
)
from tests.conftest import UPPSALA  # noqa: F401  (fixture answer lives there)


# --- sources --------------------------------------------------------------------------------------
def test_highlight_marks_the_quote_and_escapes_the_rest() -> None:
    assert (
        highlight("Vi <ska> spara pengar.", "spara pengar")
        == "Vi &lt;ska&gt; <mark>spara pengar</mark>."
    )
    assert (
        highlight("Rad ett\nrad  två slut", "ett rad två") == "Rad <mark>ett\nrad  två</mark> slut"
    )
    assert highlight("Ingen träff <här>", "annat") == "Ingen träff &lt;här&gt;"


def test_every_citation_is_found_in_its_section(assistant: Assistant, answer: Answer) -> None:
    lookup = section_text_lookup(assistant.chunks())
    for c in answer.citations:
        assert find_quote(lookup(c), c.quote) is not None, c


def test_sources_panel_shows_title_section_lines_and_marked_quote(
    assistant: Assistant, answer: Answer
) -> None:
    lookup = section_text_lookup(assistant.chunks())
    panel = render_sources_html(answer, lookup)
    sections = {(c.document, lookup(c)) for c in answer.citations}
    assert panel.count('class="source"') == len(sections)  # one card per cited section
    assert panel.count("<mark>") == len(answer.citations)
    for c in answer.citations:
        assert f'id="src-{c.n}"' in panel
        assert f'data-cite="{c.n}"' in panel
        assert html.escape(c.title) in panel
        assert html.escape(c.section) in panel
        assert f"rad {c.lines[0]}" in panel
    first = answer.citations[0]
    marked = panel.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert " ".join(marked.split()) == " ".join(html.escape(first.quote).split())


def _cite(n: int, quote: str, section: str = "Mål", page: int | None = None) -> Citation:
    return Citation(n, "plan.pdf", "Plan", section, page, (n, n), quote, ocr=page == 2)


def test_citations_into_one_section_share_a_card_with_every_quote_marked() -> None:
    texts = {
        "Mål": "Fler ska bo hemma. Väntetiden ska vara kort. Alla ska ha ett larm.",
        "Budget": "Budgeten är 3 mnkr.",
    }
    answer = Answer(
        "Vad är målen?",
        "…",
        False,
        (
            _cite(1, "Fler ska bo hemma.", page=2),
            _cite(2, "Budgeten är 3 mnkr.", "Budget"),
            _cite(3, "Alla ska ha ett larm.", page=2),
        ),
    )
    panel = render_sources_html(answer, lambda c: texts[c.section])
    assert panel.count('class="source"') == 2
    first = panel.split('<article class="source"')[1]
    assert 'id="src-1"' in first and 'id="src-3"' in first and 'id="src-2"' not in first
    assert first.count("<mark>") == 2 and "<mark>Väntetiden" not in first
    assert 'data-cite="1"' in first and 'data-cite="3"' in first  # each [n] opens its own place
    assert "sida 2 · OCR-läst · rad 3" in first  # OCR text is said to be OCR text
    groups = group_by_section(answer.citations, lambda c: texts[c.section])
    assert [[c.n for c in g] for g, _ in groups] == [[1, 3], [2]]


def test_a_row_of_a_long_table_is_shown_under_its_header_row() -> None:
    from dataclasses import replace

    from tests.conftest import made_up_section

    rows = made_up_section(("Lerum kommun\t2025-08-15",), heading="Remissinstanser")
    part = replace(rows, table_header="Remissinstans\tSvar senast")
    citation = Citation(
        1, part.document, part.title, part.section, None, (1, 1), "Lerum kommun\t2025-08-15"
    )
    text = section_text_lookup([part])(citation)
    assert text == "Remissinstans\tSvar senast\nLerum kommun\t2025-08-15"
    assert "<mark>Lerum kommun\t2025-08-15</mark>" in render_sources_html(
        Answer("När?", "…", False, (citation,)), section_text_lookup([part])
    )


def test_overlapping_quotes_share_one_mark() -> None:
    assert highlight_all("A b c d.", ["A b c", "b c d."]) == "<mark>A b c d.</mark>"


def test_a_source_without_its_section_still_shows_the_quote(answer: Answer) -> None:
    panel = render_sources_html(answer, lambda c: "")
    assert panel.count("<mark>") == len(answer.citations)


def test_empty_sources_panel() -> None:
    assert "Källorna till svaret visas här." in render_sources_html(None, lambda c: "")
    assert "Sources" in render_sources_html(None, lambda c: "", "en")


# --- document viewer ------------------------------------------------------------------------------
def test_document_viewer_anchors_and_marks_the_cited_lines(
    assistant: Assistant, answer: Answer
) -> None:
    c = answer.citations[0]
    source = read_source(assistant.settings.corpus_dir / c.document, c.document)
    rendered = render_document_html(source.lines, c.lines, c.quote, c.title, source.pages)
    assert rendered.count('id="doc-anchor"') == 1
    assert "<mark>" in rendered
    assert f'id="L{c.lines[0] - 1}"' in rendered
    assert f'id="L{c.lines[1] + 1}"' in rendered
    assert rendered.count('class="line"') == len(source.lines) - (c.lines[1] - c.lines[0] + 1)


def test_document_viewer_escapes_and_shows_pages() -> None:
    rendered = render_document_html(
        ["<b>rubrik</b>", "text", "mer"], (2, 3), "text mer", pages=(1, 1, 2)
    )
    assert "<b>" not in rendered
    assert "&lt;b&gt;" in rendered
    assert "<mark>text\nmer</mark>" in rendered
    assert "Sida 1" in rendered
