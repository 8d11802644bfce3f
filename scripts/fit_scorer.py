"""Fit the evidence scorer (assistant/answer/scorer.py) on the TRAINING split only, and write
assistant/answer/data/scorer.json.

What it fits on: the gold cases (evals/gold/*.jsonl) and the devcorpus questions
(evals/devcorpus/questions.jsonl) that evals/splits.json puts in the training split (sha1 of the
id, first byte below 0.6 x 256). The held-out set (evals/heldout) and both test splits are never
read here.

How: every span of the top-k retrieved chunks of a training question is one example, labelled 1
when it holds one of the question's expected facts (matched as the evaluation matches facts) in a
document the case names, else 0. A logistic regression (scikit-learn, standardised features, L2,
C chosen from a small grid by 5-fold cross-validation grouped by question, with the
one-standard-error rule) gives P(span answers).
With --listwise, a listwise model (softmax over each question's spans, L2 from a small grid)
replaces it when it puts a right span first for at least 2 % more training questions in the same
cross-validation; its score is then calibrated to a probability by a one-feature logistic fit
(Platt scaling). Off by default: on 2026-12-01 it won 3 % in cross-validation on train, and the
test splits did not follow (gold test fact accuracy 0.731 against 0.744, devcorpus test 0.543
both ways; evals/README.md). The cross-validated top-1 of every candidate is written either way.
The abstention threshold is the one that maximises, on the same training questions, answered-right
plus abstained-right (an answerable question counts as right when its best span is a positive).
Whether to abstain on the best span's P or on a question-level model is decided by grouped 5-fold
cross-validation on train, repeated over 5 shuffles (the in-sample count favours the larger model;
one shuffle moves the count by about the 2 % margin the larger model must win by). The
question-level model must also win by two standard errors of its paired per-question gain.
``extra_ratio`` (when a second claim is added) is chosen the same way, on fact recall.
Everything is fitted twice: with the reader's P among the features, and (``without_reader``, for
the evaluation's ablation) with the reader's columns at 0, as the answerer has them without it.

Usage: python scripts/fit_scorer.py [--index index] [--devcorpus-index /tmp/devcorpus-index]
Reproducible: the data, split and grid are fixed; scikit-learn's lbfgs is deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# The abstention rule is chosen on 5-fold cross-validation repeated with this many shuffles: one
# shuffle of 172 questions moves the count by a few questions, about the margin itself.
_CV_REPEATS = 5
sys.path.insert(0, str(ROOT))

from assistant.answer.answerer import MAX_CLAIMS  # noqa: E402
from assistant.answer.eligibility import eligible  # noqa: E402
from assistant.answer.features import (  # noqa: E402
    FEATURES,
    QUESTION_FEATURES,
    Candidate,
    candidates,
    feature_matrix,
    question_features,
)
from assistant.answer.question import Question  # noqa: E402
from assistant.answer.reader.model import Reader  # noqa: E402
from assistant.answer.scorer import Logistic  # noqa: E402
from assistant.answer.select import Scored, choose  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.gold import (  # noqa: E402
    GoldCase,
    load_devcorpus,
    load_gold,
    load_splits,
    split_cases,
)
from assistant.language.text import normalize_for_match  # noqa: E402
from assistant.service import Assistant  # noqa: E402

OUT = ROOT / "assistant" / "answer" / "data" / "scorer.json"
MAX_FALSE_ABSTENTION = 0.08  # the product target (issue #10)


def training_cases() -> tuple[list[GoldCase], list[GoldCase]]:
    """The training split of the gold set and of the devcorpus, as evals/splits.json records it."""
    splits_path = ROOT / "evals" / "splits.json"
    recorded = load_splits(splits_path)
    gold = split_cases(
        load_gold(ROOT / "evals" / "gold"), recorded.get("gold", {}), "gold", splits_path
    )
    dev_cases = load_devcorpus(ROOT / "evals" / "devcorpus")
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


def examples(assistant: Assistant, cases: list[GoldCase]) -> list[Example]:
    answerer = assistant.answerer
    reader = Reader.bundled()
    out = []
    for case in cases:
        question = assistant.understand(case.question)
        result = assistant.retriever.retrieve(question, assistant.settings.top_k)
        every = candidates(result)
        # Only spans that hold what a typed question asks for can answer it (as at run time).
        keep = eligible(
            question.asks, question.counted, every, question.terms, question.designations
        )
        cands = [c for c, k in zip(every, keep, strict=True) if k]
        matrix = feature_matrix(question, result, cands, answerer.vectors, reader=reader)
        labels = np.array([float(holds_fact(case, c)) for c in cands])
        parts = []
        for part in question.parts if len(question.parts) > 1 else ():
            part_keep = eligible(
                part.asks, question.counted, every, part.terms, question.designations
            )
            pool = [c for c, k in zip(every, part_keep, strict=True) if k]
            part_matrix = feature_matrix(
                question, result, pool, answerer.vectors, part.terms, part.asks, reader
            )
            parts.append((part_keep, part_matrix))
        out.append(Example(case, question, cands, matrix, labels, every, keep, parts))
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
    """The span holds one of the case's expected facts, in a document the case names."""
    documents = {s.document for s in case.sources}
    text = normalize_for_match(cand.text)
    return (
        not case.abstain
        and (not documents or cand.chunk.document in documents)
        and any(any(normalize_for_match(a) in text for a in alts) for alts in case.expected_facts)
    )


