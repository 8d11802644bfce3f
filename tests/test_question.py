"""assistant/answer/question.py: a question parsed once into what it asks, names and means."""

from pathlib import Path

import pytest

from assistant.answer.question import Question, asked_detail
from assistant.language.analysis import analyze
from tests.conftest import assistant_over


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


def _made_up_corpus():
    """Two made-up documents, one of Mora kommun (school transport), one of Bjuv (mobility
    service), as search's CorpusWords sees them."""
    from dataclasses import replace

    from assistant.documents import ChunkMetadata
    from assistant.language.places import gazetteer
    from assistant.search.bm25 import LexicalIndex
    from assistant.search.corpus import CorpusWords
    from tests.conftest import made_up_section

    chunks = []
    for name, spans in (
        ("Mora", ("Planen i Mora säger att skolskjutsen ska vara trygg.",)),
        ("Bjuv", ("Planen i Bjuv säger att skolskjutsen och färdtjänsten ska samordnas.",)),
    ):
        place = next(p for p in gazetteer().find(f"i {name}") if p.kind == "kommun")
        chunk = made_up_section(spans, title=f"Plan för {name}", cid=name, document=f"{name}.txt")
        meta = ChunkMetadata(kommuner=(place.code,), lans=(place.lan,))
        chunks.append(replace(chunk, metadata=meta))
    return CorpusWords(LexicalIndex.build(chunks), chunks)


def test_a_follow_up_naming_a_place_keeps_the_topic_and_routes_to_the_new_place():
    corpus = _made_up_corpus()
    # subtle: the gazetteer reads short names that are also words (Bjuv, Mora) only after "i".
    q = Question.parse("och i Bjuv?", "Vad säger planen i Mora om skolskjuts?", corpus)
    assert q.text == "Vad säger planen i Bjuv om skolskjuts?"
    assert (q.typed, q.previous) == ("och i Bjuv?", "Vad säger planen i Mora om skolskjuts?")
    assert [p.name for p in q.places] == ["Bjuv"] and not q.unknown_places
    assert q.topic == "skolskjuts"
    assert "skolskjut" in q.terms and not {"bjuv", "mor"} & set(q.terms)


def test_a_follow_up_naming_a_topic_keeps_the_place():
    q = Question.parse(
        "och färdtjänst?", "Vad säger planen i Mora om skolskjuts?", _made_up_corpus()
    )
    assert q.text == "Vad säger planen i Mora om färdtjänst?"
    assert [p.name for p in q.places] == ["Mora"] and q.topic == "färdtjänst"


def test_a_place_the_documents_do_not_hold_is_unknown_and_a_whole_question_is_no_follow_up():
    corpus = _made_up_corpus()
    q = Question.parse("Vad säger planen i Umeå om skolskjuts?", "Vad säger planen i Mora?", corpus)
    assert q.text == q.typed == "Vad säger planen i Umeå om skolskjuts?"
    assert not q.places and [p.name for p in q.unknown_places] == ["Umeå"]


def test_a_question_about_places_in_two_lan_is_one_question_per_lan():
    text = "Vad säger planen om skolskjuts i Mora respektive om färdtjänst i Bjuv?"
    q = Question.parse(text, None, _made_up_corpus())
    mora, bjuv = q.regions()
    assert [p.name for p in mora.places] == ["Mora"] and [p.name for p in bjuv.places] == ["Bjuv"]
    assert "färdtjänst" not in mora.terms and "skolskjut" not in bjuv.terms
    assert mora.mentioned == bjuv.mentioned == q.mentioned
    assert Question.parse("Vad säger planen i Mora?", None, _made_up_corpus()).regions() == []


# A made-up directive: it gives when the task is reported, not what it may cost.
DIRECTIVE = (
    "# Bättre båtleder\n\n## Uppdraget\n\nEn särskild utredare ska se över hur båtleder i "
    "skärgården märks ut och underhålls av kommunerna.\n\n## Redovisning\n\nUppdraget ska "
    "redovisas senast den 1 juni 2032.\n"
)


def test_each_part_of_a_two_part_question_is_answered_or_said_missing(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "batleder.md").write_text(DIRECTIVE, encoding="utf-8")
    assistant = assistant_over(corpus, tmp_path)
    assistant.ingest()
    answer = assistant.ask("När ska uppdraget om båtleder redovisas, och vem är kontaktperson?")
    assert not answer.abstained
    assert "1 juni 2032" in answer.answer
    assert answer.missing_parts == ("vem: kontaktperson",)
    assert answer.answer.endswith("Det framgår inte av dokumenten (vem: kontaktperson).")
    both = assistant.ask("Vad ska utredaren se över, och när ska uppdraget redovisas?")
    assert "1 juni 2032" in both.answer
    assert "märks ut" in both.answer
    assert both.missing_parts == ()
