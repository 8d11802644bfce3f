"""assistant/language/text.py: whitespace, sentences, dates from the one date grammar, folding."""

from datetime import date

from assistant.language.text import (
    find_dates,
    fold,
    is_swedish,
    normalize_for_match,
    normalize_ws,
    split_sentences,
)


def test_normalize_ws_folds_nbsp_and_newlines():
    assert normalize_ws("Utskick\u00a0görs\n från  Region") == "Utskick görs från Region"


def test_split_sentences_keeps_swedish_abbreviations():
    assert split_sentences("Det gäller t.ex. skolan. Nästa mening här.") == [
        "Det gäller t.ex. skolan.",
        "Nästa mening här.",
    ]


def test_split_sentences_keeps_legal_citations_whole():
    text = "Det följer av 4 kap. 2 § kommunallagen, se prop. 2024/25:42. Nästa mening."
    assert split_sentences(text) == [
        "Det följer av 4 kap. 2 § kommunallagen, se prop. 2024/25:42.",
        "Nästa mening.",
    ]
    assert split_sentences("Uppdraget enligt dir. 2025:79 redovisas. Klart.")[0].endswith(
        "redovisas."
    )


def test_an_abbreviation_inside_a_word_ends_the_sentence():
    assert split_sentences("Systemet är komplex. Nästa mening.") == [
        "Systemet är komplex.",
        "Nästa mening.",
    ]


def test_find_dates_reads_iso_and_swedish_forms_in_order():
    text = "den 24 mars 2023, senast 2023-08-31 och 31 december 2021"
    assert find_dates(text) == [date(2023, 3, 24), date(2023, 8, 31), date(2021, 12, 31)]


def test_normalize_for_match_equates_date_forms_and_dashes():
    assert normalize_for_match("Strategi 2024–2026, 15 mars 2024") == normalize_for_match(
        "strategi 2024-2026, 2024-03-15"
    )


def test_language_guess_ignores_swedish_place_names_in_english():
    assert not is_swedish("Who is the director of health services at Region Gävleborg?")
    assert is_swedish("Vem är handläggare i Alingsås?")
    assert fold("Enköping") == "enkoping"


def test_dates_come_from_the_one_grammar_and_iso_dates_are_checked():
    from assistant.language.text import DATE_ONLY, iso_dates

    assert iso_dates("beslut 2031-03-15, ej 2031-13-01 eller 2031-02-30x") == ["2031-03-15"]
    assert DATE_ONLY.match("2031-03-15") and not DATE_ONLY.match("2031-03-15 kl 10")
    assert find_dates("den 3 march 2031 och 4 maj 2031") == [date(2031, 3, 3), date(2031, 5, 4)]