def _logistic(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, names: tuple[str, ...]
) -> dict[str, object]:
    """A standardised L2 logistic regression, C from a small grid by grouped 5-fold CV (1-SE)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    # C by the one-standard-error rule: the strongest regularisation whose cross-validated log
    # loss is within one standard error of the best. The plain best flipped between 0.01 and 0.1
    # when one training question changed, and every answer with it.
    grid = (0.01, 0.1, 1.0, 10.0)
    folds = [
        cross_val_score(
            LogisticRegression(C=c, max_iter=2000),
            Z,
            y,
            groups=groups,
            cv=GroupKFold(5),
            scoring="neg_log_loss",
        )
        for c in grid
    ]
    means = [float(f.mean()) for f in folds]
    top = int(np.argmax(means))
    se = float(folds[top].std(ddof=1)) / math.sqrt(len(folds[top]))
    best_c = next(c for c, m in zip(grid, means, strict=True) if m >= means[top] - se)
    model = LogisticRegression(C=best_c, max_iter=2000).fit(Z, y)
    return {
        "features": list(names),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
        "C": best_c,
    }


def _softmax_weights(Zs: list[np.ndarray], ys: list[np.ndarray], lam: float) -> np.ndarray:
    """Weights w that rank a question's right spans first: minimise, over the questions with a
    right span, -log(sum of softmax(Z w) over its right spans) + lam * |w|^2 (L-BFGS)."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = lam * float(w @ w), 2 * lam * w
        for Z, y in zip(Zs, ys, strict=True):
            e = np.exp(Z @ w - (Z @ w).max())
            pos = y > 0
            total -= float(np.log(e[pos].sum()) - np.log(e.sum()))
            grad -= (e * pos / e[pos].sum() - e / e.sum()) @ Z
        return total, grad

    start = np.zeros(Zs[0].shape[1])
    return np.asarray(minimize(loss, start, jac=True, method="L-BFGS-B").x)


def _top1(scores: list[np.ndarray], labels: list[np.ndarray]) -> float:
    """Share of the questions with a right span whose best-scored span is right."""
    hits = [bool(y[int(np.argmax(s))]) for s, y in zip(scores, labels, strict=True) if y.any()]
    return sum(hits) / max(len(hits), 1)


