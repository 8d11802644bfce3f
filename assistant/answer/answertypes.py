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
from assistant.language.text import ISO_DATE, TEXT_DATE
from assistant.language.vocabulary import word_list

_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (
        "reference",
        re.compile(
            r"\b(diarienummer|diarienr|ärendenummer|dnr|case number|reference number|registration number)\b",
            re.I,
        ),
    ),
    (
        "paragraph",
        re.compile(
            r"\b(vilken paragraf|vilket paragrafnummer|which paragraph|paragraph number|vilken §)",
            re.I,
        ),
    ),
    # "Hur stor budget …?", "how much funding …?": the size of a sum, so only an amount answers
    # it. A question of what something costs stays "money": "inga kostnader" answers it too.
    (
        "amount",
        re.compile(
            r"\b(hur (?:stor|stort|stora|mycket|höga?|högt)|vilket belopp|how much|how large|"
            r"what amount)\b[^?]*\b(budget\w*|pengar|belopp\w*|kronor|medel|anslag\w*|"
            r"tillskott\w*|bidrag\w*|avgift\w*|ersättning\w*|money|funding|fine|fee)",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\b(budget\w*|kostnad\w*|kostar|pengar|belopp\w*|kronor|how much money|cost\w*|funding|finansier\w*)\b",
            re.I,
        ),
    ),
    # "Vilken att-sats …?": the decision wording itself, a clause that starts with "att".
    (
        "clause",
        re.compile(
            r"\b(vilken|vilka|hur lyder|which|what)\b[^?]*\b(att-?sats\w*|decision clause\w*)", re.I
        ),
    ),
    ("phone", re.compile(r"\b(telefon\w*|direktnummer|direktnr|phone|telephone)\b", re.I)),
    ("email", re.compile(r"\b(e-post\w*|epost\w*|e-mail|email|mejl\w*|mail address)\b", re.I)),
    ("count", re.compile(r"\b(hur många(?! gånger)|how many|number of|antal\w*)\b", re.I)),
    # A day is asked for: "årligen" or "våren 2024" is no answer to "vilket datum".
    (
        "day",
        re.compile(
            r"\b(vilket datum|vilka datum|what date|which date|on what date|by what date)\b", re.I
        ),
    ),
    ("year", re.compile(r"\b(vilket år|vilka år|what year|which year|i vilket år)\b", re.I)),
    # subtle: "när det gäller" means "as regards", not "when".
    (
        "date",
        re.compile(
            r"\b(när(?! det gäller)|vilket datum|\w*datum\w*|sista (?:\w+)?dag\w*|svarsdag\w*|deadline\w*|when|what date|which date|by what date|by when|dated)\b",
            re.I,
        ),
    ),
    (
        "person",
        re.compile(
            r"\b(vem är|vilka personer|vilka ledamöter|vilken person|kontaktperson\w*|who is|who are|contact person|"
            r"vem (?:har )?(?:skrivit|skrev|undertecknat|signerat)|avsändar\w*|författar\w*|"
            r"who (?:wrote|signed|sent)|sender|author)\b",
            re.I,
        ),
    ),
    (
        "agent",
        re.compile(
            r"\b(vem|who|whom|vilka (?:ska|sitter|satt|ingår|ingick|står|har|är|kan|får|deltar|deltog|gav|lämnade|leder|ledde)|"
            r"(?:vilken|vilket|vilka) (?:\w+ )?(?:myndighet|myndigheter|nämnd|nämnder|instans|instanser|"
            r"organ|departement|aktör|aktörer)|which (?:\w+ )?(?:authority|agency|body|committee))\b",
            re.I,
        ),
    ),
    # Last, so that a two-part "Vem …, och hur ofta?" still asks for an agent first.
    # "Hur ofta följs planen upp?": a frequency ("årligen", "två gånger per år"), not a count.
    (
        "frequency",
        re.compile(
            r"\b(hur ofta|how often|how frequently|med vilken (?:frekvens|regelbundenhet)|"
            r"hur många gånger (?:per|om|i) (?:år|månad|vecka|kvartal))\b",
            re.I,
        ),
    ),
]
_TYPES_BY_NAME = dict(_TYPES)
_WORDS = "answer_words_sv.json"  # assistant/language/data/: where each list comes from
# Words that name the type itself; they are not the thing asked about. Compared as analysed
# terms (stemmed like the question), so "kontaktpersonen" and "avsändaren" meet them too.
TYPE_WORDS = frozenset(analyze(" ".join(word_list(_WORDS, "type_words")))) | {"e", "post"}

