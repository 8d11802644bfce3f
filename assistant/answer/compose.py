"""Composition: which of the scored spans make the answer, and in what order.

One best span, then what completes it: the next sentence of its paragraph, the sentence an anaphor
("Dessa …") points back to, a list's lead-in with its items, one span per document for a question
about several documents, or a few more spans nearly as good.

Does not: score spans (evidence.py), filter them by answer type, verify quotes or abstain
(answer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.answertypes import answer_type
from assistant.answer.evidence import (
    DATE_Q,
    Candidate,
    content_terms,
    defining,
    has_date,
    heading_named,
    heading_share,
    is_item,
    leads_list,
    names_code,
)
from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.search.hybrid import RetrievalResult
from assistant.search.query import doc_type_words, named_doc_types

_LIST_Q = re.compile(
    r"\b(vilka|lista|list|nämn|which|what are|fokusområden|delmål|mottagare|recipients|skickas till|sent to|beslutsunderlag|"
    r"ingå|ingår|innehålla|innehåller|omfatta|omfattar|består av|include|includes|contain|contains|consist of)\b",
    re.I,
)
_MANY_DOCS_Q = re.compile(
    r"\b(vilka (av )?(dokument|dokumenten|län|regioner|kommuner)|which (of the )?documents|respektive|båda|both|jämför|compare)\b",
    re.I,
)
_SECTION_SPANS = 5  # a section this short is quoted whole when the question names it
_DOC_DATE_Q = re.compile(
    r"\b(vilket datum (har|bär|står på)|datum har|när är \w+ daterad|daterad|dated|date of the|what date does)\b",
    re.I,
)
# A sentence that points back: "Dessa två grupperingar …", "Det innebär …"; not "De lokala
# tjänsteledningarna …", where "De" is an article.
_ANAPHOR = re.compile(
    r"^(Dessa|Denna|Detta|Där|Därefter|Då|Som en följd)\b|"
    r"^(De|Den|Det)\s+(ska|skall|har|är|kan|behöver|bör|måste|innebär|beskriver|omfattar|gäller|"
    r"utgör|blir|var|hade|ger|bidrar|syftar)\b"
)


def compose(
    candidates: list[Candidate],
    result: RetrievalResult,
    idf: Callable[[str], float],
    max_claims: int = 3,
) -> list[Candidate]:
    """The spans of the answer, from candidates sorted best first (never empty: starts from one).

    Example: "Vilka ska beslutet skickas till?" whose best span is "Expedieras till:" ->
    that lead-in and its items ("- Vård- och omsorgsnämnden", …) in document order.
    """
    best = candidates[0]
    if DATE_Q.search(result.question):
        dated = [c for c in candidates[:8] if has_date(c.text) and c.score >= best.score - 0.2]
        best = dated[0] if dated else best
    content = content_terms(result, idf)
    defined = [
        c
        for c in candidates[:20]
        if c.score >= best.score - 0.25 and defining(result.question, c.text, content)
    ]
    best = defined[0] if defined else best  # "Vad är färdplanen?" -> "Färdplanen är en …"
    many_docs = bool(_MANY_DOCS_Q.search(result.question)) and len(result.places) <= 1
    # A question naming one delmål ("enligt delmål B1") asks about that goal, not for the list.
    list_q = bool(_LIST_Q.search(result.question)) and not names_code(result.question)
    if list_q and not many_docs:
        # A list whose heading names what is asked ("Expedieras till", "Beslutsunderlag",
        # "Fokusområden") beats a sentence that only mentions it.
        named = [(heading_share(content, c), c) for c in candidates[:30] if _is_listy(c)]
        named = [(share, c) for share, c in named if share >= 0.25 and c.score >= best.score - 0.25]
        if named:
            best = max(named, key=lambda item: (item[0], item[1].score))[1]
        # …and so does a list whose lead-in is the asked thing itself ("Ordförande:").
        labelled = [
            c
            for c in candidates[:30]
            if leads_list(c.chunk, c.index)
            and c.text.rstrip().endswith(":")
            and _within(analyze(c.text), content)
            and c.score >= best.score - 0.4
        ]
        if labelled:
            best = labelled[0]
    if _names_section(best, result, content) and not many_docs:
        # "Hur gick beslutsgången till?" -> the whole short section "Beslutsgång", in order.
        return _unique([_span(best, i) for i in range(len(best.chunk.spans))])
    listy = leads_list(best.chunk, best.index) or (_is_listy(best) and list_q)
    if listy and not many_docs:
        return _list_answer(best)
    chosen = [best]
    following = best.index + 1
    if following < len(best.chunk.spans) and _same_paragraph(best.chunk, best.index, following):
        # The next sentence of the same paragraph often finishes the answer ("… har beretts av
        # arbetsgruppen. Förslaget har remissbehandlats …"); it joins when nearly as relevant.
        nxt = next(
            (c for c in candidates if c.chunk.id == best.chunk.id and c.index == following),
            None,
        )
        if nxt is not None and nxt.score >= best.score - 0.3:
            chosen.append(nxt)
    if _ANAPHOR.match(best.text) and best.index > 0:
        # "Dessa två grupperingar …" needs the sentence that names them.
        chosen.insert(0, _span(best, best.index - 1))
    if many_docs:
        return _unique(_one_per_document(chosen, candidates, best))
    for cand in candidates:
        if len(chosen) >= max_claims:
            break
        if cand.score < best.score - 0.12 or len(cand.text) < 25:
            continue
        if any(c.chunk.id == cand.chunk.id and c.index == cand.index for c in chosen):
            continue  # already in (the best, or the sentence that follows it)
        chosen.append(cand)
    return _unique(chosen)


def asks_many(question: str) -> bool:
    """Whether a question asks about several documents or things at once ("respektive", "båda")."""
    return bool(_MANY_DOCS_Q.search(question))


def document_date(candidates: list[Candidate], question: str) -> Candidate | None:
    """For "Vilket datum har tjänsteskrivelsen …?": the span that dates that very document, if any.

    First a span of the best-ranked file naming the document with a date ("Tjänsteskrivelse, daterad
    2024-04-05"), else the "Datum:" line in the header of the best-ranked document of that type (or
    of the best-ranked document, which the question then calls by another name).
    """
    kinds = named_doc_types(question)
    if not kinds or not _DOC_DATE_Q.search(question):
        return None
    words = tuple(w for kind in kinds for w in doc_type_words(kind) if " " not in w)
    top = min(candidates, key=lambda c: c.rank).chunk.document if candidates else ""
    for cand in candidates:
        lowered = cand.text.lower()
        if (
            cand.chunk.document == top
            and has_date(cand.text)
            and any(lowered.startswith(w) for w in words)
        ):
            return cand
    headers = [
        c
        for c in sorted(candidates, key=lambda c: c.rank)
        if c.chunk.kind == "preamble" and re.match(r"^datum\b", c.text, re.I) and has_date(c.text)
    ]
    typed = [c for c in headers if c.chunk.metadata.doc_type in kinds]
    chosen = typed or headers
    return chosen[0] if chosen else None


def _one_per_document(
    chosen: list[Candidate], candidates: list[Candidate], best: Candidate
) -> list[Candidate]:
    """Adds the best span of each further document that speaks of the asked thing, up to four spans.

    A further document qualifies when its best span is not far behind in score and shares at least
    half as much of the question's words as the best span does ("Vilka dokument anger att …").
    """
    for cand in candidates:
        if len(chosen) >= 4:
            break
        if (
            cand.chunk.document not in {c.chunk.document for c in chosen}
            and cand.score >= best.score - 0.3
            and cand.lexical >= 0.5 * best.lexical
        ):
            chosen.append(cand)
    return chosen


def _names_section(best: Candidate, result: RetrievalResult, content: dict[str, float]) -> bool:
    """Whether an open question names the best span's own short section by its heading."""
    if answer_type(result.question) is not None or len(best.chunk.spans) > _SECTION_SPANS:
        return False
    return heading_named(content, best.chunk)


