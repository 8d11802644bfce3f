"""Chunking of long input: a hard cap on chunk length, text kept whole and in order."""

from pathlib import Path

from assistant.ingest.chunking import chunk_source
from assistant.ingest.readers import read_source
from assistant.language.text import split_sentences

WORDS = "förvaltningen ska återkoppla till nämnden senast i mars och "


def _chunks(tmp_path: Path, text: str, max_chars: int = 1200):
    path = tmp_path / "lång.txt"
    path.write_text(text, encoding="utf-8")
    return chunk_source(read_source(path, path.name), max_chars)[0]


def test_a_line_without_sentence_ends_is_cut_within_the_cap(tmp_path: Path):
    line = (WORDS * 2000).strip()  # 120,000 characters, not one full stop
    chunks = _chunks(tmp_path, f"Rubrik\n\n{line}\n")
    assert len(chunks) > 90
    assert max(len(c.text) for c in chunks) <= 1200
    assert " ".join(c.text for c in chunks).split() == f"Rubrik {line}".split()  # all, in order


def test_a_word_longer_than_the_cap_is_cut_too(tmp_path: Path):
    chunks = _chunks(tmp_path, "Rubrik\n\n" + "x" * 5000 + "\n", max_chars=1000)
    assert max(len(c.text) for c in chunks) <= 1000
    assert sum(c.text.count("x") for c in chunks) == 5000


def test_a_list_kept_with_its_lead_in_stays_under_one_and_a_half_times_the_cap(tmp_path: Path):
    items = "\n".join(f"- punkt {n} om återkoppling till nämnden i god tid" for n in range(80))
    chunks = _chunks(tmp_path, f"Rubrik\n\nDetta ska göras:\n{items}\n", max_chars=300)
    assert max(len(c.text) for c in chunks) <= 450
    assert sum(c.text.count("- punkt") for c in chunks) == 80


def test_an_abbreviation_that_starts_a_sentence_does_not_glue_it_to_the_last():
    assert split_sentences("Beslutet gäller 2024. Bl.a. skolan berörs. Nr. 5 är klar.") == [
        "Beslutet gäller 2024.",
        "Bl.a. skolan berörs.",
        "Nr. 5 är klar.",
    ]


def test_sentences_are_slices_of_the_text_whatever_the_case():
    text = "Bitr. förvaltningschef T.EX. Anna. FR.O.M. 2024 gäller det."
    assert split_sentences(text) == [
        "Bitr. förvaltningschef T.EX. Anna.",
        "FR.O.M. 2024 gäller det.",
    ]
