"""Swedish text analysis for search: words, Swedish and English stop words, Snowball stems with the
definite forms folded, and English domain words translated to Swedish with a glossary.

Does not: index or score anything (search/bm25.py does), or decide what a question is about.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from assistant.language.text import fold
from assistant.language.vocabulary import pattern, word_map

_WORD = re.compile(r"[0-9a-zåäöéüA-ZÅÄÖÉÜ]+")


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("swedish")


@cache
def stop_words() -> frozenset[str]:
    """Snowball's Swedish stop words plus question words and generic words of both languages
    (assistant/language/data/stopwords_extra.txt): never evidence of what a question is about."""
    from importlib import resources

    raw = (
        resources.files("assistant.language")
        .joinpath("data/stopwords_extra.txt")
        .read_text(encoding="utf-8")
    )
    extra = {w for line in raw.splitlines() if not line.startswith("#") for w in line.split()}
    return frozenset(_snowball_swedish()) | extra


def _snowball_swedish() -> tuple[str, ...]:
    """bm25s's copy of Snowball's Swedish stop words, read from its module file alone.

    subtle: ``import bm25s.stopwords`` runs bm25s/__init__, which imports scipy (~0.2 s, a
    fifth of an answerable ingest of 128 KB); the list module imports nothing itself.
    """
    import importlib.util

    spec = importlib.util.find_spec("bm25s")  # a top-level package: found, not imported
    where = spec.submodule_search_locations if spec else None
    file = Path(next(iter(where))) / "stopwords.py" if where else None
    loaded = importlib.util.spec_from_file_location("_bm25s_stopwords", file) if file else None
    if loaded is None or loaded.loader is None:
        from bm25s.stopwords import STOPWORDS_SWEDISH  # fails as it always did

        return tuple(STOPWORDS_SWEDISH)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return tuple(module.STOPWORDS_SWEDISH)


# Swedish abbreviations written in running text, read as the word they stand for ("t.ex.", "(ex
# kommunfullmäktige)" -> exempel).
_ABBREVIATIONS = word_map("text_words_sv.json", "expanded_abbreviations")

# Interrogative phrases: they say how the question asks, not what it is about.
_QUESTION_PHRASES = pattern("text_words_sv.json", "question_phrases")


def question_words(question: str) -> list[str]:
    """The analysed words of a Swedish question, without its interrogative phrases.

    Example: question_words("Vilka får beslutet och i vilket syfte?") -> ["beslut"]
    """
    text = _QUESTION_PHRASES.sub(" ", question)
    text = re.sub(r"\b(innan|förut|före)\b", "tidigare", text, flags=re.I)  # how documents say it
    return analyze(text)


@cache
def _folded_stop_words() -> frozenset[str]:
    """Stop words as typed without å/ä/ö ("ar", "nar", "pa"), for questions from a keyboard
    without them."""
    return frozenset(fold(w) for w in stop_words())


def analyze(text: str) -> list[str]:
    """Lowercase words minus stop words, Swedish-stemmed; hyphenated words also give their parts.

    Example: analyze("Vad beslutade kommunerna om kompetensförsörjningen?") -> ["beslut", "kommun", "kompetensförsörjning"]
    """
    words = []
    for raw in _WORD.findall(text.replace("-", " - ")):
        word = _ABBREVIATIONS.get(raw.lower(), raw.lower())
        if word in stop_words() or word in _folded_stop_words() or len(word) < 2:
            continue
        words.append(word)
    if not words:
        return []
    # subtle: Snowball is not idempotent ("remissvaret" -> "remissvar", but "remissvar" ->
    # "remissv"); a second pass makes the definite and indefinite forms meet.
    stemmer = _stemmer()
    return [_man(_definite(w)) for w in stemmer.stemWords(stemmer.stemWords(words))]


def _man(stem: str) -> str:
    """The irregular plural -män as -man: "huvudmän(nen)" -> the stem of "huvudman"."""
    if len(stem) > 4 and stem.endswith("mä"):
        return stem[:-1]
    return stem


def _definite(stem: str) -> str:
    # subtle: Snowball keeps the definite "-n" after a vowel (strategin, regionen -> region, but
    # strategin stays) and the definite neuter "-et" (beslutet, remissvaret), so "strategi" and
    # "strategin" would not meet. Drop the ending and stem what is left again, the same on both
    # sides: "remissvaret" -> "remissvar" -> "remissv", the stem of "remissvar";
    # "arbetsutskottet" -> "arbetsutskott" -> "arbetsutskot".
    if len(stem) > 5 and stem[-1] == "n" and stem[-2] in "aeiouyåäö":
        return str(_stemmer().stemWord(stem[:-1]))
    if len(stem) >= 6 and stem.endswith("et"):
        return str(_stemmer().stemWord(stem[:-2]))
    return stem


@cache
def glossary() -> dict[str, list[str]]:
    import json
    from importlib import resources

    raw = (
        resources.files("assistant.language")
        .joinpath("data/glossary_en_sv.json")
        .read_text(encoding="utf-8")
    )
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


@cache
def synonyms() -> dict[str, list[list[str]]]:
    """Analysed Swedish question word -> the analysed words documents use for it instead
    (assistant/language/data/synonyms_sv.json). Example: synonyms()["anställd"] -> [["tjänsteperson"], …]"""
    import json
    from importlib import resources

    raw = (
        resources.files("assistant.language")
        .joinpath("data/synonyms_sv.json")
        .read_text(encoding="utf-8")
    )
    out: dict[str, list[list[str]]] = {}
    for word, alternatives in json.loads(raw).items():
        stems = [] if word.startswith("_") else analyze(word)
        if stems:
            out.setdefault(stems[0], []).extend(analyze(a) for a in alternatives)
    return out


@cache
def _longest_phrase() -> int:
    """Words in the glossary's longest English phrase (computed once, not per question)."""
    return max((len(k.split()) for k in glossary()), default=1)


def translate_terms(question: str) -> list[str]:
    """Swedish terms for the English domain words in a question (longest phrase first).

    Example: translate_terms("When must feedback be sent?") -> ["återkoppling", "skick"]
    """
    return translate(question)[0]


def translate(question: str) -> tuple[list[str], str]:
    """(Swedish terms for the glossary phrases found, the rest of the question), longest phrase first.

    Example: translate("the roadmap in Västerbotten") -> (["färdplan"], "the in Västerbotten")
    """
    words = re.findall(r"[0-9A-Za-zÅÄÖåäöéü]+(?:[-'][0-9A-Za-zÅÄÖåäöéü]+)*", question)
    lowered = [w.lower() for w in words]
    longest = _longest_phrase()
    found: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(lowered[i : i + size])
            entry = glossary().get(phrase) or (
                glossary().get(_lemma(phrase)) if size == 1 else None
            )
            if entry:
                for swedish in entry:
                    found.extend(analyze(swedish))
                i += size
                break
        else:
            rest.append(words[i])
            i += 1
    return found, " ".join(rest)


def _lemma(word: str) -> str:
    """A guess at an English word's dictionary form, for glossary look-up only.

    Example: _lemma("submitting") -> "submit"; _lemma("proposed") -> "propose"; _lemma("bodies") -> "body"
    """
    candidates = []
    if word.endswith("ies") and len(word) > 4:
        candidates.append(word[:-3] + "y")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) >= 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # "submitting" -> "submitt" -> "submit"
    return next((c for c in candidates if c in glossary()), word)
