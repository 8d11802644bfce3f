"""Markdown read as Markdown, on small made-up documents: `#` headings become headings, images and
link targets leave the text, lists stay lists, tables stay rows; line numbers keep pointing into the
file, so citations of a .md file still verify (real reader, real index, real default model)."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.verify import CitationVerifier
from assistant.config import Settings
from assistant.ingest.markdown import inline_text, markdown_lines
from assistant.ingest.readers import read_source
from assistant.service import Assistant

PAGE = """# Remiss av promemorian Bättre fiskevård i sjöar Diarienummer: Ab2031/00001

![](/contentassets/0123abcd/omslag.jpg?width=150&quality=85)

Här kan du läsa **remissen** och [promemorian](/contentassets/0123abcd/pm.pdf "PDF").

## Remissinstanser

* Fiskerimyndigheten
* Länsstyrelsen i Nordanå län
  * dess fiskeenhet
1. Första punkten
2. Andra punkten

| **Sjö** | **Antal fiskar** | |
| --- | ---: | --- |
| Storsjön | 1 200 | |

Sista dag att svara på remissen är den 3 mars 2031. Svaren skickas till fiske@example.se.
"""


def test_headings_lose_their_marks_and_are_marked_as_headings():
    lines, headings = markdown_lines(
        ("# Titel #", "", "## Bakgrund", "text", "Äldre rubrik", "===", "", "Mer", "---", "#")
    )
    assert lines == ("Titel", "", "Bakgrund", "text", "Äldre rubrik", "", "", "Mer", "", "")
    assert headings == {0, 2, 4, 7}  # ATX, and setext over === and ---


def test_images_and_link_targets_leave_the_text_and_a_link_keeps_its_words():
    text = 'Se ![omslag](/a/b.jpg?w=1) [rapporten](/a/(1).pdf "titel") och <https://ex.se/x>.'
    assert inline_text(text) == "Se  rapporten och https://ex.se/x."
    assert inline_text("[![bild](/i.png)](/sida)") == ""
    assert inline_text("**fet**, *kursiv*, `kod`, ~~struken~~, a\\*b, <b>html</b>") == (
        "fet, kursiv, kod, struken, a*b, html"
    )
    assert inline_text("filnamn_med_understreck och 3 * 4 * 5") == (
        "filnamn_med_understreck och 3 * 4 * 5"
    )


def test_lists_stay_lists_and_tables_become_rows_of_cells():
    lines, headings = markdown_lines(tuple(PAGE.splitlines()))
    assert lines[8:13] == (
        "* Fiskerimyndigheten",
        "* Länsstyrelsen i Nordanå län",
        "  * dess fiskeenhet",
        "1. Första punkten",
        "2. Andra punkten",
    )
    assert lines[14:17] == ("Sjö\tAntal fiskar", "", "Storsjön\t1 200")
    assert headings == {0, 6}


def test_fenced_code_is_kept_as_written():
    lines, headings = markdown_lines(("```", "# inte en rubrik", "[a](b)", "```", "# Rubrik"))
    assert lines == ("", "# inte en rubrik", "[a](b)", "", "Rubrik")
    assert headings == {4}


def test_the_reader_keeps_one_line_per_file_line_and_only_md_is_converted(tmp_path: Path):
    (tmp_path / "sida.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sida.txt").write_text(PAGE, encoding="utf-8")
    md = read_source(tmp_path / "sida.md", "sida.md")
    assert len(md.lines) == len(PAGE.split("\n"))
    assert md.lines[0].startswith("Remiss av promemorian") and 0 in md.heading_lines
    assert not any("contentassets" in line or "](" in line for line in md.lines)
    assert read_source(tmp_path / "sida.txt", "sida.txt").lines[0].startswith("# Remiss")


def test_an_ingested_markdown_page_has_clean_sections_and_verified_quotes(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "remiss-fiskevard.md").write_text(PAGE, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    assistant = Assistant(settings)
    assistant.ingest()
    chunks = assistant.chunks()
    shown = " ".join(" ".join([*c.heading_path, c.text]) for c in chunks)
    assert "Remissinstanser" in {h for c in chunks for h in c.heading_path}
    assert not any(h.startswith("#") for c in chunks for h in c.heading_path)
    assert "contentassets" not in shown and "![" not in shown and "**" not in shown
    assert "promemorian" in shown
    answer = assistant.ask("Vilken är sista dag att svara på remissen om fiskevård?")
    assert not answer.abstained
    assert any("3 mars 2031" in c.quote for c in answer.citations)
    verifier = CitationVerifier(corpus)
    assert all(verifier.verify(c) for c in answer.citations)