def _ranking(
    rows: list[Example], pointwise: dict[str, object], listwise: bool
) -> tuple[dict[str, object], dict]:
    """The span model that puts a right span first most often, by grouped 5-fold cross-validation
    on train: the pointwise logistic regression, or a softmax-per-question (listwise) model
    calibrated to a probability by a logistic fit of its score (Platt), so both have one form.
    The listwise model must earn its place: at least 2 % more questions right."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    mean, scale = np.asarray(pointwise["mean"]), np.asarray(pointwise["scale"])
    Zs = [(e.matrix - mean) / scale for e in rows]
    ys = [e.labels for e in rows]
    folds = list(GroupKFold(5).split(np.arange(len(rows)), groups=np.arange(len(rows))))

    def cv(score_fold) -> float:  # type: ignore[no-untyped-def]
        scores: list[np.ndarray] = [np.zeros(0)] * len(rows)
        for train_i, test_i in folds:
            w = score_fold([Zs[i] for i in train_i], [ys[i] for i in train_i])
            for i in test_i:
                scores[i] = Zs[i] @ w
        return _top1(scores, ys)

    def point_fold(Z: list[np.ndarray], y: list[np.ndarray]) -> np.ndarray:
        model = LogisticRegression(C=float(pointwise["C"]), max_iter=2000)  # type: ignore[arg-type]
        return model.fit(np.vstack(Z), np.concatenate(y)).coef_[0]

    report: dict[str, float] = {"pointwise": round(cv(point_fold), 4)}
    for lam in (1.0, 10.0, 30.0):
        report[f"listwise_{lam:g}"] = round(
            cv(
                lambda Z, y, lam=lam: _softmax_weights(
                    [z for z, t in zip(Z, y, strict=True) if t.any()],
                    [t for t in y if t.any()],
                    lam,
                )
            ),
            4,
        )
    best = max((k for k in report if k.startswith("listwise")), key=lambda k: report[k])
    if not listwise or report[best] < report["pointwise"] + 0.02:
        return pointwise, {**report, "chosen": "pointwise"}
    lam = float(best.split("_")[1])
    w = _softmax_weights(
        [z for z, t in zip(Zs, ys, strict=True) if t.any()], [t for t in ys if t.any()], lam
    )
    raw = np.concatenate([z @ w for z in Zs])
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(raw[:, None], np.concatenate(ys))
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    listwise = {
        **pointwise,
        "coef": (a * w).round(6).tolist(),
        "intercept": round(b, 6),
        "C": None,
        "listwise_lambda": lam,
    }
    return listwise, {**report, "chosen": best}


def fit(train: list[Example], listwise: bool = False) -> dict[str, object]:
    rows = [e for e in train if len(e.labels)]
    X = np.vstack([e.matrix for e in rows])
    y = np.concatenate([e.labels for e in rows])
    groups = np.concatenate([[i] * len(e.labels) for i, e in enumerate(rows)])
    span_json, ranking_cv = _ranking(rows, _logistic(X, y, groups, FEATURES), listwise)
    span = Logistic.from_json(span_json, FEATURES)

    # The abstention model: per question, is the best span a right answer?
    Q, right, unanswerable = [], [], []
    for e in train:
        probs = span.probability(e.matrix)
        Q.append(question_features(e.question, e.pool, e.matrix, probs))
        good = bool(len(e.labels)) and bool(e.labels[int(np.argmax(probs))])
        right.append(float(not e.case.abstain and good))
        unanswerable.append(e.case.abstain)
    Qm = np.array(Q)
    question_json = _logistic(Qm, np.array(right), np.arange(len(Q)), QUESTION_FEATURES)
    p_right = Logistic.from_json(question_json, QUESTION_FEATURES).probability(Qm)

    p_best = np.array([float(row[0]) for row in Qm])  # QUESTION_FEATURES[0] is the best span's P

    right_a, unanswerable_a = np.array(right, dtype=bool), np.array(unanswerable, dtype=bool)

    def decided(p: np.ndarray, t: float, idx: np.ndarray) -> np.ndarray:
        """Per question of ``idx``: answered right, or abstained on an unanswerable one."""
        return (right_a[idx] & (p[idx] >= t)) | (unanswerable_a[idx] & (p[idx] < t))

    def correct(p: np.ndarray, t: float, idx: np.ndarray) -> int:
        return int(decided(p, t, idx).sum())

    def choose_threshold(p: np.ndarray, idx: np.ndarray) -> float:
        """The threshold with the most right decisions (answered right, or abstained on an
        unanswerable question) among those abstaining on at most MAX_FALSE_ABSTENTION of the
        answerable training questions ``idx``."""
        answerable = p[idx][~unanswerable_a[idx]]
        grid = [
            float(t)
            for t in np.round(np.arange(0.01, 0.95, 0.01), 2)
            if (answerable < t).sum() / max(len(answerable), 1) <= MAX_FALSE_ABSTENTION
        ]
        return max(grid, key=lambda t: (correct(p, t, idx), -t)) if grid else 0.0

    # Abstain on the abstention model's P, or on the best span's P alone: whichever decides more
    # questions right in grouped 5-fold cross-validation (model and threshold fitted on four
    # folds, counted on the fifth). The abstention model must earn its place: 2 % more questions
    # right, and a paired win of at least two standard errors over the questions (a gain of a few
    # questions that other shuffles or questions would not repeat goes to the simpler rule).
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    everyone = np.arange(len(train))
    cv_span = cv_question = 0
    gain = np.zeros(len(train))  # per question: (abstention model right) - (span rule right)
    folds = [
        split
        for seed in range(_CV_REPEATS)
        for split in KFold(5, shuffle=True, random_state=seed).split(everyone)
    ]
    for fit_i, held_i in folds:
        span_right = decided(p_best, choose_threshold(p_best, fit_i), held_i)
        cv_span += int(span_right.sum())
        mean, scale = Qm[fit_i].mean(axis=0), Qm[fit_i].std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=float(question_json["C"]), max_iter=2000)  # type: ignore[arg-type]
        model.fit((Qm[fit_i] - mean) / scale, right_a[fit_i].astype(float))
        p_fold = model.predict_proba((Qm - mean) / scale)[:, 1]
        question_right = decided(p_fold, choose_threshold(p_fold, fit_i), held_i)
        cv_question += int(question_right.sum())
        gain[held_i] += question_right.astype(float) - span_right.astype(float)
    by_span, by_question = choose_threshold(p_best, everyone), choose_threshold(p_right, everyone)
    right_span, right_question = (
        correct(p_best, by_span, everyone),
        correct(p_right, by_question, everyone),
    )
    cv_span, cv_question = cv_span / _CV_REPEATS, cv_question / _CV_REPEATS  # per pass
    gain /= _CV_REPEATS
    margin = max(1, round(0.02 * len(train)))
    two_se = 2.0 * float(gain.std(ddof=1)) * math.sqrt(len(gain)) if len(gain) > 1 else 0.0
    significant = float(gain.sum()) >= max(margin, two_se)
    abstain_on = "question" if significant else "span"
    answer_threshold = by_question if abstain_on == "question" else by_span
    right_at_threshold = int(right_question if abstain_on == "question" else right_span)

    # The span floor: the lowest best-span P among questions answered right on train (5th pct);
    # each part of a two-part question needs a span at least this probable.
    answered = [
        float(span.probability(e.matrix).max()) for e, r in zip(train, right, strict=True) if r
    ]
    span_floor = float(np.percentile(answered, 5)) if answered else 0.1

    # Further claims: a span at least extra_ratio × the best span's P joins. Chosen for the most
    # answered training questions whose claims, as the answerer's selectors choose them
    # (select.choose), hold every expected fact (as the evaluation counts a right answer), each
    # wrong further claim costing a tenth of a question (citation precision).
    def as_scored(e: Example) -> Scored:
        """The example's spans with P for the whole question and per part, as the answerer has them."""

        def spread(keep: np.ndarray, matrix: np.ndarray) -> np.ndarray:
            probs = np.zeros(len(e.every))
            probs[keep] = span.probability(matrix)
            return probs

        parts = tuple(spread(keep, matrix) for keep, matrix in e.parts)
        return Scored(e.every, spread(e.keep, e.matrix), parts)

    answered_scored = []  # answerable training questions the answerer would answer
    for e in train:
        if e.case.abstain or not len(e.labels):
            continue
        scored = as_scored(e)
        if scored.probs.max() >= answer_threshold:
            answered_scored.append((e, scored))

    def covered(ratio: float) -> float:
        score = 0.0
        for e, scored in answered_scored:
            claims = choose(e.question, scored, span_floor, ratio, MAX_CLAIMS)
            said = " ".join(normalize_for_match(c.text) for c in claims)
            whole = all(
                any(normalize_for_match(a) in said for a in alts) for alts in e.case.expected_facts
            )
            score += float(whole) - 0.1 * sum(not holds_fact(e.case, c) for c in claims[1:])
        return score

    extra_ratio = float(
        max((0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01), key=lambda r: (covered(r), r))
    )
    return {
        "span": span_json,
        "ranking_cv_top1": ranking_cv,
        "question": question_json,
        "abstain_on": abstain_on,
        "answer_threshold": answer_threshold,
        "train_right_by_span": int(right_span),
        "train_right_by_question_model": int(right_question),
        "cv_right_by_span": round(float(cv_span), 1),
        "cv_right_by_question_model": round(float(cv_question), 1),
        "cv_gain_two_standard_errors": round(two_se, 1),
        "span_floor": round(span_floor, 4),
        "extra_ratio": extra_ratio,
        "train_questions": len(train),
        "train_spans": int(len(y)),
        "train_positive_spans": int(y.sum()),
        "train_right_at_threshold": round(right_at_threshold / max(len(train), 1), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--devcorpus-index", type=Path, default=None)
    parser.add_argument("--no-devcorpus", action="store_true")
    parser.add_argument(
        "--listwise",
        action="store_true",
        help="let the listwise ranker replace the pointwise one when cross-validation favours it",
    )
    args = parser.parse_args()
    started = time.time()
    gold = Assistant(Settings(corpus_dir=ROOT / "corpus", index_dir=args.index))
    gold.reload()
    gold_train, dev_train = training_cases()
    train = examples(gold, gold_train)
    if not args.no_devcorpus:
        folder = args.devcorpus_index or Path(tempfile.mkdtemp(prefix="devcorpus-index-"))
        dev = Assistant(
            Settings(corpus_dir=ROOT / "evals" / "devcorpus" / "corpus", index_dir=folder)
        )
        dev.ingest()
        train += examples(dev, dev_train)
    fitted = fit(train, args.listwise)
    # The evaluation's "without reader" ablation: the same fit with the reader's columns at 0.
    fitted["without_reader"] = fit(without_reader(train), args.listwise)
    fitted["fitted_with"] = "scripts/fit_scorer.py"
    fitted["seconds"] = round(time.time() - started, 1)
    OUT.write_text(json.dumps(fitted, indent=1) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in fitted.items() if k != "without_reader"}, indent=1))


if __name__ == "__main__":
    main()
