"""assistant/ui/drafts.py: a decision draft as HTML, on a real draft from a real index."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assistant.answers import DraftResult, DraftSection
from assistant.drafting import PLACEHOLDERS, draft_decision
from assistant.service import Assistant
from assistant.ui.drafts import draft_file_name, render_draft_html


@pytest.fixture(scope="module")
def draft(assistant: Assistant) -> DraftResult:
    result = draft_decision(assistant, "Ljusdals kommun", "Välfärdsstrategin", "")
    assert result.citations
    assert "[nämnd]" in result.placeholders
    return result


def _without_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def test_the_draft_has_its_title_headings_and_numbered_att_satser(draft: DraftResult) -> None:
    page = render_draft_html(draft)
    assert page.startswith('<article class="draft" lang="sv"><h2>')
    assert "<h2>Antagande av Välfärdsstrategin – Ljusdals kommun</h2>" in page
    for section in draft.sections:
        assert f"<h3>{section.heading}</h3>" in page
    att_satser = re.search(r'<ol class="att-satser">(.*?)</ol>', page)
    assert att_satser is not None
    items = re.findall(r'<li value="(\d+)">(.*?)</li>', att_satser.group(1))
    assert [n for n, _ in items] == ["1", "2", "3"]
    assert _without_tags(items[0][1]).startswith("Att anta Välfärdsstrategin")
    assert "Ljusdals kommun" in _without_tags(items[0][1])


def test_every_marker_links_to_its_source_with_the_quote(draft: DraftResult) -> None:
    page = render_draft_html(draft)
    linked = {int(n) for n in re.findall(r'<a class="cite" href="#draft-src-(\d+)"', page)}
    assert linked == {c.n for c in draft.citations}
    for c in draft.citations:
        source = re.search(rf'<li id="draft-src-{c.n}" value="{c.n}">(.*?)</li>', page)
        assert source is not None, c.n
        assert " ".join(c.quote.split()) in source.group(1)
        assert c.document in source.group(1)
    # no marker is left as bare text outside a link
    assert not re.search(r"(?<!>)\[\d+\](?!</a>)", page.split('<section class="draft-sources"')[0])


def test_placeholders_are_marked_wherever_they_stand(draft: DraftResult) -> None:
    page = render_draft_html(draft)
    body = page.split('<section class="draft-sources"')[0]
    for holder in draft.placeholders:
        assert f'<mark class="placeholder">{holder}</mark>' in body
        unmarked = body.replace(f'<mark class="placeholder">{holder}</mark>', "")
        assert holder not in unmarked, f"{holder} left unmarked"
    to_fill = page.split('<section class="to-fill"')[1]
    assert "Att fylla i" in to_fill
    assert all(f'<mark class="placeholder">{p}</mark>' in to_fill for p in draft.placeholders)
    assert set(draft.placeholders) <= set(PLACEHOLDERS)


def test_all_text_is_escaped(draft: DraftResult) -> None:
    evil = "<script>alert(1)</script> & [nämnd]"
    first = draft.citations[0]
    changed = dataclasses.replace(
        draft,
        title=f"Antagande <b>x</b> {evil}",
        sections=(DraftSection("Rubrik <i>", f"1. Att {evil} [1]\n2. Att & [99]"),),
        citations=(dataclasses.replace(first, quote=evil, title="<img src=x>", section="a<b"),),
    )
    page = render_draft_html(changed)
    assert "<script>" not in page
    assert "<b>x</b>" not in page
    assert "<img" not in page
    assert "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    assert "<h3>Rubrik &lt;i&gt;</h3>" in page
    assert "a&lt;b" in page
    assert '<mark class="placeholder">[nämnd]</mark>' in page
    # a marker with no citation behind it stays plain text, never a dead link
    assert "Att &amp; [99]</li>" in page
    assert 'href="#draft-src-99"' not in page


def test_the_page_words_follow_the_language_and_the_draft_stays_swedish(
    draft: DraftResult,
) -> None:
    page = render_draft_html(draft, "en")
    assert '<article class="draft" lang="sv">' in page
    assert "<h3>Sources</h3>" in page
    assert "<h3>To fill in</h3>" in page
    assert "<h3>Förslag till beslut</h3>" in page
    assert "line 53–55" in page


def test_a_draft_without_placeholders_has_no_list_to_fill_in(draft: DraftResult) -> None:
    plain = dataclasses.replace(
        draft, sections=(DraftSection("Förslag till beslut", "1. Att anta X [1]"),), placeholders=()
    )
    page = render_draft_html(plain)
    assert "to-fill" not in page
    assert "placeholder" not in page


def test_draft_file_name(draft: DraftResult) -> None:
    assert draft_file_name(draft) == "utkast-antagande-av-välfärdsstrategin-ljusdals-kommun"
