"""Fit the evidence scorer (assistant/answer/scorer.py) on the TRAINING split only, and write
assistant/answer/data/scorer.json.

What it fits on: the gold cases (evals/gold/*.jsonl) and the devcorpus questions
(evals/devcorpus/questions.jsonl) whose id falls in the training split (evaluation/splits.py:
sha1 of the id, first byte < 154, about 60 %). The held-out set (evals/heldout) and both test
splits are never read here.

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

from assistant.answer.features import FEATURES, candidates, feature_matrix  # noqa: E402
from assistant.answer.question import Question  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.splits import in_train  # noqa: E402
from assistant.language.text import normalize_for_match  # noqa: E402
from assistant.service import Assistant  # noqa: E402

OUT = ROOT / "assistant" / "answer" / "data" / "scorer.json"


@dataclass
class Case:
    id: str
    question: str
    facts: list[list[str]]
    documents: set[str]
    abstain: bool


def gold_cases() -> list[Case]:
    cases = []
    for path in sorted((ROOT / "evals" / "gold").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            docs = {s["document"] for s in d.get("sources", [])}
            cases.append(
                Case(
                    d["id"],
                    d["question"],
                    d.get("expected_facts", []),
                    docs,
                    bool(d.get("abstain")),
                )
            )
    return cases


def devcorpus_cases() -> list[Case]:
    path = ROOT / "evals" / "devcorpus" / "questions.jsonl"
    cases = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            cases.append(
                Case(
                    d["id"],
                    d["question"],
                    d.get("expect", []),
                    set(d.get("documents", [])),
                    bool(d.get("abstain")),
                )
            )
    return cases


@dataclass
class Example:
    case: Case
    matrix: np.ndarray
    labels: np.ndarray


def examples(assistant: Assistant, cases: list[Case]) -> list[Example]:
    answerer = assistant.answerer
    out = []
    for case in cases:
        result = assistant.search(case.question)
        question = Question.parse(result, answerer.idf)
        cands = candidates(result)
        matrix = feature_matrix(question, result, cands, answerer.vectors)
        wanted = [[normalize_for_match(a) for a in alts] for alts in case.facts]
        labels = np.array(
            [
                float(
                    not case.abstain
                    and (not case.documents or c.chunk.document in case.documents)
                    and any(any(a in normalize_for_match(c.text) for a in alts) for alts in wanted)
                )
                for c in cands
            ]
        )
        out.append(Example(case, matrix, labels))
    return out


def fit(train: list[Example]) -> dict[str, object]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    rows = [e for e in train if len(e.labels)]
    X = np.vstack([e.matrix for e in rows])
    y = np.concatenate([e.labels for e in rows])
    groups = np.concatenate([[i] * len(e.labels) for i, e in enumerate(rows)])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    best_c, best_score = 1.0, -1.0
    for c in (0.01, 0.1, 1.0, 10.0):
        model = LogisticRegression(C=c, max_iter=2000)
        score = cross_val_score(
            model, Z, y, groups=groups, cv=GroupKFold(5), scoring="neg_log_loss"
        ).mean()
        if score > best_score:
            best_c, best_score = c, score
    model = LogisticRegression(C=best_c, max_iter=2000).fit(Z, y)
    coef, intercept = model.coef_[0], float(model.intercept_[0])

    def prob(m: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(((m - mean) / scale) @ coef + intercept)))

    # Abstention threshold: right = answerable with a positive best span, or unanswerable abstained.
    tops = []
    for e in train:
        if not len(e.labels):
            tops.append((0.0, False, e.case.abstain))
            continue
        p = prob(e.matrix)
        tops.append((float(p.max()), bool(e.labels[int(p.argmax())]), e.case.abstain))
    grid = np.round(np.arange(0.02, 0.9, 0.01), 2)

    def right(t: float) -> int:
        return sum((not ab and good and p >= t) or (ab and p < t) for p, good, ab in tops)

    threshold = float(max(grid, key=lambda t: (right(t), -t)))

    # A second claim: fact recall of answerable questions with >1 fact group, per ratio.
    def recall(ratio: float) -> float:
        got = total = 0
        for e in train:
            if e.case.abstain or not len(e.labels) or len(e.case.facts) < 2:
                continue
            p = prob(e.matrix)
            order = np.argsort(-p)
            keep = [i for i in order[:3] if p[i] >= max(threshold, ratio * p[order[0]])]
            total += 1
            got += float(any(e.labels[i] for i in keep[1:])) - 0.25 * sum(
                1 for i in keep[1:] if not e.labels[i]
            )
        return got / max(total, 1)

    extra_ratio = float(max((0.5, 0.6, 0.7, 0.8, 0.9, 1.01), key=lambda r: (recall(r), r)))
    return {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "extra_ratio": extra_ratio,
        "C": best_c,
        "train_questions": len(train),
        "train_spans": int(len(y)),
        "train_positive_spans": int(y.sum()),
        "train_right_at_threshold": right(threshold) / max(len(train), 1),
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
    train = examples(gold, [c for c in gold_cases() if in_train(c.id)])
    if not args.no_devcorpus:
        folder = args.devcorpus_index or Path(tempfile.mkdtemp(prefix="devcorpus-index-"))
        dev = Assistant(
            Settings(corpus_dir=ROOT / "evals" / "devcorpus" / "corpus", index_dir=folder)
        )
        dev.ingest()
        train += examples(dev, [c for c in devcorpus_cases() if in_train(c.id)])
    fitted = fit(train)
    fitted["fitted_with"] = "scripts/fit_scorer.py"
    fitted["seconds"] = round(time.time() - started, 1)
    OUT.write_text(json.dumps(fitted, indent=1) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in fitted.items() if k not in ("mean", "scale")}, indent=1))


if __name__ == "__main__":
    main()
