"""Fit the evidence scorer (assistant/answer/scorer.py) on the TRAINING split only: the weights
in assistant/answer/data/scorer.json.

What it fits on: the gold cases (evals/gold/*.jsonl) and the devcorpus questions
(evals/devcorpus/questions.jsonl) that evals/splits.json puts in the training split (sha1 of the
id, first byte below 0.6 x 256). The held-out set (evals/heldout) and both test splits are never
read here.

How: every span of the top-k retrieved chunks of a training question is one example, labelled 1
when it holds one of the question's expected facts (matched as the evaluation matches facts) in a
document the case names, else 0. The spans and their features are the answerer's own
(answer/evidence.py), and the claims are chosen with the answerer's own selectors and the
settings it runs with (``Settings.max_answer_claims``). A logistic regression (scikit-learn,
standardised features, L2, C chosen from a small grid by 5-fold cross-validation grouped by
question, with the one-standard-error rule) gives P(span answers).
With ``listwise``, a listwise model (softmax over each question's spans, L2 from a small grid)
replaces it when it puts a right span first for at least 2 % more training questions in the same
cross-validation; its score is then calibrated to a probability by a one-feature logistic fit
(Platt scaling). Off by default: on 2026-12-01 it won 3 % in cross-validation on train, and the
test splits did not follow (gold test fact accuracy 0.731 against 0.744, devcorpus test 0.543
both ways; evals/README.md). The cross-validated top-1 of every candidate is written either way.
With ``cross_fit`` (off by default; `scripts/fit_scorer.py --cross-fit`), everything fitted after
the span model (the abstention model and threshold, the span floor, ``extra_ratio``) reads the
training questions' spans cross-fitted: each question's spans scored by the span model refitted
without its fold (``fit_models.cross_fitted``, 5 folds), as a new question's would be. In-sample,
a training question's answering span is likelier than a new question's. Measured on 2026-12-06
(evals/README.md, "Refitting the scorer"): it did not pass the gate, so the committed weights are
fitted without it.
The abstention threshold is the one that maximises, on the training questions, answered-right
plus abstained-right (an answerable question counts as right when its best span is a positive).
Whether to abstain on the best span's P or on a question-level model is decided by grouped 5-fold
cross-validation on train, repeated over 5 shuffles (the in-sample count favours the larger model;
one shuffle moves the count by about the 2 % margin the larger model must win by). The
question-level model must also win by two standard errors of its paired per-question gain.
``extra_ratio`` (when a second claim is added) is chosen the same way, on fact recall.
Everything is fitted twice: with the reader's P among the features, and (``without_reader``, for
the evaluation's ablation) with the reader's columns at 0, as the answerer has them without it.

Reproducible: the data, split and grid are fixed; scikit-learn's lbfgs is deterministic.
Does not: write the weights file or parse arguments (scripts/fit_scorer.py does), or score at
run time (answer/).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.evidence import evidence
from assistant.answer.features import (
    FEATURES,
    QUESTION_FEATURES,
    Candidate,
    SpanReader,
    candidates,
    question_features,
)
from assistant.answer.question import Question
from assistant.answer.scorer import Logistic
from assistant.answer.select import Scored, choose
from assistant.config import Settings
from assistant.evaluation.fit_models import (
    CROSS_FOLDS,
    Decisions,
    abstention,
    cross_fitted,
    logistic,
    ranking,
)
from assistant.evaluation.gold import GoldCase, load_devcorpus, load_gold, load_splits, split_cases
from assistant.language.text import normalize_for_match

EXTRA_RATIOS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def training_cases(evals: Path) -> tuple[list[GoldCase], list[GoldCase]]:
    """The training split of the gold set and of the devcorpus, as evals/splits.json records it."""
    splits_path = evals / "splits.json"
    recorded = load_splits(splits_path)
    gold = split_cases(load_gold(evals / "gold"), recorded.get("gold", {}), "gold", splits_path)
    dev_cases = load_devcorpus(evals / "devcorpus")
    dev = split_cases(dev_cases, recorded.get("devcorpus", {}), "devcorpus", splits_path)
    return gold["train"], dev["train"]


@dataclass
class Example:
    case: GoldCase
    question: Question
    pool: list[Candidate]
    matrix: np.ndarray
    labels: np.ndarray
    # as the answerer sees them: every retrieved span, which of them can answer the whole question,
    # and per part of a two-part question which can answer it and their features
    every: list[Candidate]
    keep: np.ndarray
    parts: list[tuple[np.ndarray, np.ndarray]]


def examples(assistant: Any, cases: list[GoldCase], reader: SpanReader | None) -> list[Example]:
    """One Example per case: the spans of its retrieval the answerer would score, labelled.

    ``assistant`` is an assistant.service.Assistant (typed loosely: evaluation reads it, the
    service does not import evaluation).
    """
    answerer = assistant.answerer
    out = []
    for case in cases:
        question = assistant.understand(case.question)
        result = assistant.retriever.retrieve(question, assistant.settings.top_k)
        every = candidates(result)
        whole = evidence(question, result, every, answerer.vectors, reader=reader)
        labels = np.array([float(holds_fact(case, c)) for c in whole.pool])
        parts = []
        for part in question.parts if len(question.parts) > 1 else ():
            one = evidence(question, result, every, answerer.vectors, part.terms, part.asks, reader)
            parts.append((one.keep, one.matrix))
        out.append(
            Example(case, question, whole.pool, whole.matrix, labels, every, whole.keep, parts)
        )
    return out


def without_reader(train: list[Example]) -> list[Example]:
    """The examples as the answerer sees them with the reader left out: its columns at 0."""
    cols = [FEATURES.index("reader"), FEATURES.index("reader_rel")]

    def zeroed(matrix: np.ndarray) -> np.ndarray:
        out = matrix.copy()
        out[:, cols] = 0.0
        return out

    return [
        replace(e, matrix=zeroed(e.matrix), parts=[(k, zeroed(m)) for k, m in e.parts])
        for e in train
    ]


def holds_fact(case: GoldCase, cand: Candidate) -> bool:
    """The span holds one of the case's expected facts, in a document the case names.

    Example: a span "Beslut 31 augusti 2031" of plan.txt holds the fact ["2031-08-31"] of a case
    citing plan.txt; of another document it does not.
    """
    documents = {s.document for s in case.sources}
    text = normalize_for_match(cand.text)
    return (
        not case.abstain
        and (not documents or cand.chunk.document in documents)
        and any(any(normalize_for_match(a) in text for a in alts) for alts in case.expected_facts)
    )


def _extra_ratio(
    train: list[Example],
    spans: list[Logistic],
    answer_threshold: float,
    span_floor: float,
    max_claims: int,
) -> float:
    """Further claims: a span at least extra_ratio × the best span's P joins. Chosen for the most
    answered training questions whose claims, as the answerer's selectors choose them
    (select.choose, with the answerer's ``max_claims``), hold every expected fact (as the
    evaluation counts a right answer), each wrong further claim costing a tenth of a question
    (citation precision)."""

    def as_scored(e: Example, span: Logistic) -> Scored:
        """The example's spans with P for the whole question and per part, as the answerer has them."""

        def spread(keep: np.ndarray, matrix: np.ndarray) -> np.ndarray:
            probs = np.zeros(len(e.every))
            probs[keep] = span.probability(matrix)
            return probs

        parts = tuple(spread(keep, matrix) for keep, matrix in e.parts)
        return Scored(e.every, spread(e.keep, e.matrix), parts)

    answered = []  # answerable training questions the answerer would answer
    for e, span in zip(train, spans, strict=True):
        if e.case.abstain or not len(e.labels):
            continue
        scored = as_scored(e, span)
        if scored.probs.max() >= answer_threshold:
            answered.append((e, scored))

    def covered(ratio: float) -> float:
        score = 0.0
        for e, scored in answered:
            claims = choose(e.question, scored, span_floor, ratio, max_claims)
            said = " ".join(normalize_for_match(c.text) for c in claims)
            whole = all(
                any(normalize_for_match(a) in said for a in alts) for alts in e.case.expected_facts
            )
            score += float(whole) - 0.1 * sum(not holds_fact(e.case, c) for c in claims[1:])
        return score

    return float(max(EXTRA_RATIOS, key=lambda r: (covered(r), r)))