def _within(terms: list[str], content: dict[str, float]) -> bool:
    """Whether a label has words and every one is among the question's ("Ordförande:")."""
    return bool(terms) and set(terms) <= set(content)


def _list_answer(best: Candidate) -> list[Candidate]:
    """A list answer: the lead-in and its items (or the whole list section), in document order."""
    spans = best.chunk.spans
    if leads_list(best.chunk, best.index):
        start = best.index
        end = start + 1
        while end < len(spans) and is_item(spans[end][0]):
            end += 1
    elif best.chunk.kind in ("list", "table"):
        start, end = 0, len(spans)
    else:
        start, end = best.index, best.index + 1
    return _unique([_span(best, i) for i in range(start, min(end, start + 12))])


def _span(like: Candidate, index: int) -> Candidate:
    """Another span of the same chunk, carrying ``like``'s scores (it joins on ``like``'s merit)."""
    text, first, last, page = like.chunk.spans[index]
    return Candidate(
        like.chunk,
        like.rank,
        index,
        text,
        first,
        last,
        page,
        like.score,
        like.lexical,
        like.dense,
    )


def _is_listy(cand: Candidate) -> bool:
    """Example: a span of a list or table chunk, "Expedieras till:" or "- Kommunstyrelsen" -> True"""
    return (
        cand.chunk.kind in ("list", "table")
        or cand.text.rstrip().endswith(":")
        or bool(re.match(r"^[-–•*\d]", cand.text))
    )


def _same_paragraph(chunk: Chunk, first: int, second: int) -> bool:
    """Whether two spans are consecutive sentences of one paragraph (joined by a space in the chunk)."""
    return f"{chunk.spans[first][0]} {chunk.spans[second][0]}" in chunk.text


def _unique(cands: list[Candidate]) -> list[Candidate]:
    """First of each text, compared without case, spacing or punctuation."""
    seen: set[str] = set()
    out = []
    for cand in cands:
        if _key(cand.text) not in seen:
            seen.add(_key(cand.text))
            out.append(cand)
    return out


def _key(text: str) -> str:
    """Example: _key("Att anta strategin.") -> "attantastrategin" """
    return re.sub(r"\W+", "", text.lower())
