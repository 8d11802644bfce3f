"""The Swedish structure parser on the real corpus files, as text and as PDF."""

from assistant.ingest.lines import furniture_lines
from assistant.ingest.readers import read_source
from assistant.ingest.structure import build_sections, parse
from tests.conftest import CORPUS, DATA


def _sections(name: str):
    return build_sections(read_source(CORPUS / name, name))


def test_enkoping_file_splits_into_its_five_documents():
    subdocs, _ = parse(
        read_source(CORPUS / "enkoping-strategi-samverkan-hsvo-2024-2026.txt", "e.txt")
    )
    assert [s.opener for s in subdocs] == ["paragraph", "toc", "office", "toc", "date"]
    assert subdocs[0].title == "Paragraf 70 – Strategi för samverkan HSVO 2024–2026"
    assert subdocs[4].title == "Strategi för samverkan HSVO 2024-2026"


def test_focus_areas_and_delmal_nest_under_their_headings():
    paths = [s.heading_path for s in _sections("enkoping-strategi-samverkan-hsvo-2024-2026.txt")]
    assert (
        "Fokusområden",
        "C. Kompetensförsörjning",
        "C1 Kompetensförsörjningen präglas av väl fungerande samverkan mellan huvudmännen samt med "
        "lärosäten och andra utbildningsaktörer",
        "Inriktning",
    ) in paths


def test_a_section_never_mixes_two_headings():
    for section in _sections("alingsas-fardplan-god-och-nara-vard-remissvar.txt"):
        assert "Beredning" not in section.text.split("\n")  # headings are never body text
    headings = [
        s.heading_path[-1] for s in _sections("alingsas-fardplan-god-och-nara-vard-remissvar.txt")
    ]
    assert headings[1:] == [
        "Ärendebeskrivning",
        "Beredning",
        "Ekonomisk bedömning",
        "Förslag till beslut",
        "Beslutet ska skickas till",
    ]


def test_running_header_inside_a_sentence_is_dropped_and_sentence_rejoined():
    source = read_source(CORPUS / "gavleborg-valfardsstrategi-forslag-till-beslut.txt", "g.txt")
    dropped = [source.lines[i] for i in furniture_lines(source)]
    assert dropped == ["Hälso- och sjukvårdsgemensamma resurser stab"]
    text = " ".join(s.text for s in build_sections(source))
    assert "Länsledning är en strategisk samverkansledning" in text


def test_slide_bullets_wrapped_over_blank_lines_are_one_item():
    sections = _sections("gavleborg-valfardsstrategin-fortsatt-process.txt")
    items = [u[0] for s in sections for u in s.units]
    assert any(
        i.startswith("• Att anta Välfärdsstrategin för den samverkan X kommun")
        and i.endswith("länssamverkan")
        for i in items
    )


def test_pdf_gives_the_same_sections_as_text_with_pages():
    for stem in (
        "enkoping-strategi-samverkan-hsvo-2024-2026",
        "vasterbotten-fardplan-nara-vard-2030-rekommendation",
    ):
        as_text = build_sections(read_source(CORPUS / f"{stem}.txt", "t"))
        as_pdf = build_sections(read_source(DATA / f"{stem}.pdf", "p"))
        assert [s.heading_path for s in as_text] == [s.heading_path for s in as_pdf]
        assert all(s.page is not None for s in as_pdf)


def test_sentence_spans_carry_their_own_lines_in_a_pdf():
    sections = build_sections(
        read_source(DATA / "vasterbotten-fardplan-nara-vard-2030-rekommendation.pdf", "v.pdf")
    )
    spans = [span for s in sections for span in s.spans]
    feedback = next(s for s in spans if s[0].startswith("Återkoppling av fattat beslut"))
    assert feedback[1] <= feedback[2]
    assert feedback[2] - feedback[1] <= 2