def fit(
    train: list[Example], max_claims: int, listwise: bool = False, cross_fit: bool = False
) -> dict[str, Any]:
    """The scorer's weights and thresholds fitted on ``train``, as scorer.json holds them;
    ``cross_fit``: what follows the span model reads cross-fitted span P (the module says why)."""
    rows = [e for e in train if len(e.labels)]
    X = np.vstack([e.matrix for e in rows])
    y = np.concatenate([e.labels for e in rows])
    groups = np.concatenate([[i] * len(e.labels) for i, e in enumerate(rows)])
    pointwise = logistic(X, y, groups, FEATURES)
    matrices, labels = [e.matrix for e in rows], [e.labels for e in rows]
    span_json, ranking_cv = ranking(matrices, labels, pointwise, listwise)
    span = Logistic.from_json(span_json, FEATURES)
    # With cross_fit, each question's spans as a question the model has not seen gets them, for
    # everything fitted after the span model (the module docstring says why).
    # A listwise span model (listwise_lambda) is not refitted by fold: it is read in-sample.
    crossed = cross_fit and "listwise_lambda" not in span_json
    every = [e.matrix for e in train], [e.labels for e in train]  # rows without spans too
    spans = cross_fitted(*every, span_json) if crossed else [span] * len(train)

    # The abstention model: per question, is the best span a right answer?
    Q, right, unanswerable = [], [], []
    for e, model in zip(train, spans, strict=True):
        probs = model.probability(e.matrix)
        Q.append(question_features(e.question, e.pool, e.matrix, probs))
        good = bool(len(e.labels)) and bool(e.labels[int(np.argmax(probs))])
        right.append(float(not e.case.abstain and good))
        unanswerable.append(e.case.abstain)
    Qm = np.array(Q)
    question_json = logistic(Qm, np.array(right), np.arange(len(Q)), QUESTION_FEATURES)
    p_right = Logistic.from_json(question_json, QUESTION_FEATURES).probability(Qm)
    decisions = Decisions(np.array(right, dtype=bool), np.array(unanswerable, dtype=bool))
    chosen = abstention(decisions, Qm, float(question_json["C"]), p_right)

    # The span floor: the lowest best-span P among questions answered right on train (5th pct);
    # each part of a two-part question needs a span at least this probable.
    answered = [
        float(model.probability(e.matrix).max())
        for e, model, r in zip(train, spans, right, strict=True)
        if r
    ]
    span_floor = float(np.percentile(answered, 5)) if answered else 0.1
    threshold = chosen["answer_threshold"]
    right_at_threshold = chosen.pop("right_at_threshold")
    return {
        "span": span_json,
        "ranking_cv_top1": ranking_cv,
        "question": question_json,
        **chosen,
        "span_floor": round(span_floor, 4),
        "extra_ratio": _extra_ratio(train, spans, threshold, span_floor, max_claims),
        **({"cross_fitted": CROSS_FOLDS} if crossed else {}),
        "train_questions": len(train),
        "train_spans": int(len(y)),
        "train_positive_spans": int(y.sum()),
        "train_right_at_threshold": round(right_at_threshold / max(len(train), 1), 4),
    }


