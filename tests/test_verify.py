from assistant.answer.verify import CitationVerifier
from assistant.answers import Citation
from tests.conftest import CORPUS, DATA

DOC = "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt"


def _cite(
    quote: str, lines: tuple[int, int], document: str = DOC, page: int | None = None
) -> Citation:
    return Citation(1, document, "t", "s", page, lines, quote)


def test_quote_must_be_in_the_cited_lines():
    verifier = CitationVerifier(CORPUS)
    quote = "Återkoppling av fattat beslut skickas senast 2023-08-31"
    assert verifier.verify(_cite(quote, (7, 7)))
    assert not verifier.verify(_cite(quote, (9, 12)))  # right file, wrong lines
    assert not verifier.verify(_cite(quote.replace("31", "30"), (7, 7)))  # not verbatim


def test_whitespace_and_page_furniture_do_not_matter_but_pages_do():
    verifier = CitationVerifier(CORPUS)
    gav = "gavleborg-valfardsstrategi-forslag-till-beslut.txt"
    assert verifier.verify(_cite("Länsledning är en  strategisk samverkansledning", (31, 35), gav))
    pdf = CitationVerifier(DATA)
    name = "enkoping-strategi-samverkan-hsvo-2024-2026.pdf"
    from assistant.ingest.readers import read_source

    source = read_source(DATA / name, name)
    line = next(
        i
        for i, t in enumerate(source.lines, 1)
        if t.startswith("Missiv, Strategi för samverkan HSVO")
    )
    page = source.page_of(line)
    assert pdf.verify(_cite("Missiv, Strategi för samverkan HSVO", (line, line), name, page))
    assert not pdf.verify(
        _cite("Missiv, Strategi för samverkan HSVO", (line, line), name, page + 1)
    )


def test_missing_file_never_verifies():
    assert not CitationVerifier(CORPUS).verify(_cite("anything", (1, 1), "finns-inte.txt"))
