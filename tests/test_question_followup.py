"""rewrite_followup: elliptic follow-ups keep the topic and change the place, or keep the place and change the topic."""

import pytest

from assistant.answer.question import rewrite_followup

UPPSALA = "Vad beslutade Uppsala om kompetensförsörjning?"


@pytest.mark.parametrize(
    ("followup", "expected"),
    [
        ("och Västerbotten?", "Vad beslutade Västerbotten om kompetensförsörjning?"),
        ("Och Västerbotten?", "Vad beslutade Västerbotten om kompetensförsörjning?"),
        (
            "och vasterbotten?",
            "Vad beslutade Västerbotten om kompetensförsörjning?",
        ),  # typed without ä
        ("och i Västerbotten?", "Vad beslutade Västerbotten om kompetensförsörjning?"),
        ("Västerbotten?", "Vad beslutade Västerbotten om kompetensförsörjning?"),  # <= 3 words
        ("och Region Gävleborg?", "Vad beslutade Region Gävleborg om kompetensförsörjning?"),
        ("men Enköping?", "Vad beslutade Enköping om kompetensförsörjning?"),
        ("hur är det med Enköping?", "Vad beslutade Enköping om kompetensförsörjning?"),
        (
            "och Stockholm?",
            "Vad beslutade Stockholm om kompetensförsörjning?",
        ),  # kommun and län, one name
        (
            "och Västerbotten och Gävleborg?",
            "Vad beslutade Västerbotten och Gävleborg om kompetensförsörjning?",
        ),
    ],
)
def test_a_new_place_keeps_the_topic(followup: str, expected: str) -> None:
    assert rewrite_followup(UPPSALA, followup) == expected


@pytest.mark.parametrize(
    ("followup", "expected"),
    [
        ("och digitalisering?", "Vad beslutade Uppsala om digitalisering?"),
        ("och psykisk hälsa?", "Vad beslutade Uppsala om psykisk hälsa?"),
        ("men krisberedskap?", "Vad beslutade Uppsala om krisberedskap?"),
    ],
)
def test_a_new_topic_keeps_the_place(followup: str, expected: str) -> None:
    assert rewrite_followup(UPPSALA, followup) == expected


def test_a_topic_swap_keeps_a_place_named_after_the_topic() -> None:
    previous = "Vad säger Enköpings kommun om vård i Uppsala län?"
    assert (
        rewrite_followup(previous, "och digitalisering?")
        == "Vad säger Enköpings kommun om digitalisering i Uppsala län?"
    )


def test_a_topic_swap_when_the_place_was_the_topic() -> None:
    assert (
        rewrite_followup("Vad står det om Uppsala?", "och digitalisering?")
        == "Vad står det om digitalisering i Uppsala?"
    )


def test_genitive_follows_the_new_place() -> None:
    assert rewrite_followup("Vad säger Uppsalas kommunstyrelse om vård?", "och Gävleborg?") == (
        "Vad säger Gävleborgs kommunstyrelse om vård?"
    )


def test_a_place_is_added_when_the_previous_question_named_none() -> None:
    assert rewrite_followup("När ska återkoppling skickas?", "och Västerbotten?") == (
        "När ska återkoppling skickas i Västerbotten?"
    )


def test_english_followups() -> None:
    previous = "What did Uppsala decide about skills supply?"
    assert (
        rewrite_followup(previous, "what about Västerbotten?")
        == "What did Västerbotten decide about skills supply?"
    )
    assert (
        rewrite_followup(previous, "and digitalisation?")
        == "What did Uppsala decide about digitalisation?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Vad beslutade Region Gävleborg om välfärdsstrategin?",  # a whole question of its own
        "När beslutades det?",  # short, but asks something new: no topic swap
        "Vilka mål har strategin för kompetensförsörjning i länet?",
    ],
)
def test_questions_that_stand_on_their_own_are_left_alone(question: str) -> None:
    assert rewrite_followup(UPPSALA, question) == question


def test_without_a_previous_question_nothing_changes() -> None:
    assert rewrite_followup("", "och Västerbotten?") == "och Västerbotten?"
    assert rewrite_followup(UPPSALA, "   ") == ""


def test_a_chain_of_followups_builds_on_the_rewritten_question() -> None:
    second = rewrite_followup(UPPSALA, "och Västerbotten?")
    third = rewrite_followup(second, "och digitalisering?")
    assert third == "Vad beslutade Västerbotten om digitalisering?"
