"""assistant/language/shapes.py: the one vocabulary of text shapes."""

import pytest

from assistant.language.shapes import (
    BULLET,
    EMAIL,
    GOAL_CODE,
    MONEY,
    PERSON_LINE,
    PHONE,
    is_clause_item,
    is_list_item,
)


@pytest.mark.parametrize(
    ("shape", "text", "matches"),
    [
        (PERSON_LINE, "Anna-Karin Berg", True),
        (PERSON_LINE, "Förslag till beslut", False),
        (BULLET, "b) utreda frågan", True),
        (BULLET, "Beslutet", False),
        (EMAIL, "skriv till kim.ek@kommun.se", True),
        (PHONE, "ring 026-17 80 00", True),
        (PHONE, "år 2026", False),
        (MONEY, "kostar 2,5 mnkr", True),
        (MONEY, "fem kommuner", False),
    ],
)
def test_each_shape_matches_what_it_names(shape, text, matches):
    assert bool(shape.search(text)) is matches


def test_list_items_and_decision_clauses():
    assert is_list_item("- Skolnämnden") and is_list_item("2. anta planen")
    assert not is_list_item("att anta planen")
    assert is_clause_item("att anta planen") and is_clause_item("Att fastställa")


def test_goal_codes_are_a_capital_and_digits():
    assert GOAL_CODE.findall("enligt delmål C1 och B12, inte 2024") == ["C1", "B12"]


def test_designations_are_read_in_one_comparable_form():
    from assistant.language.shapes import designations

    text = (
        "Remiss av SOU 2031:12 och Ds 2030:4. Se även prop. 2031/32:7, propositionen 2031/32:7 "
        "och Dir. 2029:88."
    )
    assert designations(text) == ("sou 2031:12", "ds 2030:4", "prop 2031/32:7", "dir 2029:88")
    # A web page glues its heading to the next line; a word that merely ends in "ds" is no series.
    assert designations("# Bättre vägar för cykelturismSOU 2031:40") == ("sou 2031:40",)
    assert designations("Fundamentals 2030:4 och kds 2030:4") == ()


def test_document_and_case_numbers_are_blanked_but_dates_and_fiscal_years_stay():
    from assistant.language.shapes import without_numbers

    text = "Remiss av SOU 2031:12 (dnr Ku2031/00456, lag 2029:88), prop. 2031/32:7"
    assert not any(ch.isdigit() for ch in without_numbers(text))
    kept = "Svar senast 2031-05-02 för budgetåret 2031/32 och år 2035"
    assert without_numbers(kept) == kept


def test_word_lists_are_data_with_a_source_and_a_missing_list_is_named():
    import json
    from importlib import resources

    from assistant.errors import ConfigError
    from assistant.language.vocabulary import word_list

    raw = resources.files("assistant.language").joinpath("data/answer_words_sv.json")
    data = json.loads(raw.read_text("utf-8"))
    for name in ("not_names", "type_words", "number_words"):
        assert data[name]["_source"] and word_list("answer_words_sv.json", name)
    with pytest.raises(ConfigError, match="no block 'nope'"):
        word_list("answer_words_sv.json", "nope")


def test_a_file_name_carries_a_designation_unless_its_numbers_may_be_a_date():
    from assistant.language.shapes import designations_in_name, shown_designation

    assert designations_in_name("sou-2031-40.pdf") == ("sou 2031:40",)
    assert designations_in_name("SOU 2031_40 Bättre vägar.pdf") == ("sou 2031:40",)
    assert designations_in_name("prop_2031-32_7.docx") == ("prop 2031/32:7",)
    # a web archive's name: the month of publication, then the designation
    assert designations_in_name("dir-2031-04-2031-17-battre-batleder.md") == ("dir 2031:17",)
    assert designations_in_name("skr-2031-03-2030-31-97-titel.md") == ("skr 2030/31:97",)
    assert designations_in_name("remiss-2031-05-ds-2031-4-titel.md") == ("ds 2031:4",)
    # a year and a month with no designation after them
    assert designations_in_name("ds-2031-07-titel.md") == ()
    assert designations_in_name("ds-2031-10-titel.md") == ()
    assert designations_in_name("protokoll-2031-03-12.txt") == ()
    assert designations_in_name("dirigent-2031-12.txt") == ()
    assert shown_designation("prop 2031/32:7") == "prop. 2031/32:7"
    assert shown_designation("sou 2031:12") == "SOU 2031:12"
