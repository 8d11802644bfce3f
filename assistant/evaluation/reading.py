"""The reader model alone (issue #20) on held-out reading-comprehension sets, beside word overlap
(the lexical choice): top-1 sentence accuracy, and how often it says "none" (P(none) >= 0.5: no
sentence's softmax share beats the "none" slot the reader was trained with).

Sets: SweQUAD-MC test as published (102 questions) and the SQuAD-sv articles that
scripts/train_reader.py holds out (datasets.squad_split), every k-th of their questions so that
about SQUAD_QUESTIONS remain, from every held-out article (the whole slice: benchmarks/reader.py).

Does not: answer questions, or time the reader (benchmarks/reader.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.answer.reader import datasets
from assistant.answer.reader.model import Reader
from assistant.language.analysis import analyze

SQUAD_QUESTIONS = 200  # with SweQUAD-MC test, 2-4 min of the reader on 2 cores


def word_overlap(item: datasets.Item) -> int:
    """The sentence sharing the most (stemmed, stop-word-free) words with the question; first wins.

    Example: "När öppnar biblioteket?" over ("Vi har böcker.", "Biblioteket öppnar kl. 9.") -> 1
    """
    asked = set(analyze(item.question))
    scores = [len(asked & set(analyze(s))) for s in item.sentences]
    return int(np.argmax(scores))


def measure(reader: Reader, items: Sequence[datasets.Item]) -> dict[str, float]:
    """Top-1 of the reader and of word overlap over the answerable items; the share of
    answerable items the reader rejects, and of unanswerable ones it rightly rejects."""
    hits = lexical = answerable = rejected = unanswerable = false_reject = 0
    for item in items:
        z = reader.logits(item.question, list(item.sentences))
        p_none = 1.0 / (1.0 + float(np.exp(z).sum()))
        if item.positives:
            answerable += 1
            hits += int(int(np.argmax(z)) in item.positives)
            lexical += int(word_overlap(item) in item.positives)
            false_reject += int(p_none >= 0.5)
        else:
            unanswerable += 1
            rejected += int(p_none >= 0.5)
    out: dict[str, float] = {"questions": len(items), "answerable": answerable}
    if answerable:
        out["reader_top1"] = round(hits / answerable, 4)
        out["word_overlap_top1"] = round(lexical / answerable, 4)
        out["answerable_rejected"] = round(false_reject / answerable, 4)
    if unanswerable:
        out["unanswerable"] = unanswerable
        out["unanswerable_rejected"] = round(rejected / unanswerable, 4)
    return out


def spread(items: Sequence[datasets.Item], count: int) -> list[datasets.Item]:
    """Every k-th item, k chosen so that at most ``count`` remain.

    Example: 10 items, count 3 -> items 0, 4 and 8
    """
    step = max(1, -(-len(items) // max(count, 1)))
    return list(items[::step])


def reading_rows(squad_questions: int = SQUAD_QUESTIONS) -> dict[str, dict[str, float]]:
    """set name -> measure() of the shipped reader on it."""
    reader = Reader.bundled()
    _, held_out = datasets.squad_split()
    return {
        "SweQUAD-MC test": measure(reader, datasets.swequad("test")),
        "SQuAD-sv held-out articles": measure(reader, spread(held_out, squad_questions)),
    }
