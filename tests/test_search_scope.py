"""Routing among near-identical documents of many kommuner: a question that names one kommun is
answered from that kommun's documents (and its region's), never from a neighbour's copy."""

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.documents import Filters, SourceText
from assistant.ingest.chunking import chunk_source
from assistant.language.places import gazetteer
from assistant.search.scope import Scope
from assistant.service import Assistant

# Örebro län: Nora (an everyday word too), Örebro (the län seat), Lindesberg; Uppsala län: Håbo.
KOMMUNER = {"nora": "Nora kommun", "orebro": "Örebro kommun", "lindesberg": "Lindesbergs kommun"}
SUMS = {"nora": "310 000", "orebro": "920 000", "lindesberg": "455 000"}


def _protocol(org: str, amount: str) -> str:
    return (
        f"Protokollsutdrag\nKommunstyrelsen, {org}\nSammanträdesdatum 2025-03-04\n\n"
        "§ 12 Strategi för välfärd i Örebro län\n\nKommunstyrelsen beslutar att anta strategin.\n\n"
        f"Ekonomisk bedömning\n\n{org} avsätter {amount} kronor för genomförandet av strategin.\n"
    )


REGION = (
    "Region Örebro län\n\nStrategi för välfärd i Örebro län\n\nBakgrund\n\n"
    "Regionen och kommunerna i Örebro län har tagit fram strategin tillsammans. Nora kommun, "
    "Örebro kommun och Lindesbergs kommun beslutar var för sig om strategin.\n"
)


def _files() -> dict[str, str]:
    files = {f"{slug}-protokoll.txt": _protocol(org, SUMS[slug]) for slug, org in KOMMUNER.items()}
    files["region-orebro-strategi.txt"] = REGION
    return files


def test_a_kommun_with_documents_of_its_own_routes_to_them_and_its_region():
    chunks = [
        c
        for name, text in _files().items()
        for c in chunk_source(SourceText(name, "txt", tuple(text.splitlines())))[0]
    ]
    scope = Scope(chunks)
    nora = next(p for p in gazetteer().find("i Nora") if p.kind == "kommun")
    allowed = {c.document for c in chunks if c.id in scope.allowed(Filters(), [nora])}
    assert allowed == {"nora-protokoll.txt", "region-orebro-strategi.txt"}
    lan = next(p for p in gazetteer().find("Örebro län") if p.kind == "lan")
    assert {c.document for c in chunks if c.id in scope.allowed(Filters(), [lan])} == set(_files())
    by_org = scope.allowed(Filters(org="Lindesbergs kommun"), [])
    assert "lindesberg-protokoll.txt" in {c.document for c in chunks if c.id in by_org}
    assert "orebro-protokoll.txt" not in {c.document for c in chunks if c.id in by_org}


@pytest.fixture(scope="module")
def orebro_lan(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("orebro")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name, text in _files().items():
        (corpus / name).write_text(text, encoding="utf-8")
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp / "index"))
    assistant.ingest()
    return assistant


@pytest.mark.parametrize("slug", list(KOMMUNER))
def test_the_sum_a_kommun_sets_aside_is_quoted_from_its_own_protocol(
    orebro_lan: Assistant, slug: str
):
    answer = orebro_lan.ask(f"Hur mycket avsätter {KOMMUNER[slug]} för genomförandet?")
    assert not answer.abstained
    assert SUMS[slug] in answer.answer
    assert {Path(c.document).name for c in answer.citations} == {f"{slug}-protokoll.txt"}


# Two remiss pages of the same template: only the designation and the date tell them apart.
REMISSER = {
    "remiss-cykelleder.md": ("SOU 2031:40", "Bättre cykelleder", "12 mars 2032"),
    "remiss-farjelagen.md": ("Ds 2030:4", "En ny färjelag", "3 oktober 2030"),
}


def _remiss(designation: str, title: str, day: str) -> str:
    return (
        f"# Remiss {designation} {title}\n\nHär kan du ta del av till vilka instanser regeringen "
        f"har remitterat {designation}, {title}.\n\nSista dag att svara på remissen är den {day}.\n\n"
        "## Remissinstanser\n\n- Trafikverket\n- Sveriges Kommuner och Regioner\n"
    )


def test_a_document_named_by_its_designation_is_the_one_that_answers(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, parts in REMISSER.items():
        (corpus / name).write_text(_remiss(*parts), encoding="utf-8")
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    assistant.ingest()
    assert {c.metadata.designations for c in assistant.chunks()} == {
        ("sou 2031:40",),
        ("ds 2030:4",),
    }
    for name, (designation, _, day) in REMISSER.items():
        question = f"Vilken är sista dag att svara på remissen av {designation}?"
        # the designation itself lifts its own document's sections, and only those
        boosted = {r.chunk.document for r in assistant.search(question).chunks if r.scores["boost"]}
        assert boosted == {name}
        answer = assistant.ask(question)
        assert day in answer.answer
        assert {Path(c.document).name for c in answer.citations} == {name}


# Web archives name a page by its designation and leave it out of the text (the title only).
NAMED_BY_FILE = {
    "dir-2031-04-2031-17-battre-batleder.md": (
        "# Bättre båtleder\n\nEn särskild utredare ska se över hur båtleder i skärgården märks ut."
        "\n\nUppdraget ska redovisas senast den 1 juni 2032.\n"
    ),
    "dir-2031-05-2031-22-farre-farjor.md": (
        "# Färre färjor\n\nEn särskild utredare ska se över hur färjetrafiken till öarna ordnas."
        "\n\nUppdraget ska redovisas senast den 15 mars 2033.\n"
    ),
}


def test_a_designation_in_the_file_name_names_the_document_and_one_no_document_holds_is_said(
    tmp_path: Path,
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in NAMED_BY_FILE.items():
        (corpus / name).write_text(text, encoding="utf-8")
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    assistant.ingest()
    assert {c.metadata.designations for c in assistant.chunks()} == {
        ("dir 2031:17",),
        ("dir 2031:22",),
    }
    answer = assistant.ask("När ska uppdraget i dir. 2031:22 redovisas?")
    assert "15 mars 2033" in answer.answer
    assert {Path(c.document).name for c in answer.citations} == {
        "dir-2031-05-2031-22-farre-farjor.md"
    }
    held_elsewhere = assistant.ask("När ska uppdraget i dir. 2031:23 redovisas?")
    assert held_elsewhere.abstained
    assert held_elsewhere.abstention is not None
    assert held_elsewhere.abstention.reason == "document_not_held"
    assert held_elsewhere.abstention.subject == "dir. 2031:23"
    assert "dir. 2031:23" in held_elsewhere.answer
