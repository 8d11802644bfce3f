"""Which spans can answer a question at all, before any is scored: a span that cannot hold what
is asked, or speaks of another event or another document, is no candidate.

- A typed question (a date, a person, a count …) is answered only by a span holding that type.
- A date or a name answers only beside a word of what is asked (names_the_asked).
- A question naming documents by designation is not answered from another named document.

The answerer and scripts/fit_scorer.py call ``eligible`` alike, so the scorer is fitted on the
spans it will meet. Does not: score spans (features.py, scorer.py) or choose them (select.py).
"""

from __future__ import annotations

import numpy as np

from assistant.answer.answertypes import holds_type
from assistant.answer.features import Candidate, Layers
from assistant.answer.terms import compound_hit
from assistant.language.analysis import analyze


def eligible(
    asks: str | None,
    counted: str,
    cands: list[Candidate],
    terms: dict[str, float] | None = None,
    named: frozenset[str] = frozenset(),
) -> np.ndarray:
    """Which spans can answer: for a question asking for a date, person, count … only spans that
    hold one (a sentence with no date is no answer to "när"); for an open question every span.
    A date or a person answers only when its span speaks of what is asked (``terms``, see
    names_the_asked). A question that names documents by designation (``named``: "sou 2024:72")
    is not answered from a document that is, by its own designations, another one.

    Example: eligible("email", "", [span "Kim Ek", span "kim@ek.se"]) -> [False, True]
    """
    layers: dict[str, Layers] = {}  # one per section: its spans share headings and title
    keep = np.zeros(len(cands), dtype=bool)
    for i, c in enumerate(cands):
        if asks and not holds_type(c.text, asks, counted if asks == "count" else ""):
            continue
        if is_another_document(c, named):
            continue
        if asks in _BESIDE_KINDS:
            if c.chunk.id not in layers:
                layers[c.chunk.id] = Layers.of(c.chunk)
            if not names_the_asked(c, terms or {}, layers[c.chunk.id]):
                continue
        keep[i] = True
    return keep


def is_another_document(cand: Candidate, named: frozenset[str]) -> bool:
    """Whether a span's document is, by its own designations, none of the documents a question
    names. A document that states no designation of its own may be any of them.

    Example: a span of "Remiss av SOU 2031:12" with named {"sou 2031:40"} -> True
    """
    own = cand.chunk.metadata.designations
    return bool(named) and bool(own) and not named & set(own)


# A date or a person's name answers only beside what is asked: "Datum: 2024-03-15" does not answer
# "När ska planen revideras?", nor a name "Vem är regiondirektör?". (Tried on train for agents
# too, 2026-12-01: one abstention won, one answer lost; left out.)
_BESIDE_KINDS = ("date", "day", "year", "person")


def names_the_asked(cand: Candidate, terms: dict[str, float], layers: Layers | None = None) -> bool:
    """Whether a span names what a när- or vem-question asks about: one of the question's terms
    that its document's title and headings do not already give (those say which document, not
    which event or role). A date or a name beside other words belongs to something else.

    Example: for "När ska planen revideras?" in a document titled "Plan", "Planen ska revideras
    2027" -> True; "Datum: 2024-03-15" -> False
    """
    layers = layers or Layers.of(cand.chunk)
    asked = [t for t in terms if t not in layers.heading and t not in layers.context]
    if not asked:
        return True
    words = set(analyze(cand.text))
    return any(t in words or compound_hit(t, words) for t in asked)
