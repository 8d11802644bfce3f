"""assistant/answer/question.py: a question parsed once into what it asks, names and means."""

import pytest

from assistant.answer.question import Question, asked_detail
from assistant.language.analysis import analyze


def _parse(text: str) -> Question:
    # Without an index every word counts as typed, weight 1.
    return Question.parse(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("När ska svaret på remissen lämnas?", "date"),
        ("Vem är kontaktperson för planen?", "person"),
        ("Hur många skolor ingår i försöket?", "count"),
        ("Vad kostar reformen?", "money"),
        ("Hur stor budget har avsatts för reformen?", "amount"),
        ("How much funding does the reform get?", "amount"),
        ("How much will the reform cost?", "money"),  # "no costs" answers it too
        ("Vad är syftet med planen?", None),
        ("When must the answer be sent?", "date"),
        ("Vilken var sista svarsdag för remissen?", "date"),
        ("Vilket är slutdatum för ansökan?", "date"),
        ("Vilket svarsdatum anges på remissidan?", "date"),
        ("Vilken myndighet ska föra registret?", "agent"),
        ("Which authority keeps the register?", "agent"),
        ("Vilka ingår i arbetsgruppen?", "agent"),
        ("Vilka ingick i arbetsgruppen?", "agent"),  # the past tense too
        ("Hur ofta följs planen upp?", "frequency"),
        ("Vem följer upp planen, och hur ofta?", "agent"),  # the first part's type
    ],
)
def test_what_a_question_asks_for_is_read_once(text, asks):
    assert _parse(text).asks == asks


def test_language_list_and_definition_cues():
    assert _parse("Vilka myndigheter ska yttra sig?").wants_list
    assert _parse("Vad menas med nära vård?").wants_definition
    assert _parse("What does the plan say about schools?").language == "en"
    assert _parse("Vad säger planen om skolor?").language == "sv"


def test_english_which_asks_for_a_list_only_before_a_plural():
    assert not _parse("Which region reached only 10 percent of its amount?").wants_list
    assert _parse("Which regions reached 100 percent?").wants_list
    assert _parse("Which of the documents mention schools?").wants_list
    assert _parse("List the members of the group.").wants_list
    assert not _parse("When does the waiting-list initiative end?").wants_list


def test_a_year_asked_about_counts_but_a_period_does_not():
    assert _parse("Vad hände 2020 med planen för 2024–2026?").years == frozenset({"2020"})


def test_the_year_of_a_document_number_is_no_year_asked_about():
    assert _parse("Vad föreslås i SOU 2031:12 för år 2035?").years == frozenset({"2035"})


def test_codes_are_read_from_the_question():
    assert _parse("Vad säger delmål B2 om utbildning?").codes == frozenset({"b2"})


def test_a_question_asking_two_things_has_two_parts_with_their_own_terms():
    q = _parse("När ska yttrandet lämnas och vem har skrivit promemorian?")
    assert [p.asks for p in q.parts] == ["date", "person"]
    stem = analyze("yttrandet")[0]
    assert stem in q.parts[0].terms
    assert stem not in q.parts[1].terms


def test_one_question_is_one_part():
    q = _parse("När ska yttrandet lämnas?")
    assert len(q.parts) == 1 and q.parts[0].asks == "date"


def test_the_asked_detail_is_said_in_the_question_words():
    detail = asked_detail(_parse("När ska yttrandet om skolplanen lämnas?"))
    assert detail.startswith("när: ")
    assert "yttrandet" in detail and "skolplanen" in detail
    assert asked_detail(_parse("Who signed the plan?")).startswith("who")


def test_one_place_of_a_respektive_question_leaves_the_other_places_words_out():
    from assistant.answer.question.content import content_terms, other_places_words
    from assistant.language.places import gazetteer

    text = "Vilka datum gäller för remissvaret i Mora respektive för återkopplingen i Bjuv?"
    mora, bjuv = (
        next(p for p in gazetteer().find(name) if p.kind == "kommun")
        for name in ("i Mora", "i Bjuv")
    )
    terms = {t: 1.0 for t in analyze(text)}
    for mine, kept, dropped in (
        (mora, "remissv", "återkoppling"),
        (bjuv, "återkoppling", "remissv"),
    ):
        assert other_places_words(text, [mine], [mora, bjuv]) == {dropped}
        assert kept in content_terms(terms, text, [mine], [mora, bjuv])
        assert dropped not in content_terms(terms, text, [mine], [mora, bjuv])
    # The whole question, routed to both places, keeps every word.
    assert other_places_words(text, [mora, bjuv], [mora, bjuv]) == set()
    # What the first clause asks before its place ("Vilken nämnd fattar beslut") is every place's.
    shared = "Vilken nämnd fattar beslut i Mora respektive i Bjuv?"
    words = {t: 1.0 for t in analyze(shared)}
    assert other_places_words(shared, [bjuv], [mora, bjuv]) == set()
    assert {"nämnd", "beslut"} <= set(content_terms(words, shared, [bjuv], [mora, bjuv]))