_NUMBER_WORDS = "(?:" + "|".join(map(re.escape, word_list(_WORDS, "number_words"))) + ")"
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TIME_WORDS = re.compile(
    r"\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
    r"våren|sommaren|hösten|vintern|årlig\w*|varje år|en gång per år|kvartal\w*|månad\w*)\b",
    re.I,
)
# How often something recurs, as Swedish and English documents say it.
_FREQUENCY = re.compile(
    r"\b(årlig\w*|varje (?:år|månad|vecka|kvartal|halvår|termin|mandatperiod)|"
    r"(?:en|två|tre|fyra|\d+) gånge?r? (?:per|om|i|varje) (?:år|månad|vecka|kvartal|halvår|termin)\w*|"
    r"varannan (?:vecka|månad)|vartannat år|månatlig\w*|månadsvis|kvartalsvis|veckovis|"
    r"halvårsvis|löpande|kontinuerlig\w*|regelbunde\w*|annual\w*|yearly|monthly|quarterly|"
    r"weekly|every (?:year|month|week|quarter))\b",
    re.I,
)
_AGENT = re.compile(
    r"(nämnd|styrelse|fullmäktige|utskott|ledning|samråd|huvudm[aä]n|region|kommun|förvaltning|"
    r"grupp|nätverk|råd\b|direktör|chef|ordförande|koordinator|beslutsfattare|myndighet|verket\b|"
    r"departement|inspektion|kommitté|delegation)",
    re.I,
)
_NOT_NAMES = frozenset(word_list(_WORDS, "not_names"))
_NAME = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?) ([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)\b"
)


_AUDIENCE_Q = re.compile(
    r"^(vem|vilka|who)\b.*\b(för|for)\s*\?\s*$|\b(för vem|för vilka|for whom)\b", re.I
)


def answer_type(question: str) -> str | None:
    """The first answer type the question asks for, or None for open questions.

    Example: answer_type("När ska återkoppling skickas?") -> "date"; answer_type("Vad är syftet?") -> None
    """
    if _AUDIENCE_Q.search(question):
        return "agent"  # "Vem är färdplanen skriven för?" asks for a group, not a named person
    for name, pattern in _TYPES:
        if pattern.search(question) and not (name == "date" and _subordinate_when(question)):
            return name
    return None


_OTHER_QUESTION = re.compile(
    r"^\s*(hur|vad|varför|vilken|vilket|vilka|vem|how|what|why|which|who)\b", re.I
)
_WHEN = re.compile(r"(^|,|\boch|\band|\bfram till|\buntil|\bby)\s*(när|when)\b", re.I)


def _subordinate_when(question: str) -> bool:
    """Whether the only date word is a "när"/"when" clause inside another question.

    Example: "Hur gick beslutsgången till när strategin behandlades?" -> True (asks how, not when);
    "Vem beslutade, och när?" -> False
    """
    without_when = re.sub(r"\b(när|when)\b", "", question, flags=re.I)
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
        return bool(re.match(r"^\W*(\d{1,2}[.)]\s*)?att\s", text, re.I))
    if kind == "day":
        return bool(ISO_DATE.search(text) or TEXT_DATE.search(text))
    if kind == "year":
        return bool(_YEAR.search(text))
    if kind == "amount":
        return bool(MONEY.search(text))
    if kind == "money":
        # "Inga ekonomiska konsekvenser" answers "what does it cost?" as well as an amount does.
        return bool(MONEY.search(text) or re.search(r"\bekonomisk\w*|\bkostnad\w*", text, re.I))
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
        return bool(re.search(r"\b(Diarie\w*|Dnr|Ärendenummer)\b.*\d", text))
    if kind == "paragraph":
        return bool(re.search(r"\b(Paragraf|§)\s*\d+", text))
    if kind == "agent":
        return holds_type(text, "person") or bool(_AGENT.search(text))
    if kind == "count":
        lowered = text.lower()
        if (not counted or counted.startswith("år")) and re.search(
            rf"\b{_NUMBER_WORDS}(årig|års)", lowered
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
    m = re.search(
        r"\b(?:hur många|how many|number of|antal(?:et)?(?: av)?)\s+(\w+)", question, re.I
    )
    return m.group(1).lower() if m else ""