def fit_scorer(
    root: Path,
    index: Path,
    devcorpus_index: Path | None = None,
    devcorpus: bool = True,
    listwise: bool = False,
    settings: Settings | None = None,
    cross_fit: bool = False,
) -> dict[str, Any]:
    """Everything scorer.json holds, fitted on the training split of the gold set (searched in
    ``index``) and of the devcorpus (indexed into ``devcorpus_index`` or a temporary folder),
    with the reader and (``without_reader``) without it. ``settings`` are those the answerer runs
    with (the command reads them from the environment), with the corpus and index folders set here.
    """
    from assistant.answer.reader.model import Reader
    from assistant.service import Assistant

    started = time.time()
    base = settings or Settings()
    gold = Assistant(replace(base, corpus_dir=root / "corpus", index_dir=index))
    gold.reload()
    gold_train, dev_train = training_cases(root / "evals")
    reader = Reader.bundled()
    train = examples(gold, gold_train, reader)
    if devcorpus:
        folder = devcorpus_index or Path(tempfile.mkdtemp(prefix="devcorpus-index-"))
        dev_settings = replace(base, corpus_dir=root / "evals" / "devcorpus" / "corpus")
        dev = Assistant(replace(dev_settings, index_dir=folder))
        dev.ingest()
        train += examples(dev, dev_train, reader)
    max_claims = base.max_answer_claims
    fitted = fit(train, max_claims, listwise, cross_fit)
    # The evaluation's "without reader" ablation: the same fit with the reader's columns at 0.
    fitted["without_reader"] = fit(without_reader(train), max_claims, listwise, cross_fit)
    fitted["fitted_with"] = "scripts/fit_scorer.py"
    fitted["seconds"] = round(time.time() - started, 1)
    return fitted


def differences(committed: dict[str, Any], fitted: dict[str, Any], where: str = "") -> list[str]:
    """What a refit changed in scorer.json, one line per value (the run's ``seconds`` aside);
    weights are compared as whole lists.

    Example: differences({"answer_threshold": 0.1}, {"answer_threshold": 0.14})
    -> ["answer_threshold: 0.1 -> 0.14"]
    """
    out = []
    for key in sorted(set(committed) | set(fitted)):
        if key == "seconds":
            continue
        old, new = committed.get(key), fitted.get(key)
        name = f"{where}{key}"
        if isinstance(old, dict) and isinstance(new, dict):
            out += differences(old, new, f"{name}.")
        elif old != new:
            shown = (old, new) if not isinstance(old, list) else ("[…]", "[…] (changed)")
            out.append(f"{name}: {shown[0]} -> {shown[1]}")
    return out
