"""PDF tables (issue #23): rows found from pypdf's layout mode, on made-up text, on a real table PDF
written here (tests/pdfmaker.py) and on the bundled PDFs, which hold no table."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_source
from assistant.ingest.pdftables import mark_rows, table_rows
from assistant.ingest.readers import read_source
from tests.conftest import DATA
from tests.pdfmaker import table_page, text_pdf

MUNICIPALITIES = ("Ale", "Alingsås", "Borås", "Essunga", "Falköping", "Grästorp", "Herrljunga")
ROWS = [("Remissinstans", "Svar senast", "Diarienummer")] + [
    (f"{name} kommun", f"2025-0{n + 1}-15", f"KS 2025/{100 + n}")
    for n, name in enumerate(MUNICIPALITIES)
]


def remiss_pdf(path: Path, rows: list[tuple[str, ...]] = ROWS) -> Path:
    page = table_page(
        "Remiss av plan för kollektivtrafik",
        [
            "Planen skickas på remiss till följande remissinstanser. Svaren ska lämnas skriftligt",
            "till trafiknämnden och märkas med diarienumret i tabellen nedan.",
        ],
        rows,
        "Remissvaren sammanställs av förvaltningen under hösten.",
    )
    return text_pdf(path, [page])


def test_rows_are_cells_in_shared_columns() -> None:
    layout = (
        "Instans         Svar senast     Diarienr\n\n"
        "Ale kommun      2025-01-15      KS 1\n\n"
        "Borås kommun    2025-03-15      KS 2\n"
        "Lerum kommun    2025-08-15      KS 3\n"
    )
    assert table_rows(layout)[2] == ["Borås kommun", "2025-03-15", "KS 2"]
    assert mark_rows(["Ale kommun 2025-01-15 KS 1", "Ale kommun"], table_rows(layout)) == [
        "Ale kommun\t2025-01-15\tKS 1",
        "Ale kommun",
    ]


@pytest.mark.parametrize(
    "layout",
    [
        "Datum      2021-12-01\nHandläggare      Elisabeth Olsson\n",  # two letterhead pairs
        "Mål   A\nText som löper på som vanlig prosa utan kolumner alls.\nB   C\nD   E\n",
        "Ett      två\nTre                          fyra\nFem  sex sju\nÅtta               nio\n",
    ],
)
def test_lines_that_do_not_line_up_in_three_rows_are_no_table(layout: str) -> None:
    assert table_rows(layout) == []


def test_a_real_table_pdf_keeps_rows_whole_and_pages_and_lines_unchanged(tmp_path: Path) -> None:
    pdf = remiss_pdf(tmp_path / "remiss.pdf")
    source = read_source(pdf, "remiss.pdf")
    rows = [line for line in source.lines if "\t" in line]
    assert rows[0] == "Remissinstans\tSvar senast\tDiarienummer"
    assert "Borås kommun\t2025-03-15\tKS 2025/102" in rows and len(rows) == len(ROWS)
    from pypdf import PdfReader

    plain = (PdfReader(str(pdf)).pages[0].extract_text() or "").split("\n")
    assert [" ".join(x.split()) for x in source.lines] == [" ".join(x.split()) for x in plain]


def test_each_chunk_of_a_long_table_repeats_its_header_row(tmp_path: Path) -> None:
    rows = ROWS + [(f"Ort {n} kommun", "2025-10-01", f"KS 2025/{200 + n}") for n in range(20)]
    source = read_source(remiss_pdf(tmp_path / "lang.pdf", rows), "lang.pdf")
    chunks, _, _ = chunk_source(source, max_chars=300)
    with_rows = [c for c in chunks if "\t" in c.text]
    assert len(with_rows) >= 3
    header = "\t".join(ROWS[0])
    assert header in with_rows[0].text and with_rows[0].table_header == ""
    for chunk in with_rows[1:]:
        assert chunk.table_header == header and header in chunk.search_text()
        assert not chunk.text.startswith(header)  # the quote stays verbatim: rows only
    cited_rows = [s.text for c in with_rows for s in c.spans if "\t" in s.text]
    assert len(cited_rows) == len(rows)  # every row whole, in exactly one chunk


@pytest.mark.parametrize("pdf", sorted(DATA.glob("*.pdf")), ids=lambda p: p.name)
def test_the_bundled_pdfs_hold_no_table_and_read_as_before(pdf: Path) -> None:
    source = read_source(pdf, pdf.name)
    assert not any("\t" in line for line in source.lines)
