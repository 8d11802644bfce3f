"""OpenDocument text, saved web pages and a PDF table (issue #23): real files made here, read, indexed and asked.

Each made-up document is read by its real reader, ingested into a real index with the real model,
and asked a question whose answer must be cited to the right section.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import UnreadableFile
from assistant.ingest.chunking import chunk_source
from assistant.ingest.readers import read_source
from assistant.service import Assistant
from tests.test_pdftables import remiss_pdf

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Strategi för äldreomsorg – Exempelby kommun</title></head>
<body><header><nav><ul><li><a href="/">Startsida</a></li><li><a href="/om">Om Exempelby</a></li>
<li><a href="/kontakt">Kontakta kundcenter</a></li></ul></nav></header>
<main><article><h1>Strategi för äldreomsorg 2025–2028</h1>
<p>Kommunfullmäktige antog strategin den 12 mars 2025. Strategin gäller för alla förvaltningar som
arbetar med äldre invånare i kommunen.</p>
<h2>Mål</h2><p>Målet är att fler äldre ska kunna bo kvar hemma med stöd av hemtjänsten och att
väntetiden till särskilt boende ska vara högst tre månader.</p>
<ul><li>Fler digitala trygghetslarm</li><li>Utbildning för personal i hemtjänsten</li></ul>
<h2>Uppföljning</h2><p>Socialnämnden följer upp strategin varje år i samband med årsredovisningen
och rapporterar resultatet till kommunstyrelsen.</p>
</article></main>
<footer><p>Exempelby kommun, Box 1, 123 45 Exempelby. Webbkakor och tillgänglighetsredogörelse.</p>
</footer></body></html>"""

NAVIGATION_AND_FOOTER = ("Startsida", "Kontakta kundcenter", "Box 1", "tillgänglighetsredogörelse")


def make_html(path: Path) -> Path:
    path.write_text(PAGE, encoding="utf-8")
    return path


