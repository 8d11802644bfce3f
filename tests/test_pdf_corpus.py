"""A corpus of PDFs (word-processor output) answers like the text corpus, with page numbers."""

import shutil

import pytest

from assistant.config import Settings
from assistant.service import Assistant
from tests.conftest import DATA

QUESTIONS = [
    "När ska återkoppling om Färdplan Nära vård skickas?",
    "Vad beslutade kommunstyrelsen i Enköping?",
    "Vem är handläggare för remissvaret i Alingsås?",
    "Hur ska försörjning av kompetens säkras?",
]


@pytest.fixture(scope="module")
def pdf_assistant(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("pdf-corpus")
    for path in DATA.glob("*.pdf"):
        shutil.copy2(path, corpus / path.name)
    built = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("pdf-index")))
    built.ingest()
    return built


@pytest.mark.slow
@pytest.mark.parametrize("question", QUESTIONS)
def test_pdf_corpus_gives_the_same_answer_with_pages(assistant, pdf_assistant, question):
    from_text = assistant.ask(question)
    from_pdf = pdf_assistant.ask(question)
    assert from_pdf.abstained == from_text.abstained
    assert from_pdf.citations, question
    assert all(c.page is not None and c.document.endswith(".pdf") for c in from_pdf.citations)
    # Same first claim: the quotes differ only where the PDF wrapped a hyphenated word.
    first_text, first_pdf = from_text.citations[0].quote, from_pdf.citations[0].quote
    assert first_text.split()[:6] == first_pdf.split()[:6]


@pytest.mark.slow
def test_docx_documents_are_ingested_with_their_text(tmp_path):
    corpus = tmp_path / "docx"
    corpus.mkdir()
    for path in DATA.glob("*.docx"):
        shutil.copy2(path, corpus / path.name)
    a = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    summary = a.ingest()
    assert summary.skipped == [] and summary.chunks >= 6
    answer = a.ask("När ska återkoppling om Färdplan Nära vård skickas?")
    assert "2023-08-31" in answer.answer and answer.citations[0].document.endswith(".docx")
