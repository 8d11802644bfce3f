"""The verifier of generated answers, on hand-written model outputs."""

from __future__ import annotations

import pytest

from assistant.generate.claims import check_answer, lost_facts

EVIDENCE = [
    "Kommunstyrelsen beslutar att anta strategi för samverkan HSVO 2024–2026, daterad 15 mars 2024.",
    "Återkoppling av fattat beslut skickas senast 2023-08-31 till Region Västerbotten, "
    "kansliet@regionvasterbotten.se.",
    "Budgeten för 2025 är 1 200 000 kronor.",
]


def kept(text: str) -> list[str]:
    return [s.text for s in check_answer(text, EVIDENCE).kept]


def test_a_supported_answer_keeps_every_sentence():
    text = "Kommunstyrelsen antog strategin 2024-03-15 [S1]. Återkoppling skickas senast 31 augusti 2023 [S2]."
    result = check_answer(text, EVIDENCE)
    assert result.dropped == 0 and [s.ids for s in result.kept] == [(1,), (2,)]


def test_a_sentence_with_a_date_not_in_its_quote_is_dropped():
    result = check_answer("Strategin antogs den 16 mars 2024 [S1].", EVIDENCE)
    assert not result.kept and result.dropped == 1
    assert result.sentences[0].missing == ("2024-03-16",)


def test_a_date_that_is_in_another_quote_than_the_cited_one_is_dropped():
    assert kept("Återkoppling skickas senast 2023-08-31 [S1].") == []


def test_a_sentence_without_an_id_is_dropped_and_counted():
    result = check_answer("Strategin gäller 2024–2026 [S1]. Den är mycket bra.", EVIDENCE)
    assert [s.text for s in result.kept] == ["Strategin gäller 2024–2026."]
    assert result.dropped == 1


def test_an_id_that_names_no_evidence_is_dropped():
    assert kept("Strategin gäller 2024–2026 [S9].") == []


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Budgeten för 2025 är 1 500 000 kronor [S3].", "1500000"),
        ("Återkoppling skickas till Region Uppsala [S2].", "Uppsala"),
        ("Beslutet fattades av Kommunfullmäktige i Gävle [S1].", "Gävle"),
        ('Kommunstyrelsen beslutar "att avslå strategin" [S1].', '"att avslå strategin"'),
        ("Strategin gäller HSVO och SIP [S1].", "SIP"),
        ("Kommunfullmäktige beslutar att anta strategin [S1].", "Kommunfullmäktige"),
        ("Strategin antogs av socialnämnden [S1].", "socialnämnden"),
        ("Skicka den till kansli@regionvasterbotten.se [S2].", "kansli@regionvasterbotten.se"),
    ],
)
def test_numbers_amounts_names_places_and_quotes_must_be_in_the_cited_sentence(text, fact):
    result = check_answer(text, EVIDENCE)
    assert not result.kept and fact in result.sentences[0].missing


def test_a_sentence_in_words_the_quote_does_not_use_is_dropped():
    result = check_answer("Bevisen besvarar frågan tydligt [S1].", EVIDENCE)
    assert not result.kept and result.sentences[0].missing[0].startswith("wording")
    assert kept("Kommunstyrelsen beslutade att anta strategin för samverkan [S1].")


def test_written_forms_compare_equal():
    assert kept("Budgeten för 2025 är 1200000 kronor [S3].") == [
        "Budgeten för 2025 är 1200000 kronor."
    ]
    assert kept('Kommunstyrelsen beslutar "att anta strategi för samverkan" [S1].')
    assert kept("Återkopplingen går till Region Västerbottens kansli [S2].")
    assert kept("Kommunstyrelsens beslut gäller HSVO [S1].")
    assert kept("Skicka den till kansliet@regionvasterbotten.se [S2].")


def test_ids_after_the_full_stop_and_in_lists_stay_with_their_sentence():
    text = "Strategin gäller 2024–2026. [S1] Återkoppling sker 2023-08-31. [S2]"
    assert kept(text) == ["Strategin gäller 2024–2026.", "Återkoppling sker 2023-08-31."]
    assert kept("- Strategin gäller 2024–2026 [S1]\n- Budgeten 2025 [S3]") == [
        "Strategin gäller 2024–2026",
        "Budgeten 2025",
    ]


def test_a_sentence_citing_two_quotes_may_combine_them():
    assert kept("Strategin från 2024-03-15 återkopplas senast 2023-08-31 [S1, S2].")
    assert kept("Strategin från 2024-03-15 återkopplas senast 2023-08-31 [S1][S2].")


@pytest.mark.parametrize("text", ["EJ I DOKUMENTEN", "Ej i dokumenten.", "  EJ I DOKUMENTEN  "])
def test_the_models_abstention_is_recognised(text):
    result = check_answer(text, EVIDENCE)
    assert result.abstained and not result.kept and result.dropped == 0


def test_an_answer_that_knows_less_than_the_quotes_is_noticed():
    quotes = "Beslutet togs 24 mars 2023, ärende KS2024/286, kontakt a.b@region.se."
    assert lost_facts(quotes, "Beslutet togs 2023 [1].") == [
        "2023-03-24",
        "2024",
        "286",
        "a.b@region.se",
    ]
    assert lost_facts(quotes, "Den 2023-03-24 beslutades KS2024/286, a.b@region.se [1].") == []
    assert lost_facts("1. anta strategin 2. delge den", "Strategin antas [1].") == []


def test_ids_with_nothing_said_are_dropped_but_a_bare_date_is_an_answer():
    assert kept(". [S1][S2]") == []
    assert kept("2023-08-31 [S2]") == ["2023-08-31"]
