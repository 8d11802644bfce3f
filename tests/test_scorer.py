"""assistant/answer/features.py and scorer.py: general features of made-up spans, and the fitted
weights that ship with the package."""

import numpy as np
import pytest

from assistant.answer.eligibility import eligible
from assistant.answer.features import (
    FEATURES,
    QUESTION_FEATURES,
    feature_matrix,
    question_features,
)
from assistant.answer.question import Question
from assistant.answer.scorer import EvidenceScorer, Logistic
from assistant.documents import RetrievalResult, RetrievedChunk
from assistant.errors import ConfigError
from assistant.language.analysis import analyze
from tests.conftest import candidates_of, made_up_section

SPANS = (
    "Yttrandet ska ha kommit in senast den 3 maj 2024.",
    "Kontaktperson är Kim Ek, kim.ek@example.se.",
    "Planen gäller för hela länet.",
)
CHUNK = made_up_section(SPANS, title="Plan för skolor", heading="Remiss")
CANDS = candidates_of(CHUNK)


def _setup(text: str) -> tuple[Question, RetrievalResult]:
    result = RetrievalResult(text, (RetrievedChunk(CHUNK, 0.03, 1),), np.zeros(3))
    return Question.parse(text), result


def test_only_spans_holding_the_asked_type_are_eligible():
    assert eligible("date", "", CANDS).tolist() == [True, False, False]
    assert eligible("email", "", CANDS).tolist() == [False, True, False]
    assert eligible(None, "", CANDS).tolist() == [True, True, True]


def test_a_frequency_question_is_answered_only_by_a_span_saying_how_often():
    from assistant.answer.answertypes import answer_type

    assert answer_type("Hur ofta följs planen upp?") == "frequency"
    assert answer_type("How often is the plan reviewed?") == "frequency"
    assert answer_type("Hur många gånger per år sammanträder nämnden?") == "frequency"
    assert answer_type("Hur många kommuner deltar?") == "count"
    spans = (
        "Planen följs upp av nämnden.",
        "Nämnden följer upp planen två gånger per år.",
        "Uppföljningen redovisas årligen i en rapport.",
    )
    cands = candidates_of(made_up_section(spans))
    assert eligible("frequency", "", cands).tolist() == [False, True, True]


def test_a_document_number_is_no_date_and_no_count():
    # "SOU 2031:12" and a case number carry a year, but a när- or hur många-question is not
    # answered by them.
    cands = candidates_of(
        made_up_section(
            (
                "Remiss av SOU 2031:12 Bättre vägar, dnr LI2031/00456.",
                "Svaren ska ha kommit in senast den 2 maj 2032.",
            )
        )
    )
    assert eligible("date", "", cands).tolist() == [False, True]
    assert eligible("year", "", cands).tolist() == [False, True]
    assert eligible("count", "", cands).tolist() == [False, True]


def test_a_span_counting_years_answers_how_many_years_only():
    cands = candidates_of(made_up_section(("Planen är treårig.", "Skolverket för registret.")))
    assert eligible("count", "kommuner", cands).tolist() == [False, False]
    assert eligible("count", "år", cands).tolist() == [True, False]
    assert eligible("agent", "", cands).tolist() == [False, True]  # a myndighet is an agent


def test_a_size_is_answered_by_an_amount_and_a_cost_also_by_its_absence():
    cands = candidates_of(
        made_up_section(("Beslutet har inga ekonomiska konsekvenser.", "Planen får 2 mnkr per år."))
    )
    assert eligible("amount", "", cands).tolist() == [False, True]  # "Hur stor budget …?"
    assert eligible("money", "", cands).tolist() == [True, True]  # "Vad kostar det?"


def test_a_date_answers_a_when_question_only_beside_what_is_asked():
    # "När ska planen revideras?" in a made-up plan: the meeting date and the feedback date are
    # dates of other events; the title word "plan" names the document, not the event.
    cands = candidates_of(
        made_up_section(
            (
                "Datum: 2031-03-15",
                "Återkoppling skickas senast 2031-04-30.",
                "Planen ska revideras under 2033.",
            ),
            title="Plan för skolor",
        )
    )
    terms = {t: 1.0 for t in analyze("planen revideras")}
    assert eligible("date", "", cands, terms).tolist() == [False, False, True]
    # A question whose every word is the document's own still gets the document's dates.
    assert eligible("date", "", cands, {t: 1.0 for t in analyze("planen")}).tolist() == [
        True,
        True,
        True,
    ]


def test_a_name_answers_a_who_question_only_beside_the_asked_role():
    cands = candidates_of(
        made_up_section(("Kontaktperson: Kim Ek", "Skoldirektör är Lo Berg."), title="Plan")
    )
    asked = {t: 1.0 for t in analyze("skoldirektör")}
    assert eligible("person", "", cands, asked).tolist() == [False, True]