def make_odt(path: Path) -> Path:
    """A Writer document with a heading, a paragraph, a list and a table, written with odfpy."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Plan för digital omställning i Exempelby"))
    doc.text.addElement(
        P(
            text="Planen beskriver hur förvaltningen ska arbeta med digitalisering under "
            "perioden 2025–2027 och vem som ansvarar för uppföljningen."
        )
    )
    doc.text.addElement(H(outlinelevel=2, text="Åtgärder"))
    doc.text.addElement(P(text="Förvaltningen ska genomföra följande åtgärder:"))
    items = List()
    for text in ("Införa e-tjänster för bygglov", "Utbilda alla chefer i informationssäkerhet"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    doc.text.addElement(items)
    doc.text.addElement(H(outlinelevel=2, text="Budget"))
    table = Table(name="Budget")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in (("År", "Belopp"), ("2025", "3 miljoner kronor"), ("2026", "5 miljoner kronor")):
        tr = TableRow()
        for cell in row:
            tc = TableCell()
            tc.addElement(P(text=cell))
            tr.addElement(tc)
        table.addElement(tr)
    doc.text.addElement(table)
    doc.save(str(path))
    return path


# --- readers ----------------------------------------------------------------------------------
def test_odt_keeps_headings_list_items_and_table_rows(tmp_path: Path) -> None:
    source = read_source(make_odt(tmp_path / "plan.odt"), "plan.odt")
    lines = list(source.lines)
    assert source.kind == "odt" and source.reader == "odt"
    heading = lines.index("Åtgärder")
    assert heading in source.heading_lines
    assert "- Införa e-tjänster för bygglov" in lines
    assert "År\tBelopp" in lines and "2026\t5 miljoner kronor" in lines
    chunks, _, _ = chunk_source(source)
    kinds = {c.heading_path[-1]: c.kind for c in chunks}
    assert kinds["Åtgärder"] == "list" and kinds["Budget"] == "table"


def test_a_corrupt_odt_raises_a_reason(tmp_path: Path) -> None:
    good = make_odt(tmp_path / "plan.odt").read_bytes()
    for name, data in (("zip.odt", b"PK\x03\x04 not a zip"), ("halv.odt", good[: len(good) // 2])):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(UnreadableFile, match="corrupt or unreadable ODT"):
            read_source(tmp_path / name, name)


def test_html_keeps_the_main_content_with_headings_not_menus_or_footer(tmp_path: Path) -> None:
    source = read_source(make_html(tmp_path / "strategi.html"), "strategi.html")
    text = "\n".join(source.lines)
    assert source.kind == "html"
    for furniture in NAVIGATION_AND_FOOTER:
        assert furniture not in text
    assert source.lines.index("Uppföljning") in source.heading_lines
    assert "- Fler digitala trygghetslarm" in source.lines


def test_html_without_main_text_says_so(tmp_path: Path) -> None:
    path = tmp_path / "meny.htm"
    path.write_text("<html><body><nav><a href='/'>Start</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="no main text"):
        read_source(path, "meny.htm")


# --- asked end to end ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    make_odt(corpus / "digital-plan.odt")
    make_html(corpus / "aldreomsorg.html")
    remiss_pdf(corpus / "remiss-kollektivtrafik.pdf")
    built = Assistant(Settings(corpus_dir=corpus, index_dir=root / "index"))
    summary = built.ingest()
    assert not summary.skipped, summary.skipped
    assert summary.readers == {
        "digital-plan.odt": "odt",
        "aldreomsorg.html": "html",
        "remiss-kollektivtrafik.pdf": "pdf, 1 page",
    }
    return built


CASES = [
    (
        "Vilka åtgärder ska förvaltningen genomföra?",
        "digital-plan.odt",
        "Åtgärder",
        None,
        "bygglov",
    ),
    ("Hur stor är budgeten för 2026?", "digital-plan.odt", "Budget", None, "5 miljoner"),
    (
        "Hur ofta följs strategin för äldreomsorg upp?",
        "aldreomsorg.html",
        "Uppföljning",
        None,
        "varje år",
    ),
    # a row is cited whole, its cells verbatim, with its page (see README: a date or reference
    # asked of one row still abstains, the asked word stands in the header row)
    (
        "Vad gäller för Essunga kommun?",
        "remiss-kollektivtrafik.pdf",
        "kollektivtrafik",
        1,
        "Essunga kommun\t2025-04-15\tKS 2025/103",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "document", "section", "page", "words"), CASES)
def test_a_question_is_cited_to_its_section(
    formats: Assistant, question: str, document: str, section: str, page: int | None, words: str
) -> None:
    answer = formats.ask(question)
    assert not answer.abstained, answer
    cited = [c for c in answer.citations if words in c.quote]
    assert cited, answer.citations
    assert cited[0].document == document and cited[0].section.endswith(section)
    assert cited[0].page == page and cited[0].ocr is False


@pytest.mark.slow
def test_menus_and_footer_of_a_page_are_not_indexed(formats: Assistant) -> None:
    indexed = "\n".join(c.text for c in formats.chunks())
    for furniture in NAVIGATION_AND_FOOTER:
        assert furniture not in indexed


def test_the_summary_names_every_reader_and_past_fifty_files_only_the_scans() -> None:
    from assistant.cli.render import render_ingest_summary
    from assistant.documents import IngestSummary

    few = IngestSummary(readers={"a.odt": "odt", "b.pdf": "pdf, 3 pages, 1 by OCR"})
    assert (
        "Read 2 file(s):\n  a.odt: odt\n  b.pdf: pdf, 3 pages, 1 by OCR"
        in render_ingest_summary(few)
    )
    many = IngestSummary(readers={f"{n:03d}.txt": "txt" for n in range(60)})
    many.readers["skanning.pdf"] = "pdf, 2 pages, 2 by OCR"
    shown = render_ingest_summary(many)
    assert "Read 61 file(s) (1 pdf, 60 txt):\n  skanning.pdf: pdf, 2 pages, 2 by OCR" in shown
    assert "000.txt" not in shown
