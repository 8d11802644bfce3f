"""What kind of answer a question asks for (a date, a person, a count, an amount …), and whether a
piece of text holds one that is about the asked thing.

A typed question is answered only by a span that holds the type *and* speaks of the question's own
terms: a date in the document is no answer to "when was X decided" unless it is X's date.
Does not: score spans (evidence.py) or compose answers (compose.py).
"""

from __future__ import annotations

import re

from assistant.language.analysis import analyze
from assistant.language.shapes import EMAIL, MONEY, PHONE, without_numbers
from assistant.language.text import ISO_DATE, SWEDISH_MONTHS, TEXT_DATE
from assistant.language.vocabulary import named_patterns, pattern, pattern_text, word_list

_PATTERNS = "answer_patterns_sv.json"  # assistant/language/data/: each pattern says its source
_ADMIN = "administration_sv.json"
# How a question asks for each answer type, tried in order: the first that matches names it.
# subtle: "när det gäller" means "as regards", not "when"; "frequency" comes last, so that a
# two-part "Vem …, och hur ofta?" still asks for an agent first.
_TYPES = named_patterns(_PATTERNS, "answer_types")
_TYPES_BY_NAME = dict(_TYPES)
_WORDS = "answer_words_sv.json"  # assistant/language/data/: where each list comes from
# Words that name the type itself; they are not the thing asked about. Compared as analysed
# terms (stemmed like the question), so "kontaktpersonen" and "avsändaren" meet them too.
TYPE_WORDS = frozenset(analyze(" ".join(word_list(_WORDS, "type_words")))) | {"e", "post"}

_NUMBER_WORDS = "(?:" + "|".join(map(re.escape, word_list(_WORDS, "number_words"))) + ")"
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# A month, season or recurrence dates a thing without a day ("i mars", "våren 2024", "årligen").
_TIME_WORDS = re.compile(
    rf"\b({'|'.join(SWEDISH_MONTHS)}|{pattern_text(_PATTERNS, 'time_words')})\b", re.I
)
# How often something recurs, as Swedish and English documents say it.
_FREQUENCY = pattern(_PATTERNS, "frequency")
# A deciding body or any acting group, office or role: one list of bodies for the whole package.
_AGENT = re.compile(
    f"({'|'.join(word_list(_ADMIN, 'body_words'))}|{pattern_text(_ADMIN, 'agent_words')})", re.I
)
_NOT_NAMES = frozenset(word_list(_WORDS, "not_names"))
_NAME = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?) ([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)\b"
)


_AUDIENCE_Q = pattern(_PATTERNS, "audience_question")


def answer_type(question: str) -> str | None:
    """The first answer type the question asks for, or None for open questions.

    Example: answer_type("När ska återkoppling skickas?") -> "date"; answer_type("Vad är syftet?") -> None
    """
    if _AUDIENCE_Q.search(question):
        return "agent"  # "Vem är färdplanen skriven för?" asks for a group, not a named person
    for name, asked in _TYPES:
        if asked.search(question) and not (name == "date" and _subordinate_when(question)):
            return name
    return None


_OTHER_QUESTION = pattern(_PATTERNS, "other_question")
_WHEN = pattern(_PATTERNS, "when_asked")
_WHEN_WORD = pattern(_PATTERNS, "when_word")


def _subordinate_when(question: str) -> bool:
    """Whether the only date word is a "när"/"when" clause inside another question.

    Example: "Hur gick beslutsgången till när strategin behandlades?" -> True (asks how, not when);
    "Vem beslutade, och när?" -> False
    """
    without_when = _WHEN_WORD.sub("", question)
    return (
        without_when != question
        and not _TYPES_BY_NAME["date"].search(without_when)  # no other date word ("vilket datum")
        and bool(_OTHER_QUESTION.match(question))
        and not _WHEN.search(question)
    )


def holds_type(text: str, kind: str, counted: str = "") -> bool:
    """Whether a text holds an answer of that type (for counts: a number before the counted word).

    Example: holds_type("till länets 15 kommuner", "count", "kommun") -> True;
    holds_type("Remiss av SOU 2024:72", "date") -> False (a document's number dates nothing)
    """
    if kind in ("date", "day", "year", "count"):
        text = without_numbers(text)
    if kind == "date":
        return bool(ISO_DATE.search(text) or _YEAR.search(text) or _TIME_WORDS.search(text))
    if kind == "frequency":
        return bool(_FREQUENCY.search(text))
    if kind == "clause":
        return bool(pattern(_PATTERNS, "clause_span").match(text))
    if kind == "day":
        return bool(ISO_DATE.search(text) or TEXT_DATE.search(text))
    if kind == "year":
        return bool(_YEAR.search(text))
    if kind == "amount":
        return bool(MONEY.search(text))
    if kind == "money":
        # "Inga ekonomiska konsekvenser" answers "what does it cost?" as well as an amount does.
        return bool(MONEY.search(text) or pattern(_PATTERNS, "cost_words").search(text))
    if kind == "phone":
        return bool(PHONE.search(text))
    if kind == "email":
        return bool(EMAIL.search(text))
    if kind == "person":
        return bool(EMAIL.search(text)) or any(
            a.lower() not in _NOT_NAMES and b.lower() not in _NOT_NAMES
            for a, b in _NAME.findall(text)
        )
    if kind == "reference":
        return bool(pattern(_PATTERNS, "reference_label").search(text))
    if kind == "paragraph":
        return bool(pattern(_PATTERNS, "paragraph_label").search(text))
    if kind == "agent":
        return holds_type(text, "person") or bool(_AGENT.search(text))
    if kind == "count":
        lowered = text.lower()
        if (not counted or counted.startswith("år")) and re.search(
            rf"\b{_NUMBER_WORDS}{pattern_text(_PATTERNS, 'years_adjective')}", lowered
        ):
            return True  # "Strategin är treårig" counts years, not kommuner
        if not counted:
            return bool(re.search(rf"\b(\d+|{_NUMBER_WORDS})\b", lowered))
        return bool(
            re.search(rf"\b(\d+|{_NUMBER_WORDS})\s+(?:\w+\s+)?{re.escape(counted[:5])}", lowered)
        )
    return True


def counted_word(question: str) -> str:
    """The word a count question counts, lowercased.

    Example: counted_word("Hur många kommuner finns i länet?") -> "kommuner"
    """
    m = pattern(_PATTERNS, "counted_word").search(question)
    return m.group(1).lower() if m else ""