def test_a_question_naming_a_document_is_not_answered_from_another_named_one():
    other = made_up_section(
        ("Svaren ska ha kommit in senast den 2 maj 2032.",),
        cid="a",
        document="remiss-a.md",
        designations=("sou 2031:12",),
    )
    named = made_up_section(
        ("Här finns svaren på remissen.",),
        cid="b",
        document="remiss-b.md",
        designations=("sou 2031:40",),
    )
    unknown = made_up_section(("Betänkandet lämnades i juni.",), cid="c", document="sou.md")
    cands = candidates_of(other) + candidates_of(named) + candidates_of(unknown)
    asked = frozenset({"sou 2031:40"})
    assert eligible(None, "", cands, {}, asked).tolist() == [False, True, True]
    assert eligible(None, "", cands, {}).tolist() == [True, True, True]


def test_title_words_say_which_document_not_what_in_it():
    from assistant.answer.features import beyond_title

    _, result = _setup("Vad ska enligt planen för skolor ersätta riktlinjerna?")
    terms = {t: 1.0 for t in analyze("planen skolor ersätta riktlinjerna")}
    weighed = beyond_title(terms, result)  # CHUNK's document is titled "Plan för skolor"
    assert weighed[analyze("skolor")[0]] < 1.0 and weighed[analyze("planen")[0]] < 1.0
    assert weighed[analyze("ersätta")[0]] == 1.0 and weighed[analyze("riktlinjerna")[0]] == 1.0


def test_a_designation_says_which_document_not_what_in_it():
    from assistant.answer.features import beyond_title

    spans = (
        "Betänkandet SOU 2031:5 lämnades till regeringen.",
        "Riktlinjerna ska ersättas av en handlingsplan.",
    )
    chunk = made_up_section(spans, title="Plan för skolor", designations=("sou 2031:5",))
    text = "Vad ska enligt SOU 2031:5 ersätta riktlinjerna?"
    result = RetrievalResult(text, (RetrievedChunk(chunk, 0.03, 1),), np.zeros(3))
    terms = {t: 1.0 for t in analyze("SOU 2031:5 ersätta riktlinjerna")}
    weighed = beyond_title(terms, result, designations=True)
    assert weighed["sou"] < 1.0 and weighed["2031"] < 1.0
    assert weighed[analyze("ersätta")[0]] == 1.0
    question = Question.parse(text)
    matrix = feature_matrix(question, result, candidates_of(chunk), {})
    col = FEATURES.index("lex_span")
    assert matrix[1, col] > matrix[0, col]  # the sentence that answers, not the one naming it


def test_features_see_lexical_overlap_and_the_asked_type():
    question, result = _setup("När ska yttrandet ha kommit in?")
    matrix = feature_matrix(question, result, CANDS, {})
    col = {n: i for i, n in enumerate(FEATURES)}
    assert matrix.shape == (3, len(FEATURES))
    assert matrix[0, col["lex_span"]] > matrix[2, col["lex_span"]]
    assert matrix[0, col["type_held"]] == 1.0 and matrix[2, col["type_missing"]] == 1.0
    assert matrix[0, col["lex_rel"]] == 0.0  # the best lexical span is the reference


def test_question_features_read_the_best_span():
    question, result = _setup("När ska yttrandet ha kommit in?")
    matrix = feature_matrix(question, result, CANDS, {})
    row = question_features(question, CANDS, matrix, np.array([0.9, 0.2, 0.1]))
    assert row.shape == (len(QUESTION_FEATURES),)
    assert row[0] == pytest.approx(0.9) and row[1] == pytest.approx(0.7)


@pytest.mark.parametrize(
    ("question", "answering"),
    [("När ska yttrandet ha kommit in?", 0), ("Vem är kontaktperson för planen?", 1)],
)
def test_the_bundled_weights_put_the_answering_span_first(question, answering):
    """The shipped weights, not just any logistic: for a date question the span with the date,
    for a who question the span with the contact person, is strictly the most probable."""
    scorer = EvidenceScorer.bundled()
    parsed, result = _setup(question)
    probs = scorer.span.probability(feature_matrix(parsed, result, CANDS, {}))
    others = [p for i, p in enumerate(probs) if i != answering]
    assert probs[answering] > max(others), probs
    assert 0 < scorer.answer_threshold < 1


def test_weights_fitted_on_other_features_are_refused_with_the_fix():
    data = {"features": ["dense"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}
    with pytest.raises(ConfigError, match="run `python scripts/fit_scorer.py`"):
        Logistic.from_json(data, FEATURES)
