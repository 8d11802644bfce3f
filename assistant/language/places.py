"""Sweden's places: the gazetteer of 21 län/regions and 290 municipalities, and finding the places a
text names (language/data/gazetteer.json).

Does not: decide what a document is about (ingest/metadata.py) or what a question routes to
(search/).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from assistant.language.text import fold

# Municipality names that are also everyday words: only matched with "kommun"/"i" around them.
_AMBIGUOUS = {
    "Vara",
    "Mark",
    "Ale",
    "Kil",
    "Eda",
    "Nora",
    "Sala",
    "Mora",
    "Boden",
    "Salem",
    "Åre",
    "Lund",
    "Bjuv",
    "Tranås",
    "Habo",
    "Tidaholm",
    "Torsby",
}
# English names of Swedish places that users type.
EXONYMS = {
    "Gothenburg": "Göteborg",
    "Scania": "Skåne",
    "Dalecarlia": "Dalarna",
    "Lapland": "Norrbotten",
}
_FOREIGN = {
    "norge",
    "norway",
    "danmark",
    "denmark",
    "finland",
    "tyskland",
    "germany",
    "oslo",
    "köpenhamn",
    "copenhagen",
    "helsingfors",
    "helsinki",
    "london",
    "paris",
    "berlin",
    "europa",
    "europe",
    "island",
    "iceland",
}


@dataclass(frozen=True)
class Place:
    kind: str  # kommun | lan | foreign
    name: str  # as used in speech: "Enköping", "Uppsala län"
    official: str  # "Enköpings kommun", "Region Uppsala"
    lan: str  # county code, "" for foreign places
    code: str  # kommunkod or länskod


class Gazetteer:
    """Sweden's 21 län/regions and 290 municipalities, from assistant/language/data/gazetteer.json."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.lan = {entry["code"]: entry for entry in data["lan"]}
        self.kommuner = {entry["code"]: entry for entry in data["kommuner"]}
        # (pattern, place, literals): a pattern can only match a text holding one of its literals,
        # so ~1,300 regexes cost ~1,300 substring checks on a long file and a few real searches.
        self._patterns: list[tuple[_Lazy, Place, tuple[str, ...]]] = []
        self._folded: list[tuple[_Lazy, Place, tuple[str, ...]]] = []  # without å/ä/ö
        for entry in data["lan"]:
            place = Place("lan", entry["name"], entry["region"], entry["code"], entry["code"])
            names = {entry["name"], entry["region"], entry["short"], *entry.get("aliases", [])}
            names |= {f"Region {entry['short']}", f"{entry['short']}s län"}
            for name in sorted(names, key=len, reverse=True):
                self._add(name, place)
        for entry in data["kommuner"]:
            place = Place("kommun", entry["name"], entry["official"], entry["lan"], entry["code"])
            name = entry["name"]
            if name in _AMBIGUOUS:
                pattern = _Lazy(
                    rf"(?:\b[Ii] {re.escape(name)}\b|\b{re.escape(entry['official'])}\b|\b{re.escape(name)}s? kommun\b)"
                )
            else:
                pattern = _name_pattern(name)
            self._patterns.append((pattern, place, (name, entry["official"])))
            self._add(entry["official"], place)
            if name not in _AMBIGUOUS and len(name) >= 5:
                self._folded.append((_name_pattern(fold(name)), place, (fold(name),)))
        self._by_literal = _positions_by_literal(self._patterns)
        self._folded_by_literal = _positions_by_literal(self._folded)

    def _add(self, name: str, place: Place) -> None:
        self._patterns.append((_name_pattern(name), place, (name,)))
        if len(name) >= 5:
            self._folded.append((_name_pattern(fold(name)), place, (fold(name),)))

    def find(self, text: str) -> list[Place]:
        """Places named in a text, most specific first, each once.

        Example: find("kommunstyrelsen i Enköping") -> [Place(kind="kommun", name="Enköping", …)]
        """
        found: dict[tuple[str, str], tuple[int, Place]] = {}
        for english, swedish in EXONYMS.items():
            text = re.sub(rf"\b{english}\b", swedish, text)
        text = re.sub(r"\b([A-ZÅÄÖ][a-zåäö]+) County\b", r"\1s län", text)
        folded_text = fold(text)
        spans: dict[tuple[str, str], tuple[int, int]] = {}
        named: list[
            tuple[int, int, str]
        ] = []  # every place written out in full: (start, end, code)
        aligned = len(folded_text) == len(text)
        for patterns, by_literal, haystack in (
            (self._patterns, self._by_literal, text),
            (self._folded, self._folded_by_literal, folded_text),
        ):
            folded = haystack is folded_text
            for position in _present(by_literal, haystack):
                pattern, place, _ = patterns[position]
                if folded and aligned:
                    match = _typed_plain(pattern, folded_text, text, named, place.code)
                else:
                    match = pattern.search(haystack)
                    if match and not folded:
                        named += [(m.start(), m.end(), place.code) for m in pattern.finditer(text)]
                key = (place.kind, place.code)
                if match and (
                    key not in spans or match.end() - match.start() > spans[key][1] - spans[key][0]
                ):
                    found[key] = (match.start(), place)  # the longest way a place is named wins
                    spans[key] = match.span()
        # A match inside a longer one is not a place of its own ("Gävle" in "Gävleborgs län").
        for key, (start, end) in list(spans.items()):
            inside = [o for o, (s, e) in spans.items() if o != key and s <= start and end <= e]
            longer = any(spans[o][1] - spans[o][0] > end - start for o in inside)
            tie_with_lan = key[0] == "kommun" and any(o[0] == "lan" for o in inside)
            if longer or tie_with_lan:
                found.pop(key, None)
        for word in re.findall(r"[A-Za-zÅÄÖåäö]+", text):
            if word.lower() in _FOREIGN:
                found[("foreign", word.lower())] = (
                    text.find(word),
                    Place("foreign", word, word, "", word.lower()),
                )
        return [
            p
            for _, p in sorted(found.values(), key=lambda item: (item[0], item[1].kind != "kommun"))
        ]

    def kommun_by_name(self, name: str) -> dict[str, Any] | None:
        key = fold(name.strip())
        for entry in self.kommuner.values():
            if key in {fold(entry["name"]), fold(entry["official"])}:
                return entry
        return None

    def lan_name(self, code: str) -> str:
        return self.lan[code]["name"] if code in self.lan else ""

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Closest official names, for 'did you mean' messages."""
        from difflib import get_close_matches

        names = [e["official"] for e in self.kommuner.values()] + [
            e["region"] for e in self.lan.values()
        ]
        by_fold = {fold(x): x for x in names}
        return [by_fold[x] for x in get_close_matches(fold(name), list(by_fold), n=n, cutoff=0.6)]


def _positions_by_literal(
    patterns: list[tuple[_Lazy, Place, tuple[str, ...]]],
) -> dict[str, list[tuple[str, list[int]]]]:
    """The patterns' literals by their first three characters ("" for shorter ones), each with the positions
    of the patterns that need it (a name shared by several entries is looked for once)."""
    positions: dict[str, list[int]] = {}
    for position, (_, _, literals) in enumerate(patterns):
        for literal in literals:
            positions.setdefault(literal, []).append(position)
    out: dict[str, list[tuple[str, list[int]]]] = {}
    for literal, where in positions.items():
        out.setdefault(literal[:3] if len(literal) >= 3 else "", []).append((literal, where))
    return out


def _present(by_start: dict[str, list[tuple[str, list[int]]]], haystack: str) -> list[int]:
    """Positions, in order, of the patterns one of whose literals the haystack holds.

    subtle: the same patterns, in the same order, as testing each pattern's literals in turn;
    only the literals whose first three characters occur in the text are looked for, so a
    one-line text costs a few dozen checks instead of ~2,900 generator calls.
    """
    starts = {haystack[i : i + 3] for i in range(len(haystack))} | {""}  # "": names under 3
    return sorted(
        {
            p
            for start in starts & by_start.keys()
            for literal, where in by_start[start]
            if literal in haystack
            for p in where
        }
    )


def _typed_plain(
    pattern: _Lazy,
    folded_text: str,
    text: str,
    named: list[tuple[int, int, str]],
    code: str,
) -> re.Match[str] | None:
    """The first match of a folded name that was typed without å/ä/ö, not one written with them
    ("Håbo kommun" is not "Habo kommun"), nor one another place's own name covers."""
    for match in pattern.finditer(folded_text):
        start, end = match.span()
        written = text[start:end]
        if fold(written) != written.lower():
            continue
        if any(a < end and start < b for a, b, other in named if other != code):
            continue
        return match
    return None


class _Lazy:
    """A regex compiled on its first use. The gazetteer holds about 2,500 patterns and a question
    or a file needs the few whose literal it holds: compiling them all took ~0.45 s of every
    process's start (a cold `assistant ask`)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)


def _name_pattern(name: str) -> _Lazy:
    # subtle: genitive "Enköpings" must match, and so must compounds that start with a capitalised
    # place ("Alingsåsärendet", "Gävleborgsdokumenten"), but not a place inside another word.
    tail = r"(?:s?[a-zåäö]{4,})?" if len(name) >= 5 and name[:1].isupper() else ""
    return _Lazy(rf"(?<![\wåäöÅÄÖ]){re.escape(name)}s?{tail}(?![\wåäöÅÄÖ])")


@cache
def gazetteer() -> Gazetteer:
    raw = (
        resources.files("assistant.language")
        .joinpath("data/gazetteer.json")
        .read_text(encoding="utf-8")
    )
    return Gazetteer(json.loads(raw))
