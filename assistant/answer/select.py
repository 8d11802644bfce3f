"""Which scored spans make the answer: an ordered list of small selectors, each general and tested.

- ``per_part``: a question that asks two things gets the best span for each part (a part asking
  for several items: the list that span leads or sits in).
- ``one_per_document``: "Vilka dokument …?" gets the best span of each document that answers
  (when one document answers, the question is answered as any other).
- ``defining_first``: "Vad är X?" leads with the sentence that defines X.
- ``named_section``: an open question naming a short section by its heading gets the section.
- ``nested_list``: a list of numbered points with bullets under each is answered by its points
  (from a bullet: by its point and the point's bullets), over the chunks that continue it.
- ``whole_list``: a list question whose best span leads or sits in a list takes the list.
- ``antecedent``: a best span that opens with a pointing pronoun ("Dessa …") takes the sentence
  before it, which names what it points at.
- ``close_runners``: further spans nearly as probable as the best join, up to the claim limit.

Does not: score spans (scorer.py), decide to abstain (answerer.py) or verify quotes (verify.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.features import Candidate
from assistant.answer.question import Question
from assistant.answer.terms import defining, is_item, leads_list
from assistant.config import ANSWER_POLICY as POLICY
from assistant.documents import Chunk
from assistant.language.shapes import NUMBERED_ITEM
from assistant.search.query import section_heading_terms

# A sentence whose subject points back ("Dessa två grupperingar …", "Detta innebär …"). General
# Swedish demonstratives only; "De lokala …" (an article) does not point back.
_POINTS_BACK = re.compile(r"^(Dessa|Denna|Detta|Därefter|These|This)\b")
_LIST_LIMIT = POLICY.list_items
_SECTION_SPANS = POLICY.whole_section_spans  # a short section named by the question: quoted whole
_CONTINUES = 2  # a chunk starting within this many lines of another's end continues it


@dataclass(frozen=True)
class Scored:
    """The candidates of one question with P(span answers) for the whole question and per part."""

    cands: list[Candidate]
    probs: np.ndarray
    part_probs: tuple[np.ndarray, ...]  # one array per question part (empty for one-part questions)


def choose(
    question: Question, scored: Scored, threshold: float, extra_ratio: float, max_claims: int
) -> list[Candidate]:
    """The answer's spans, best first, then in the order each selector added them.

    Example: "Vilka ska beslutet skickas till?" whose best span is "Beslutet skickas till:" ->
    that lead-in and its items, in document order.
    """
    best = int(np.argmax(scored.probs))
    chosen = per_part(scored, threshold)
    if chosen:
        # a part asking for several items ("Vilka två slags åtgärder …, och när …?") takes the
        # list its best span leads or sits in
        lists = [
            list_of(pick, scored.cands) if part.wants_list else [pick]
            for pick, part in zip(chosen, question.parts, strict=False)
        ]
        return _unique([c for group in lists for c in group])
    floor = extra_ratio * scored.probs[best]
    if question.asks_documents:
        # one span per document when several answer; a single document is answered as any
        # question is (its list, its defining sentence …)
        each = one_per_document(scored, threshold, max(max_claims, POLICY.documents_claims))
        if len(each) > 1:
            return _unique(each)
    section = named_section(question, scored, floor)
    if section:
        return _unique(section)
    best = defining_first(question, scored, best, floor)
    first = scored.cands[best]
    if question.wants_list or leads_list(first.chunk, first.index):
        # a lead-in ("Kommunstyrelsen beslutar att:") is no answer without its items
        items = list_of(first, scored.cands)
        if len(items) > 1:
            return _unique(items)
    chosen = antecedent(first) + [first]
    chosen += close_runners(
        scored, best, extra_ratio * scored.probs[best], max_claims - len(chosen)
    )
    return _unique(chosen)


def one_per_document(scored: Scored, floor: float, room: int) -> list[Candidate]:
    """ "Vilka dokument anger …?": the most probable span of each document at least ``floor``
    probable, most probable document first."""
    out: list[Candidate] = []
    for i in np.argsort(-scored.probs, kind="stable"):
        cand = scored.cands[int(i)]
        if len(out) >= room or scored.probs[i] < floor:
            break
        if cand.chunk.document not in {c.chunk.document for c in out}:
            out.append(cand)
    return out


def defining_first(question: Question, scored: Scored, best: int, floor: float) -> int:
    """For "Vad är X?" / "Vad står X för?": the span that defines X leads, when it is at least
    ``floor`` probable; else the best span."""
    if not question.wants_definition:
        return best
    for i in np.argsort(-scored.probs, kind="stable"):
        if scored.probs[i] < floor:
            break
        if defining(question.abbreviation, scored.cands[int(i)].text, question.terms):
            return int(i)
    return best


def named_section(question: Question, scored: Scored, floor: float) -> list[Candidate]:
    """An open question that names a short section by its heading ("Hur gick beslutsgången till?"
    -> the section "Beslutsgång") is answered by that whole section, when a span of it is at
    least ``floor`` probable."""
    if question.asks:
        return []
    for i in np.argsort(-scored.probs, kind="stable"):
        if scored.probs[i] < floor:
            break
        cand = scored.cands[int(i)]
        own = section_heading_terms(cand.chunk)
        if own and own <= set(question.terms) and len(cand.chunk.spans) <= _SECTION_SPANS:
            return [_sibling(cand, k) for k in range(len(cand.chunk.spans))]
    return []


def per_part(scored: Scored, threshold: float) -> list[Candidate]:
    """The best span of each part of a two-part question, when every part has one above threshold."""
    if len(scored.part_probs) < 2:
        return []
    picks = []
    for probs in scored.part_probs:
        i = int(np.argmax(probs))
        if probs[i] < threshold:
            return []
        picks.append(scored.cands[i])
    return picks


def unanswered_parts(scored: Scored, chosen: Sequence[Candidate], floor: float) -> list[int]:
    """The parts of a question that asks several things which none of the chosen spans answers:
    each chosen span's P for that part is below ``floor``.

    Example: "När ska uppdraget redovisas och vad kostar det?" answered by a date alone -> [1]
    """
    if len(scored.part_probs) < 2:
        return []
    at = {(c.chunk.id, c.index): i for i, c in enumerate(scored.cands)}
    rows = [at[(c.chunk.id, c.index)] for c in chosen if (c.chunk.id, c.index) in at]
    return [k for k, probs in enumerate(scored.part_probs) if not rows or probs[rows].max() < floor]


def whole_list(first: Candidate) -> list[Candidate]:
    """The list a span leads or belongs to: its lead-in and items, in document order."""
    spans = first.chunk.spans
    if first.chunk.kind in ("list", "table"):  # a list or table section is the list itself
        shown = [_sibling(first, i) for i in range(min(len(spans), _LIST_LIMIT))]
        return shown + ([first] if first.index >= _LIST_LIMIT else [])  # the best row stays
    start = first.index
    if not leads_list(first.chunk, start):
        if not is_item(first.text):
            return [first]
        while start > 0 and is_item(spans[start - 1].text):
            start -= 1
        if start > 0 and leads_list(first.chunk, start - 1):
            start -= 1
    end = start + 1
    while end < len(spans) and is_item(spans[end].text):
        end += 1
    return [_sibling(first, i) for i in range(start, min(end, start + _LIST_LIMIT))]


def list_of(first: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    """The list a span leads or sits in: nested (numbered points with bullets) or flat."""
    return nested_list(first, cands) or whole_list(first)


def nested_list(first: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    """A list of numbered points, each with bullet points under it ("1. Ledarskap" / "* …" /
    "2. Teknik" / "* …"), perhaps split over consecutive chunks of one section: from its lead-in
    or a numbered point, the lead-in and the numbered points; from a bullet, its numbered point
    and that point's bullets. Else [] (a flat list is whole_list's).

    Example: "Rekommendationerna har tre teman." / "1. A" / "* a" / "2. B" / "* b" / "3. C", from
    the first span -> the lead-in, "1. A", "2. B", "3. C"
    """
    spans = _section_run(first, cands)
    at = next(
        k for k, c in enumerate(spans) if (c.chunk.id, c.index) == (first.chunk.id, first.index)
    )
    if is_item(first.text):
        start = at
        while start > 0 and is_item(spans[start - 1].text):
            start -= 1
        lead = spans[start - 1 : start]
    else:  # the lead-in itself
        lead, start = [spans[at]], at + 1
    end = start
    while end < len(spans) and is_item(spans[end].text):
        end += 1
    points = [k for k in range(start, end) if NUMBERED_ITEM.match(spans[k].text)]
    if len(points) < 2 or points[0] != start or len(points) == end - start:
        return []
    if at < start or at in points:
        return (lead + [spans[k] for k in points])[: _LIST_LIMIT + 1]
    head = max(k for k in points if k < at)
    stop = min((k for k in points if k > head), default=end)
    return spans[head : min(stop, head + _LIST_LIMIT)]


def _section_run(first: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    """Every span of ``first``'s chunk and of the retrieved chunks that continue it: the same
    document and headings, each starting within a line or two of where the one before ends."""
    same = {
        c.chunk.id: c.chunk
        for c in cands
        if c.chunk.document == first.chunk.document
        and c.chunk.heading_path == first.chunk.heading_path
    }
    chunks = sorted(same.values(), key=lambda ch: ch.line_start)
    k = next(i for i, ch in enumerate(chunks) if ch.id == first.chunk.id)
    lo = hi = k
    while lo > 0 and chunks[lo].line_start - chunks[lo - 1].line_end <= _CONTINUES:
        lo -= 1
    while hi + 1 < len(chunks) and chunks[hi + 1].line_start - chunks[hi].line_end <= _CONTINUES:
        hi += 1
    rank = {c.chunk.id: c.rank for c in cands}
    return [
        _span(ch, rank.get(ch.id, first.rank), i)
        for ch in chunks[lo : hi + 1]
        for i in range(len(ch.spans))
    ]


def antecedent(first: Candidate) -> list[Candidate]:
    """The sentence before a span that points back to it, else nothing."""
    if first.index > 0 and _POINTS_BACK.match(first.text):
        return [_sibling(first, first.index - 1)]
    return []


def close_runners(scored: Scored, best: int, floor: float, room: int) -> list[Candidate]:
    """Other spans at least ``floor`` probable, most probable first, at most ``room`` of them.

    A bare label (under AnswerPolicy.label_chars characters) is no claim of its own."""
    out: list[Candidate] = []
    for i in np.argsort(-scored.probs, kind="stable"):
        if len(out) >= room or scored.probs[i] < floor:
            break
        cand = scored.cands[int(i)]
        if int(i) != best and len(cand.text) >= POLICY.label_chars:
            out.append(cand)
    return out


def _sibling(like: Candidate, index: int) -> Candidate:
    return _span(like.chunk, like.rank, index)


def _span(chunk: Chunk, rank: int, index: int) -> Candidate:
    span = chunk.spans[index]
    return Candidate(chunk, rank, index, span.text, span.line_start, span.line_end, span.page)


def _unique(cands: list[Candidate]) -> list[Candidate]:
    """First of each text, compared without case, spacing or punctuation."""
    seen: set[str] = set()
    out = []
    for cand in cands:
        key = re.sub(r"\W+", "", cand.text.casefold())
        if key not in seen:
            seen.add(key)
            out.append(cand)
    return out
