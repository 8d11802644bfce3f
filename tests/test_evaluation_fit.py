"""assistant/evaluation/fit.py and fit_models.py: the scorer's fitting, on a small made-up training set whose spans
and features come from the answerer's own code (answer/evidence.py)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from assistant.answer.evidence import evidence
from assistant.answer.features import FEATURES
from assistant.answer.question import Question
from assistant.answer.scorer import Logistic
from assistant.documents import RetrievalResult, RetrievedChunk
from assistant.evaluation.fit import (
    EXTRA_RATIOS,
    Example,
    differences,
    fit,
    holds_fact,
    without_reader,
)
from assistant.evaluation.fit_models import (
    CROSS_FOLDS,
    MAX_FALSE_ABSTENTION,
    Decisions,
    cross_fitted,
    logistic,
    top1,
)
from assistant.evaluation.gold import GoldCase, GoldSource
from tests.conftest import candidates_of, made_up_section

TOPICS = ("skolplanen", "vårdplanen", "cykelplanen", "matplanen", "parkplanen", "idrottsplanen")


def _case(
    cid: str, question: str, fact: str = "", document: str = "plan.txt", also: str = ""
) -> GoldCase:
    if not fact:
        return GoldCase(cid, question, "sv", ("unanswerable",), (), (), True)
    source = GoldSource(document, "Beslut", fact)
    facts = ((fact,), (also,)) if also else ((fact,),)
    return GoldCase(cid, question, "sv", ("dates",), facts, (source,), False)


def _example(n: int, topic: str, answerable: bool = True, two: bool = False) -> Example:
    """A made-up question about when ``topic`` was adopted, over one section of three dated spans,
    the first of which answers it (unless the case is unanswerable); with ``two`` the answer needs
    the second span too (its expected facts are both dates)."""
    spans = (
        f"Kommunfullmäktige antog {topic} den {n + 1} maj 2031.",
        f"Remissen om {topic if two else 'taxan'} skickades den {n + 2} juni 2031.",
        f"Förslaget om {topic} remitterades den {n + 3} mars 2032.",
    )
    chunk = made_up_section(spans, title=f"Plan {n}", cid=f"c{n}", document=f"plan{n}.txt")
    text = f"När antogs {topic}?"
    result = RetrievalResult(text, (RetrievedChunk(chunk, 0.03, 1),), np.zeros(3))
    question = Question.parse(text)
    every = candidates_of(chunk)
    found = evidence(question, result, every, {})
    fact = f"{n + 1} maj 2031" if answerable else ""
    also = f"{n + 2} juni 2031" if two else ""
    case = _case(f"ex-{n:03d}", text, fact, f"plan{n}.txt", also)
    labels = np.array([float(holds_fact(case, c)) for c in found.pool])
    return Example(case, question, found.pool, found.matrix, labels, every, found.keep, [])


@pytest.fixture(scope="module")
def train() -> list[Example]:
    # Two answerable questions, then one unanswerable, so every fold of the grouped
    # cross-validation holds both kinds; every sixth needs two spans for its answer.
    return [
        _example(n, TOPICS[n % len(TOPICS)], answerable=n % 3 != 2, two=n % 6 == 1)
        for n in range(24)
    ]


def test_a_span_holds_a_fact_only_in_a_document_the_case_names():
    chunk = made_up_section(("Planen antogs den 31 augusti 2031.",), document="plan.txt")
    span = candidates_of(chunk)[0]
    assert holds_fact(_case("ex-001", "När?", "2031-08-31", "plan.txt"), span)
    assert not holds_fact(_case("ex-001", "När?", "2031-08-31", "annan.txt"), span)
    assert not holds_fact(_case("ex-001", "När?", "2031-08-30", "plan.txt"), span)
    assert not holds_fact(_case("ex-002", "När?"), span)  # an abstain case has no right span


def test_top1_counts_only_questions_with_a_right_span():
    scores = [np.array([0.9, 0.1]), np.array([0.2, 0.8]), np.array([0.5])]
    labels = [np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.array([0.0])]
    assert top1(scores, labels) == 0.5


def test_the_threshold_abstains_on_few_answerable_questions_and_most_unanswerable():
    decisions = Decisions(
        np.array([True, True, False, False]), np.array([False, False, True, True])
    )
    p = np.array([0.9, 0.8, 0.3, 0.2])
    everyone = np.arange(4)
    t = decisions.threshold(p, everyone)
    assert 0.3 < t <= 0.8  # abstains on both unanswerable, answers both answerable
    assert decisions.correct(p, t, everyone) == 4
    # An answerable question as unsure as the unanswerable ones: no threshold may abstain on it
    # (1 of 3 answerable > MAX_FALSE_ABSTENTION), so the unanswerable ones are answered too.
    decisions = Decisions(
        np.array([True, True, True, False]), np.array([False, False, False, True])
    )
    t = decisions.threshold(np.array([0.9, 0.8, 0.2, 0.3]), everyone)
    assert MAX_FALSE_ABSTENTION < 1 / 3 and t <= 0.2


def test_logistic_weighs_the_informative_feature_and_standardises():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2)) * [1.0, 5.0] + [0.0, 3.0]
    y = (X[:, 0] + 0.3 * rng.normal(size=200) > 0).astype(float)
    model = logistic(X, y, np.arange(200) // 4, ("signal", "noise"))
    assert model["features"] == ["signal", "noise"]
    assert model["coef"][0] > 1.0 and abs(model["coef"][1]) < 0.5 * model["coef"][0]
    assert model["scale"][1] == pytest.approx(5.0, rel=0.2)
    assert model["C"] in (0.01, 0.1, 1.0, 10.0)


def test_without_reader_zeroes_only_the_reader_columns(train):
    example = train[0]
    example.matrix[:, FEATURES.index("reader")] = 0.7
    zeroed = without_reader([example])[0]
    assert (zeroed.matrix[:, FEATURES.index("reader")] == 0).all()
    kept = [i for i, f in enumerate(FEATURES) if f not in ("reader", "reader_rel")]
    assert (zeroed.matrix[:, kept] == example.matrix[:, kept]).all()
    example.matrix[:, FEATURES.index("reader")] = 0.0


def test_fit_writes_what_the_scorer_reads_and_ranks_the_right_span_first(train):
    fitted = fit(train, max_claims=3)
    bundled = json.loads(
        resources.files("assistant.answer").joinpath("data/scorer.json").read_text("utf-8")
    )
    run_only = {"without_reader", "fitted_with", "seconds"}
    assert set(fitted) == set(bundled) - run_only
    assert fitted["span"]["features"] == list(FEATURES)
    assert fitted["train_questions"] == 24 and fitted["train_positive_spans"] == 20
    assert fitted["extra_ratio"] in EXTRA_RATIOS
    assert fitted["abstain_on"] in ("span", "question")
    # The made-up spans differ in whether they speak of the asked plan: the fitted span model
    # must put the right span first for every answerable training question.
    assert fitted["ranking_cv_top1"]["pointwise"] >= 0.9
    assert fitted["train_right_by_span"] >= 16


def test_the_claim_limit_is_the_one_the_answerer_runs_with(train):
    """max_claims bounds the claims extra_ratio is chosen on: the questions whose answer needs two
    spans are answered whole only when a second claim is allowed, so only then does a ratio low
    enough to let it in win; with one claim allowed no ratio changes anything and the top one wins.
    """
    assert fit(train, max_claims=3)["extra_ratio"] < max(EXTRA_RATIOS)
    assert fit(train, max_claims=1)["extra_ratio"] == max(EXTRA_RATIOS)


def test_each_question_is_scored_by_a_span_model_fitted_without_it(train):
    """With cross_fit, the threshold, span floor and abstention model are fitted on P from span
    models that did not see the question (fit_models.cross_fitted): CROSS_FOLDS models, each
    question scored by the one whose fold held it out, and that model is the span model refitted
    on the other questions."""
    from sklearn.linear_model import LogisticRegression

    fitted = fit(train, max_claims=3, cross_fit=True)
    models = cross_fitted([e.matrix for e in train], [e.labels for e in train], fitted["span"])
    assert len({id(m) for m in models}) == CROSS_FOLDS
    mean, scale = models[0].mean, models[0].scale
    others = [e for e, m in zip(train, models, strict=True) if m is not models[0] and len(e.labels)]
    X = (np.vstack([e.matrix for e in others]) - mean) / scale
    y = np.concatenate([e.labels for e in others])
    refit = LogisticRegression(C=float(fitted["span"]["C"]), max_iter=2000).fit(X, y)
    assert np.allclose(models[0].coef, refit.coef_[0])
    # out of fold, a training question's answering span is less sure than in-sample
    full = Logistic.from_json(fitted["span"], FEATURES)
    best_in = [full.probability(e.matrix).max() for e in train if e.labels.any()]
    pairs = zip(train, models, strict=True)
    best_out = [m.probability(e.matrix).max() for e, m in pairs if e.labels.any()]
    assert np.mean(best_out) <= np.mean(best_in)
    assert fitted["cross_fitted"] == CROSS_FOLDS and "cross_fitted" not in fit(train, 3)


def test_a_refit_is_compared_with_the_committed_weights_value_by_value(train):
    """scripts/fit_scorer.py --check: an identical refit differs in nothing but its run time; a
    moved threshold and changed weights are each named."""
    fitted = fit(train, max_claims=3)
    again = {**fit(train, max_claims=3), "seconds": 9.0}
    assert differences({**fitted, "seconds": 1.0}, again) == []
    moved = {**fitted, "answer_threshold": fitted["answer_threshold"] + 0.04}
    moved["span"] = {**fitted["span"], "coef": [c + 1 for c in fitted["span"]["coef"]]}
    assert differences(fitted, moved) == [
        f"answer_threshold: {fitted['answer_threshold']} -> {moved['answer_threshold']}",
        "span.coef: […] -> […] (changed)",
    ]
