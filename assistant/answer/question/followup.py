"""Follow-up questions: turn an elliptic follow-up into a whole question, using the one before it.
The first step of understanding a question (parse.py calls it), so the CLI, API and UI all do it.

After "Vad beslutade Uppsala om kompetensförsörjning?" the follow-up "och Västerbotten?" keeps the
topic and changes the place; "och digitalisering?" keeps the place and changes the topic.
Does not: keep a history (the caller passes the previous question), retrieve or answer anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.config import ANSWER_POLICY as POLICY
from assistant.language.places import Place, gazetteer
from assistant.language.text import fold, is_swedish
from assistant.language.vocabulary import word_list

_WORDS = "question_words_sv.json"

# Openers that mark a follow-up; longest first so "hur är det med" wins over "och".
_CONNECTIVES = word_list(_WORDS, "followup_openers")
_QUESTION_WORDS = frozenset(word_list(_WORDS, "question_openers"))
_TOPIC_MARKER = re.compile(
    rf"\b({'|'.join(map(re.escape, word_list(_WORDS, 'topic_markers')))})\s+", re.IGNORECASE
)
# A preposition just before a place that follows the topic ("om vård i Enköping?").
_BEFORE_PLACE = re.compile(
    rf"\s+({'|'.join(map(re.escape, word_list(_WORDS, 'place_prepositions')))})\s+$", re.IGNORECASE
)
_MAX_ELLIPTIC_WORDS = POLICY.followup_max_words  # after the opener
_WORD = re.compile(r"[\wåäöÅÄÖéÉ-]+")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    genitive: bool  # matched with a trailing "s" ("Uppsalas")


def rewrite_followup(previous_question: str, question: str) -> str:
    """The follow-up as a whole question; a question that stands on its own is returned as it is.

    Example: rewrite_followup("Vad beslutade Uppsala om kompetensförsörjning?", "och Västerbotten?")
             -> "Vad beslutade Västerbotten om kompetensförsörjning?"
    Example: rewrite_followup("Vad beslutade Uppsala om kompetensförsörjning?", "och digitalisering?")
             -> "Vad beslutade Uppsala om digitalisering?"
    """
    question = " ".join((question or "").split())
    previous = " ".join((previous_question or "").split())
    if not previous or not question:
        return question
    rest, had_opener = _strip_opener(question)
    words = _WORD.findall(rest)
    if (
        not words
        or (not had_opener and len(_WORD.findall(question)) > 3)
        or len(words) > _MAX_ELLIPTIC_WORDS
    ):
        return question
    new_places = gazetteer().find(rest)
    if new_places:
        return _swap_places(previous, rest, new_places)
    if words[0].lower() in _QUESTION_WORDS:
        return (
            question  # "när beslutades det?" asks something new; swapping a topic would garble it
        )
    return _swap_topic(previous, rest.rstrip(" ?.!"))


def _strip_opener(question: str) -> tuple[str, bool]:
    """Example: "Och Västerbotten?" -> ("Västerbotten?", True)"""
    lowered = question.lower()
    for opener in _CONNECTIVES:
        if lowered.startswith(opener + " ") or lowered == opener:
            return question[len(opener) :].strip(" ,"), True
    return question, False


def _swap_places(previous: str, rest: str, new_places: list[Place]) -> str:
    new_names = _unique([name for name, _ in _written_places(rest, new_places)]) or [
        new_places[0].name
    ]
    name = _join(new_names, previous)
    old = _written_places(previous, gazetteer().find(previous))
    if not old:
        # The previous question named no place: ask the same thing about the new one.
        return f"{previous.rstrip(' ?.!')}{' i ' if is_swedish(previous) else ' in '}{name}?"
    out, cursor = [], 0
    for _, span in old:
        written = name + "s" if span.genitive and not name.endswith(("s", "x", "z")) else name
        out.append(previous[cursor : span.start] + written)
        cursor = span.end
    out.append(previous[cursor:])
    return _collapse_repeats("".join(out), new_names)


def _swap_topic(previous: str, topic: str) -> str:
    """Example: ("Vad beslutade Uppsala om kompetensförsörjning?", "digitalisering") -> "Vad beslutade Uppsala om digitalisering?" """
    marker = None
    for match in _TOPIC_MARKER.finditer(previous):
        marker = (
            match  # the last "om …" is the topic; an earlier one may be part of the verb phrase
        )
    if marker is not None:
        tail = previous[marker.end() :]
        places_after = [s for p in gazetteer().find(tail) for s in _spans(tail, p)]
        # subtle: keep a place that follows the topic ("om vård i Enköping?" -> "om X i Enköping?").
        keep_from = min((s.start for s in places_after), default=None)
        if keep_from is not None:
            before_place = _BEFORE_PLACE.search(tail[:keep_from])
            cut = before_place.start() if before_place else keep_from
            joiner = "" if cut else (" i " if is_swedish(previous) else " in ")
            return f"{previous[: marker.end()]}{topic}{joiner}{tail[cut:]}".rstrip(" ?.!") + "?"
        return f"{previous[: marker.end()]}{topic}?"
    places = gazetteer().find(previous)
    if not places:
        return topic + "?" if topic else previous
    place = _written_places(previous, places)[0][0]
    if is_swedish(previous):
        return f"Vad säger dokumenten om {topic} i {place}?"
    return f"What do the documents say about {topic} in {place}?"


def _names(place: Place) -> list[str]:
    """Every way the gazetteer knows to write a place, longest first."""
    g = gazetteer()
    names = {place.name, place.official}
    if place.kind == "kommun" and place.code in g.kommuner:
        entry = g.kommuner[place.code]
        names |= {entry["name"], entry["official"], entry.get("genitive", "")}
    elif place.kind == "lan" and place.code in g.lan:
        entry = g.lan[place.code]
        short = entry["short"]
        names |= {
            entry["name"],
            entry["region"],
            short,
            f"Region {short}",
            f"{short}s län",
            *entry.get("aliases", []),
        }
    return sorted((n for n in names if n), key=len, reverse=True)


def _spans(text: str, place: Place) -> list[_Span]:
    """Where a place is written in a text, in any case and also without å/ä/ö."""
    folded = fold(text)
    # subtle: fold() keeps one character per character for Swedish text, so folded offsets are
    # offsets in the text; when it does not (rare ligatures), match the text as it is.
    haystack, prepare = (folded, fold) if len(folded) == len(text) else (text, str)
    spans: list[_Span] = []
    for name in _names(place):
        pattern = re.compile(
            rf"(?<![\wåäöÅÄÖ]){re.escape(prepare(name))}(s?)(?![\wåäöÅÄÖ])", re.IGNORECASE
        )
        spans.extend(
            _Span(m.start(), m.end(), bool(m.group(1))) for m in pattern.finditer(haystack)
        )
    return spans


def _merge(spans: list[_Span]) -> list[_Span]:
    """Overlapping matches become one span, the longest one; in text order."""
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _written_places(text: str, places: list[Place]) -> list[tuple[str, _Span]]:
    """Each place name written in a text, as written (spelled properly), with where it stands.

    Example: _written_places("och Region Uppsala?", find(...)) -> [("Region Uppsala", _Span(4, 18, False))]
    """
    per_place = [(place, _spans(text, place)) for place in places]
    out = []
    for span in _merge([s for _, spans in per_place for s in spans]):
        owner = next(place for place, spans in per_place if span in spans)
        out.append((_spelled(text[span.start : span.end - span.genitive], owner), span))
    return out


def _spelled(typed: str, place: Place) -> str:
    """Example: _spelled("vasterbotten", <Västerbottens län>) -> "Västerbotten" """
    if not typed.isascii():
        return typed
    return next((name for name in _names(place) if fold(name) == fold(typed)), typed)


def _join(names: list[str], language_of: str) -> str:
    conjunction = " och " if is_swedish(language_of) else " and "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + conjunction + names[-1]


def _collapse_repeats(text: str, names: list[str]) -> str:
    """Example: "Vad säger Västerbotten och Västerbotten om …" -> "Vad säger Västerbotten om …" """
    for name in names:
        pattern = re.compile(rf"({re.escape(name)}s?)(?:\s*(?:,|och|and)\s*{re.escape(name)}s?)+")
        text = pattern.sub(r"\1", text)
    return text


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
