"""Check a generated answer sentence by sentence against the evidence sentences it cites.

A sentence survives only if it cites at least one evidence id ([S1] …) that exists, and every
number, date, amount, proper name, organisation or deciding body, place, e-mail or web address and
quoted text in it occurs in the sentences it cites. Dates compare in any written form ("15 mars 2024" = "2024-03-15"), names by
their folded stem ("Enköpings" = "Enköping"). Deterministic: no model, no similarity threshold.

Does not: call a language model, renumber citations or build the Answer (generator.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.language.places import gazetteer
from assistant.language.shapes import EMAIL
from assistant.language.text import (
    ISO_DATE,
    fold,
    iso_dates,
    normalize_for_match,
    normalize_ws,
    split_sentences,
)
from assistant.language.vocabulary import word_list

ABSTAIN = "EJ I DOKUMENTEN"

_IDS = re.compile(r"[\[(]\s*(S\s*\d+(?:\s*(?:[,;]|och|and)?\s*S?\s*\d+)*)\s*[\])]", re.IGNORECASE)
_IDS_AFTER_STOP = re.compile(r"([.!?])((?:\s*[\[(]\s*S\s*\d[^\])]*[\])])+)", re.IGNORECASE)
_ID_NUMBER = re.compile(r"\d+")
_WORD_OR_NUMBER = re.compile(r"[^\W_]{2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{3,})[\"“”«»„]")
_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)
# Deciding and executive bodies, by the words Swedish public administration ends their names in
# (assistant/language/data/administration_sv.json, not words of our documents): lowercase, so no
# name check sees them, yet "kommunstyrelsen" for "kommunfullmäktige" is a wrong fact.
_BODY = re.compile(
    rf"^\w*(?:{'|'.join(word_list('administration_sv.json', 'body_words'))})"
    r"(?:n|en|et|s|ns|ens|ets|er|erna)?$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(rf"{EMAIL.pattern}|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_LABEL = re.compile(r"^(?:svar|answer)\s*:\s*", re.IGNORECASE)  # "Svar: …" from the model
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}\b)")


@dataclass(frozen=True)
class CheckedSentence:
    text: str  # the sentence as generated, without its ids
    ids: tuple[int, ...]  # evidence numbers it cites (1-based, as in [S1])
    missing: tuple[str, ...] = ()  # facts not found in the cited evidence; empty = supported

    @property
    def supported(self) -> bool:
        return bool(self.ids) and not self.missing


@dataclass(frozen=True)
class CheckedAnswer:
    sentences: tuple[CheckedSentence, ...] = ()
    abstained: bool = False  # the model answered exactly EJ I DOKUMENTEN
    kept: tuple[CheckedSentence, ...] = field(default=())

    @property
    def dropped(self) -> int:
        return len(self.sentences) - len(self.kept)


def check_answer(text: str, evidence: Sequence[str]) -> CheckedAnswer:
    """Split ``text`` into sentences and check each against the evidence it cites.

    Example: check_answer("Beslutet togs 2024-03-15 [S1].", ["… daterad 15 mars 2024."]).kept
    holds the sentence; with "2024-04-15" it is dropped.
    """
    text = _LABEL.sub("", text.strip())
    if not text or _is_abstention(text):
        return CheckedAnswer(abstained=bool(text))
    checked = tuple(check_sentence(s, evidence) for s in _sentences(text))
    return CheckedAnswer(checked, False, tuple(s for s in checked if s.supported))


def check_sentence(sentence: str, evidence: Sequence[str]) -> CheckedSentence:
    ids = tuple(dict.fromkeys(_cited_ids(sentence)))
    bare = normalize_ws(_IDS.sub(" ", sentence))
    bare = re.sub(r"\s+([.,;:!?])", r"\1", bare)
    if not _WORD_OR_NUMBER.search(bare):  # ". [S1][S2]": ids with nothing said
        return CheckedSentence(bare, ids, ("says nothing",))
    if not ids or any(i < 1 or i > len(evidence) for i in ids):
        return CheckedSentence(bare, (), ("no evidence id",) if not ids else ("unknown id",))
    cited = " ".join(evidence[i - 1] for i in ids)
    return CheckedSentence(bare, ids, tuple(unsupported_facts(bare, cited)))


def unsupported_facts(sentence: str, cited: str) -> list[str]:
    """The facts of ``sentence`` (dates, numbers, names, places, quotes) that ``cited`` lacks."""
    missing: list[str] = []
    said, source = _numeric_form(sentence), _numeric_form(cited)
    source_dates = set(iso_dates(source))
    for iso in iso_dates(said):
        if iso not in source_dates:
            missing.append(iso)
    source_numbers = set(_NUMBER.findall(source))
    for number in _NUMBER.findall(ISO_DATE.sub(" ", said)):
        if number not in source_numbers and number.replace(",", ".") not in source_numbers:
            missing.append(number)
    for address in _ADDRESS.findall(sentence):
        if address.rstrip(".,;:)").lower() not in cited.lower():
            missing.append(address)
    for quote in _QUOTED.findall(sentence):
        if normalize_for_match(quote).strip(" .,") not in normalize_for_match(cited):
            missing.append(f'"{quote}"')
    source_words = {fold(w) for w in _WORD.findall(cited)}
    bodies = [w for w in _WORD.findall(sentence) if _BODY.match(w)]
    for name in dict.fromkeys(_names(sentence) + bodies):
        if not _word_supported(fold(name), source_words):
            missing.append(name)
    wording = _unsupported_wording(sentence, source_words)
    if wording:
        missing.append(wording)
    source_places = {p.code for p in gazetteer().find(cited)}
    for place in gazetteer().find(sentence):
        named = all(_word_supported(fold(w), source_words) for w in _WORD.findall(place.name))
        if place.code not in source_places and not named:
            missing.append(place.name)
    return list(dict.fromkeys(missing))


def lost_facts(quotes_answer: str, generated: str) -> list[str]:
    """Dates, numbers of 3+ digits and addresses the extractive answer gives and ``generated`` lacks.

    A generated answer must not know less than the quotes it replaces: "2023" for "24 mars 2023"
    loses the date. Example: lost_facts("Beslut 24 mars 2023.", "Beslut 2023 [1].") -> ["2023-03-24"]
    """
    said, given = _numeric_form(generated), _numeric_form(quotes_answer)
    lost = [d for d in iso_dates(given) if d not in iso_dates(said)]
    numbers = set(_NUMBER.findall(said))
    lost += [
        n for n in _NUMBER.findall(ISO_DATE.sub(" ", given)) if len(n) >= 3 and n not in numbers
    ]
    lost += [a for a in _ADDRESS.findall(quotes_answer) if a.lower() not in generated.lower()]
    return list(dict.fromkeys(lost))


def _unsupported_wording(sentence: str, source_words: set[str]) -> str:
    """A sentence must say what its quotes say in mostly their words: at least half of its content
    words (4+ letters) stand in the quotes, inflection aside. "Bevisen besvarar frågan." fails."""
    words = [
        w for w in (fold(x) for x in _WORD.findall(sentence)) if len(w) >= 4 and w not in _FUNCTION
    ]
    stems = {w[:5] for w in source_words if len(w) >= 4}
    found = sum(_word_supported(w, source_words) or w[:5] in stems for w in words)
    if len(words) >= 2 and found * 2 < len(words):
        return f"wording: {len(words) - found} of {len(words)} words not in the quote"
    return ""


# Function words of 4+ letters (folded), Swedish and English: they say nothing about the sources.
_FUNCTION = frozenset(word_list("function_words.json", "claim_function_words"))


def _numeric_form(text: str) -> str:
    """Dates as ISO, dashes as '-', '1 000' as '1000', so numbers compare as written facts."""
    return _THOUSANDS.sub("", normalize_for_match(text))


def _names(sentence: str) -> list[str]:
    """Capitalised words and acronyms; the first word counts only when it is an acronym."""
    words = _WORD.findall(sentence)
    names = []
    for n, word in enumerate(words):
        acronym = len(word) >= 2 and word.isupper()
        if acronym or (n > 0 and word[0].isupper()):
            names.append(word)
    return names


def _word_supported(word: str, source_words: set[str]) -> bool:
    """A name is supported by the same word or an inflection of it ("Enköping" ~ "Enköpings")."""
    if word in source_words:
        return True
    stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
    return any(w.startswith(stem) or (len(w) >= 4 and stem.startswith(w)) for w in source_words)


def _cited_ids(sentence: str) -> list[int]:
    return [int(n) for m in _IDS.finditer(sentence) for n in _ID_NUMBER.findall(m.group(1))]


def _sentences(text: str) -> list[str]:
    """Sentences and list lines; ids written after the full stop stay with their sentence."""
    parts: list[str] = []
    text = _IDS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    for line in re.split(r"\n+|(?<=\])\s+(?=[-•*]\s)", text):
        for sentence in split_sentences(line.strip().lstrip("-•* ")):
            if parts and _IDS.fullmatch(sentence.strip(" .")):
                parts[-1] = f"{parts[-1]} {sentence}"
            elif sentence.strip():
                parts.append(sentence)
    return parts


def _is_abstention(text: str) -> bool:
    return fold(text).strip(" .!\"'") == fold(ABSTAIN)
