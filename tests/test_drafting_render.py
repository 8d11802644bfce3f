"""assistant/drafting/render.py: Markdown and .docx from a DraftResult.

The drafts rendered are the goldens (tests/golden/drafts/*.json) read back into a DraftResult;
tests/test_drafting.py pins that draft_decision produces exactly these, so no index is needed here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant import drafting
from assistant.answers import Citation, DraftResult, DraftSection
from assistant.language.text import normalize_ws

GOLDEN = Path(__file__).resolve().parent / "golden" / "drafts"


def _golden_draft(slug: str) -> DraftResult:
    data = json.loads((GOLDEN / f"{slug}.json").read_text(encoding="utf-8"))
    draft = DraftResult(
        data["title"],
        data["text"],
        tuple(DraftSection(s["heading"], s["text"]) for s in data["sections"]),
        tuple(Citation(**{**c, "lines": tuple(c["lines"])}) for c in data["citations"]),
        tuple(data["placeholders"]),
    )
    assert draft.to_json() == data  # read back faithfully
    return draft


def test_markdown_has_headings_numbered_att_satser_and_sources() -> None:
    md = drafting.to_markdown(_golden_draft("ljusdal-valfardsstrategin"))
    assert md.startswith("# Antagande av Välfärdsstrategin – Ljusdals kommun\n")
    for heading in (
        "## Förslag till beslut",
        "## Beskrivning av ärendet",
        "## Beslutsunderlag",
        "## Beslutet skickas till",
        "## Källor",
    ):
        assert f"\n{heading}\n" in md
    assert "\n\n1. Att anta Välfärdsstrategin" in md  # a list needs the blank line before it
    assert (
        "\n- [1] gavleborg-valfardsstrategin-fortsatt-process.txt, Förslag till innehåll i beslutet, rad 53–55: ”• Att anta"
        in md
    )
    assert "Diarienummer: [diarienummer]  \n" in md


@pytest.mark.slow
def test_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        message = "LibreOffice is not installed: run `bash scripts/install-system-deps.sh`"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must convert the .docx for real
        pytest.skip(message)
    from docx import Document
    from pypdf import PdfReader

    draft = _golden_draft("ljusdal-valfardsstrategin")
    path = tmp_path / "utkast.docx"
    drafting.to_docx(draft, path)
    styles = [p.style.name for p in Document(str(path)).paragraphs]
    assert styles[0] == "Title"
    assert styles.count("List Number") == 3  # the att-satser, numbered by Word itself
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = normalize_ws(
        " ".join(page.extract_text() for page in PdfReader(str(tmp_path / "utkast.pdf")).pages)
    )
    for expected in (
        draft.title,
        "Förslag till beslut",
        "Kommunfullmäktige föreslås besluta",
        "Att anta Välfärdsstrategin för den samverkan Ljusdals kommun genomför inom ramen för Nätverk Välfärd",
        "Beslutsunderlag",
        "Källor",
        "[1] gavleborg-valfardsstrategin-fortsatt-process.txt",
        "[nämnd]",
    ):
        assert expected in text, expected


def test_a_source_line_says_when_its_quote_is_ocr_text() -> None:
    from assistant.drafting.render import source_line

    scanned = Citation(
        2, "protokoll.pdf", "Protokoll", "Beslut", 3, (4, 5), "Nämnden beslutar.", ocr=True
    )
    assert source_line(scanned).startswith("[2] protokoll.pdf, Beslut, s. 3 (OCR), rad 4–5")
    assert "(OCR)" not in source_line(Citation(1, "a.pdf", "A", "B", 3, (4, 5), "Text."))
