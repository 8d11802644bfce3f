"""Fit the evidence scorer (assistant/answer/scorer.py) on the TRAINING split only, and write
assistant/answer/data/scorer.json.

What it fits on: the gold cases (evals/gold/*.jsonl) and the devcorpus questions
(evals/devcorpus/questions.jsonl) that evals/splits.json puts in the training split (sha1 of the
id, first byte below 0.6 x 256). The held-out set (evals/heldout) and both test splits are never
read here.

How: every span of the top-k retrieved chunks of a training question is one example, labelled 1
when it holds one of the question's expected facts (matched as the evaluation matches facts) in a
document the case names, else 0. A logistic regression (scikit-learn, standardised features, L2,
C chosen from a small grid by 5-fold cross-validation grouped by question) gives P(span answers).
The abstention threshold is the one that maximises, on the same training questions, answered-right
plus abstained-right (an answerable question counts as right when its best span is a positive).
``extra_ratio`` (when a second claim is added) is chosen the same way, on fact recall.

Usage: python scripts/fit_scorer.py [--index index] [--devcorpus-index /tmp/devcorpus-index]
Reproducible: the data, split and grid are fixed; scikit-learn's lbfgs is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.features import (  # noqa: E402
    FEATURES,
    QUESTION_FEATURES,
    Candidate,
    candidates,
    eligible,
    feature_matrix,
    question_features,
)
from assistant.answer.question import Question  # noqa: E402
from assistant.answer.scorer import Logistic  # noqa: E402
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


def examples(assistant: Assistant, cases: list[GoldCase]) -> list[Example]:
    answerer = assistant.answerer
    out = []
    for case in cases:
        result = assistant.search(case.question)
        question = Question.parse(result, answerer.idf)
        cands = candidates(result)
        # Only spans that hold what a typed question asks for can answer it (as at run time).
        keep = eligible(question.asks, question.counted, cands)
        cands = [c for c, k in zip(cands, keep, strict=True) if k]
        matrix = feature_matrix(question, result, cands, answerer.vectors)
        wanted = [[normalize_for_match(a) for a in alts] for alts in case.expected_facts]
        documents = {s.document for s in case.sources}
        labels = np.array(
            [
                float(
                    not case.abstain
                    and (not documents or c.chunk.document in documents)
                    and any(any(a in normalize_for_match(c.text) for a in alts) for alts in wanted)
                )
                for c in cands
            ]
        )
        out.append(Example(case, question, cands, matrix, labels))
    return out


def _logistic(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, names: tuple[str, ...]
) -> dict[str, object]:
    """A standardised L2 logistic regression, C from a small grid by grouped 5-fold CV."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    best_c, best_score = 1.0, -np.inf
    for c in (0.01, 0.1, 1.0, 10.0):
        model = LogisticRegression(C=c, max_iter=2000)
        score = cross_val_score(
            model, Z, y, groups=groups, cv=GroupKFold(5), scoring="neg_log_loss"
        ).mean()
        if score > best_score:
            best_c, best_score = c, score
    model = LogisticRegression(C=best_c, max_iter=2000).fit(Z, y)
    return {
        "features": list(names),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
        "C": best_c,
    }


def fit(train: list[Example]) -> dict[str, object]:
    rows = [e for e in train if len(e.labels)]
    X = np.vstack([e.matrix for e in rows])
    y = np.concatenate([e.labels for e in rows])
    groups = np.concatenate([[i] * len(e.labels) for i, e in enumerate(rows)])
    span_json = _logistic(X, y, groups, FEATURES)
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

    def choose_threshold(p: np.ndarray) -> tuple[float, int]:
        """The threshold with the most right decisions (answered right, or abstained on an
        unanswerable question) among those abstaining on at most MAX_FALSE_ABSTENTION of the
        answerable training questions."""

        def correct(t: float) -> int:
            return sum(
                (r and x >= t) or (u and x < t)
                for x, r, u in zip(p, right, unanswerable, strict=True)
            )

        def false_abstention(t: float) -> float:
            answerable = [x for x, u in zip(p, unanswerable, strict=True) if not u]
            return sum(x < t for x in answerable) / max(len(answerable), 1)

        grid = [
            t
            for t in np.round(np.arange(0.01, 0.95, 0.01), 2)
            if false_abstention(t) <= MAX_FALSE_ABSTENTION
        ]
        best = float(max(grid, key=lambda t: (correct(t), -t))) if grid else 0.0
        return best, correct(best)

    # Abstain on the abstention model's P, or on the best span's P alone.
    by_span, right_span = choose_threshold(p_best)
    by_question, right_question = choose_threshold(p_right)
    # The abstention model must earn its place: it is used only when it decides clearly more
    # training questions right (2 % of them) than the best span's P alone; a tie or a one-question
    # edge goes to the simpler rule.
    margin = max(1, round(0.02 * len(train)))
    abstain_on = "question" if right_question >= right_span + margin else "span"
    answer_threshold = by_question if abstain_on == "question" else by_span
    right_at_threshold = int(right_question if abstain_on == "question" else right_span)

    # Further claims: a span at least extra_ratio × the best span's P joins (up to 3 claims). Chosen
    # for the most answerable training questions with a right span among the claims, each wrong
    # further claim costing a tenth of a question (citation precision).
    def covered(ratio: float) -> float:
        score = 0.0
        for e in train:
            if e.case.abstain or not len(e.labels):
                continue
            p = span.probability(e.matrix)
            order = np.argsort(-p)[:3]
            keep = [i for i in order if p[i] >= ratio * p[order[0]]]
            score += float(any(e.labels[i] for i in keep)) - 0.1 * sum(
                not e.labels[i] for i in keep[1:]
            )
        return score

    extra_ratio = float(
        max((0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01), key=lambda r: (covered(r), r))
    )
    # The span floor: the lowest best-span P among questions answered right on train (5th pct);
    # each part of a two-part question needs a span at least this probable.
    answered = [
        float(span.probability(e.matrix).max()) for e, r in zip(train, right, strict=True) if r
    ]
    span_floor = float(np.percentile(answered, 5)) if answered else 0.1
    return {
        "span": span_json,
        "question": question_json,
        "abstain_on": abstain_on,
        "answer_threshold": answer_threshold,
        "train_right_by_span": int(right_span),
        "train_right_by_question_model": int(right_question),
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
    fitted = fit(train)
    fitted["fitted_with"] = "scripts/fit_scorer.py"
    fitted["seconds"] = round(time.time() - started, 1)
    OUT.write_text(json.dumps(fitted, indent=1) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in fitted.items() if k not in ("mean", "scale")}, indent=1))


if __name__ == "__main__":
    main()
