"""assistant/messages.py: an abstention is a structured reason, worded in the asked language."""

from assistant.answers import Abstention, Answer
from assistant.messages import abstention_text, worded
from assistant.ui.render import render_answer_html


def test_not_in_documents_says_what_was_searched_in_swedish_and_english():
    why = Abstention("not_in_documents", searched=("Plan › Mål", "Plan › Budget"))
    assert (
        abstention_text(why, "sv")
        == "Det framgår inte av dokumenten. Sökte i: Plan › Mål; Plan › Budget."
    )
    assert (
        abstention_text(why, "en")
        == "The documents do not say. Searched: Plan › Mål; Plan › Budget."
    )


def test_a_place_not_covered_lists_what_the_corpus_covers():
    why = Abstention("place_not_covered", "Region Skåne", covered=("Mora kommun", "Region Dalarna"))
    assert abstention_text(why, "sv") == (
        "Dokumenten handlar inte om Region Skåne. Korpusen omfattar: Mora kommun, Region Dalarna."
    )
    assert abstention_text(why, "en").startswith("The documents do not cover Region Skåne.")


def test_a_name_no_document_mentions_is_named_and_filters_are_said():
    why = Abstention("name_not_mentioned", "Röda rummet", filters=("year=2024",))
    assert abstention_text(why, "sv") == (
        "Det framgår inte av dokumenten. Inget dokument nämner ”Röda rummet”.  Filter: year=2024."
    )


def test_worded_fills_the_answer_text_and_leaves_answers_alone():
    abstained = Answer("Vem?", "", True, abstention=Abstention("not_in_documents"), language="en")
    assert worded(abstained).answer == "The documents do not say. "
    assert worded(abstained, "sv").answer == "Det framgår inte av dokumenten. "
    answered = Answer("Vem?", "Kim [1]", False)
    assert worded(answered) is answered


def test_the_web_page_says_an_abstention_in_the_page_language():
    answer = worded(
        Answer("När?", "", True, abstention=Abstention("not_in_documents"), language="sv")
    )
    html_en = render_answer_html(answer, "en")
    assert "The documents do not say." in html_en and 'lang="en"' in html_en
    assert "Det framgår inte" in render_answer_html(answer, "sv")


def test_a_document_not_held_is_named_in_both_languages():
    why = Abstention("document_not_held", "SOU 2031:12")
    assert "SOU 2031:12" in abstention_text(why, "sv")
    assert "inget dokument är eller nämner det" in abstention_text(why, "sv")
    assert "do not include SOU 2031:12" in abstention_text(why, "en")
