"""Scanned PDFs and image files (issue #23): a page of a bundled PDF rendered to an image-only PDF
here, and a two-page TIFF drawn here, read by Tesseract (the real one, Swedish + English),
indexed, asked, and cited with their page and "OCR".

OCR is slow (seconds a page), so one scanned page is recognised once per session; the cache folder
is private to the test, so the recognition really runs.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import UnreadableFile
from assistant.ingest.ocr import INSTALL
from assistant.ingest.readers import read_source
from assistant.service import Assistant
from tests.conftest import DATA

SOURCE_PDF = DATA / "alingsas-fardplan-god-och-nara-vard-remissvar.pdf"


def scanned_pdf(target: Path, pages: int = 1, dpi: int = 200) -> Path:
    """The first ``pages`` pages of a bundled PDF as pictures only: rendered by pdftoppm, saved as
    a PDF of images by Pillow (no text layer, as a scanner makes it)."""
    from PIL import Image

    images = []
    for page in range(1, pages + 1):
        png = subprocess.run(
            ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-png"]
            + [str(SOURCE_PDF)],
            capture_output=True,
            check=True,
        ).stdout
        images.append(Image.open(io.BytesIO(png)).convert("L"))
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return target


def scanned_tiff(target: Path) -> Path:
    """A two-page TIFF as a scanner saves a protocol: lines drawn with Pillow's own font (which
    has no å/ä/ö, so the asked line is plain ASCII)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=36)
    pages = []
    for lines in (
        [
            "Protokoll, socialnamnden",
            "",
            "Paragraf 12 Ekonomisk uppfoljning",
            "Beslut enligt forslag.",
        ],
        ["Justerare: Karin Ek", "Protokollet justeras den 20 augusti 2025."],
    ):
        page = Image.new("L", (1400, 120 + 60 * len(lines)), 255)
        draw = ImageDraw.Draw(page)
        for i, text in enumerate(lines):
            draw.text((60, 60 + 60 * i), text, fill=0, font=font)
        pages.append(page)
    pages[0].save(target, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return target


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, object]:
    root = tmp_path_factory.mktemp("scanned")
    (root / "corpus").mkdir()
    pdf = scanned_pdf(root / "corpus" / "skannat-remissvar.pdf")
    scanned_tiff(root / "corpus" / "protokoll.tif")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(root / "cache"))
        from pypdf import PdfReader

        assert not (PdfReader(str(pdf)).pages[0].extract_text() or "").strip()  # really a scan
        built = Assistant(Settings(corpus_dir=root / "corpus", index_dir=root / "index"))
        summary = built.ingest()
        answer = built.ask("Vem är handläggare för remissvaret?")
        from_image = built.ask("Vem är justerare för protokollet?")
    return built, (summary, answer, root, from_image)


@pytest.mark.slow
def test_a_scanned_pdf_is_read_by_ocr_and_its_answer_cited_with_page_and_ocr(scanned) -> None:
    _, (summary, answer, _, _) = scanned
    assert summary.readers == {
        "skannat-remissvar.pdf": "pdf, 1 page, 1 by OCR",
        "protokoll.tif": "image, 2 pages, 2 by OCR",
    }
    assert not answer.abstained, answer
    cited = [c for c in answer.citations if "Elisabeth Olsson" in c.quote]
    assert cited, answer.citations
    assert cited[0].page == 1 and cited[0].ocr is True
    assert json.loads(json.dumps(answer.to_json()))["citations"][0]["ocr"] is True


@pytest.mark.slow
def test_the_ingest_summary_and_the_manifest_name_the_reader(scanned) -> None:
    from assistant.cli.render import render_ingest_summary

    built, (summary, _, _, _) = scanned
    assert "  skannat-remissvar.pdf: pdf, 1 page, 1 by OCR" in render_ingest_summary(summary)
    files = built.manifest()["files"]
    assert files["skannat-remissvar.pdf"]["reader"] == "pdf, 1 page, 1 by OCR"


@pytest.mark.slow
def test_without_tesseract_a_scan_is_skipped_with_the_install_command(
    scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (_, _, root, _) = scanned
    pdf = root / "corpus" / "skannat-remissvar.pdf"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PATH", str(tmp_path))  # neither tesseract nor pdftoppm can be found
    with pytest.raises(UnreadableFile) as raised:
        read_source(pdf, pdf.name)
    assert INSTALL in str(raised.value) and "page 1" in str(raised.value)


@pytest.mark.slow
def test_a_page_read_once_is_not_read_again(scanned, monkeypatch: pytest.MonkeyPatch) -> None:
    """The citation check re-reads files: a recognised page comes from the cache, even without
    Tesseract (removed after the ingest)."""
    _, (_, _, root, _) = scanned
    pdf = root / "corpus" / "skannat-remissvar.pdf"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    first = read_source(pdf, pdf.name)
    monkeypatch.setenv("PATH", str(root))
    assert read_source(pdf, pdf.name).lines == first.lines


@pytest.mark.slow
def test_a_scanned_image_file_is_read_page_by_page_and_cited_with_its_page(scanned) -> None:
    _, (_, _, _, answer) = scanned
    cited = [c for c in answer.citations if "Karin Ek" in c.quote]
    assert cited, answer
    assert cited[0].document == "protokoll.tif" and cited[0].page == 2 and cited[0].ocr is True


def test_a_broken_image_says_so(tmp_path: Path) -> None:
    path = tmp_path / "skanning.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(UnreadableFile, match="not a readable image"):
        read_source(path, path.name)


def test_a_pdf_with_a_text_layer_is_not_ocrd() -> None:
    source = read_source(DATA / "enkoping-strategi-samverkan-hsvo-2024-2026.pdf", "e.pdf")
    assert source.ocr_pages == frozenset() and source.reader == "pdf, 12 pages"
