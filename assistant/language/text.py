"""Small text helpers shared by every step: whitespace, sentences, Swedish dates, folding.

Does not: know about files, sections or the index.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from assistant.language.vocabulary import pattern_text, word_list, word_map

_DATES = "dates_sv.json"

_WS = re.compile(r"\s+")

# The one date grammar (assistant/language/data/dates_sv.json): month names and written shapes.
SWEDISH_MONTHS = {name: n for n, name in enumerate(word_list(_DATES, "swedish_months"), start=1)}
ENGLISH_MONTHS = {name: int(n) for name, n in word_map(_DATES, "english_months").items()}
_MONTH_NAMES = "|".join(list(SWEDISH_MONTHS) + list(ENGLISH_MONTHS))
ISO_DATE = re.compile(pattern_text(_DATES, "iso_date"))
TEXT_DATE = re.compile(
    rf"\b([0-3]?\d)(?:\s|&nbsp;)+({_MONTH_NAMES})(?:\s+(20\d\d|19\d\d))?\b", re.IGNORECASE
)
SHORT_DATE = re.compile(pattern_text(_DATES, "short_date"))  # 220303 in file names of drafts
# A line that is only an ISO date ("2024-03-15").
DATE_ONLY = re.compile(rf"^(?:{ISO_DATE.pattern})$")

# Abbreviations whose dot ends no sentence ("t.ex.", and Swedish legal citation: "4 kap. 2 §",
# "prop. 2024/25:42"), from language/data/text_words_sv.json.
_ABBREVIATIONS = word_list("text_words_sv.json", "abbreviations")


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace (incl. non-breaking spaces) to one space.

    Example: "a\u00a0 b\n c" -> "a b c"
    """
    return _WS.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def fold(text: str) -> str:
    """Lowercase and strip accents, for matching names typed without å/ä/ö.

    Example: "Enköping" -> "enkoping"
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping Swedish abbreviations intact. Linear in the text.

    Example: "Det gäller t.ex. skolan. Nästa mening." -> ["Det gäller t.ex. skolan.", "Nästa mening."]
    """
    text = normalize_ws(text)
    if not text:
        return []
    # subtle: the dots of abbreviations are masked with a character of the same length, so every
    # split point in the masked text is the same offset in the source text (no re-alignment).
    masked = _ABBREVIATION_RE.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(masked):
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


# A whole word only: the "ex." of "komplex." ends its sentence.
_ABBREVIATION_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + ")", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(•-])")


def iso_dates(text: str) -> list[str]:
    """Every ISO date of the text as written, in order.

    Example: iso_dates("beslut 2024-03-15, ej 2024-13-01") -> ["2024-03-15"]
    """
    return [m.group(0) for m in ISO_DATE.finditer(text)]


def find_dates(text: str) -> list[date]:
    """Every date written as ISO or as Swedish words, in order.

    Example: "den 24 mars 2023 och 2023-08-31" -> [date(2023, 3, 24), date(2023, 8, 31)]
    """
    found: list[tuple[int, date]] = []
    for m in ISO_DATE.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    for m in TEXT_DATE.finditer(text):
        if not m.group(3):
            continue
        month = SWEDISH_MONTHS.get(m.group(2).lower()) or ENGLISH_MONTHS.get(m.group(2).lower())
        try:
            found.append((m.start(), date(int(m.group(3)), month or 1, int(m.group(1)))))
        except ValueError:
            continue
    return [d for _, d in sorted(found, key=lambda item: item[0])]


def canonical_dates(text: str) -> str:
    """Rewrite Swedish word dates as ISO so "15 mars 2024" and "2024-03-15" compare equal.

    Example: "senast 31 december 2021" -> "senast 2021-12-31"
    """

    def repl(m: re.Match[str]) -> str:
        if not m.group(3):
            return m.group(0)
        month = SWEDISH_MONTHS.get(m.group(2).lower()) or ENGLISH_MONTHS.get(m.group(2).lower())
        try:
            return date(int(m.group(3)), month or 1, int(m.group(1))).isoformat()
        except ValueError:
            return m.group(0)

    return TEXT_DATE.sub(repl, text)


def normalize_for_match(text: str) -> str:
    """Case, whitespace, dashes and date forms folded, for comparing facts with answers.

    Example: "Strategi 2024–2026, 15 mars 2024" -> "strategi 2024-2026, 2024-03-15"
    """
    text = (
        text.replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u2212", "-")
        .replace("\u2011", "-")
    )
    text = text.replace("\u201d", '"').replace("\u201c", '"').replace("\u2019", "'")
    text = canonical_dates(normalize_ws(text))
    text = re.sub(r"\s*-\s*(?=\d)", "-", text)
    return text.lower()


def is_swedish(text: str) -> bool:
    """Guess whether a question is Swedish (default) or English, by their function words.

    Example: is_swedish("Who is the director of Region Gävleborg?") -> False
    """
    words = re.findall(r"[a-zåäö]+", text.lower())
    english = sum(w in _ENGLISH_WORDS for w in words)
    swedish = sum(w in _SWEDISH_WORDS for w in words)
    if english == swedish:
        return bool(re.search(r"[åäö]", text.lower())) or english == 0
    return swedish > english


_ENGLISH_WORDS = frozenset(word_list("text_words_sv.json", "english_function_words"))
_SWEDISH_WORDS = frozenset(word_list("text_words_sv.json", "swedish_function_words"))
