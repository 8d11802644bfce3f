import pytest

from assistant.documents import SourceText
from assistant.ingest.chunking import chunk_source
from assistant.ingest.readers import read_source
from assistant.language.places import gazetteer
from assistant.language.text import fold
from tests.conftest import CORPUS


def _names(text: str) -> list[tuple[str, str]]:
    return [(p.kind, p.name) for p in gazetteer().find(text)]


def test_gazetteer_finds_municipalities_regions_and_genitives():
    assert _names("kommunstyrelsen i Enköping") == [("kommun", "Enköping")]
    assert ("lan", "Uppsala län") in _names("Vad beslutade Uppsala?")
    assert _names("Region Skåne") == [("lan", "Skåne län")]
    assert _names("Gävleborgs län") == [
        ("lan", "Gävleborgs län")
    ]  # not also the municipality Gävle
    assert ("kommun", "Alingsås") in _names("i Alingsåsärendet")


def test_gazetteer_leaves_everyday_words_alone_and_reads_unaccented_names():
    assert _names("Vara eller inte vara, det är frågan") == []
    assert _names("vad beslutade enkoping") == [("kommun", "Enköping")]
    assert _names("What is the capital of Norway?") == [("foreign", "Norway")]


def test_subdocument_metadata_from_the_enkoping_file():
    chunks, _, _ = chunk_source(
        read_source(
            CORPUS / "enkoping-strategi-samverkan-hsvo-2024-2026.txt",
            "enkoping-strategi-samverkan-hsvo-2024-2026.txt",
        )
    )
    by_type = {c.metadata.doc_type: c.metadata for c in chunks}
    assert set(by_type) == {"protokollsutdrag", "strategi", "tjänsteskrivelse", "missiv"}
    protocol = by_type["protokollsutdrag"]
    assert protocol.org == "Enköpings kommun"
    assert protocol.lan == "03"
    assert protocol.diarienr == "KS2024/286"
    assert protocol.body == "Kommunstyrelsen"
    assert by_type["missiv"].date == "2024-01-26"


def test_alingsas_metadata():
    chunks, _, _ = chunk_source(
        read_source(
            CORPUS / "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
            "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
        )
    )
    meta = chunks[0].metadata
    assert (meta.org, meta.lan_name, meta.doc_type) == (
        "Alingsås kommun",
        "Västra Götalands län",
        "remissvar",
    )
    assert (meta.date, meta.diarienr, meta.body) == (
        "2021-12-01",
        "2021.231 VON",
        "Vård- och omsorgsnämnden",
    )


def _slug(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold(name)).split())


@pytest.mark.parametrize("entry", gazetteer().kommuner.values(), ids=lambda e: e["code"])
def test_every_kommun_of_the_gazetteer_gets_its_own_organisation(entry: dict):
    """A tiny protocol per kommun (Håbo/Habo, Nora, Mora, Ale, Bjuv, Öckerö, the län seats …),
    filed under the kommun's name and naming its region too, read by the real metadata reader."""
    region = gazetteer().lan[entry["lan"]]["region"]
    text = (
        f"Protokollsutdrag\nKommunstyrelsen, {entry['official']}\nSammanträdesdatum 2025-03-04\n\n"
        f"§ 12 Strategi för nära vård\n\nKommunstyrelsen beslutar att anta strategin från {region}.\n"
        f"\nBeslutet skickas till:\n\n{region}\nSocialnämnden i {entry['official']}\n"
    )
    source = SourceText(f"{_slug(entry['name'])}-protokoll.txt", "txt", tuple(text.splitlines()))
    meta = chunk_source(source)[0][0].metadata
    assert meta.org == entry["official"]
    assert meta.lan == entry["lan"]
    if entry["official"] != region:  # Gotland is kommun and region at once
        assert meta.kommuner == (entry["code"],)  # Håbo's text names no Habo
        asked = gazetteer().find(f"Hur mycket avsätter {entry['official']} för strategin?")
        assert [(p.kind, p.code) for p in asked] == [("kommun", entry["code"])]


def test_a_document_shows_its_kind_in_its_own_words():
    from assistant.ingest.metadata import document_type

    assert document_type("", "Ärende", "Protokoll fört vid sammanträde") == "protokollsutdrag"
    assert document_type("", "Missiv – plan", "Planen bifogas.") == "missiv"
    assert document_type("", "Plan", "Innehållsförteckning\n1. Inledning") == "strategi"
    assert document_type("", "Rekommendation om plan", "Rekommenderas.") == "rekommendation"
    assert document_type("", "Svar", "Remissvar. Vårt remissvar lyder så.") == "remissvar"
    assert document_type("", "Ärende", "Förslag till beslut: anta planen") == "beslutsförslag"
    assert document_type("", "Skolstrategi", "Text.") == "strategi"
    assert document_type("", "Ärende", "Text.") == "dokument"
