"""Places, bodies, document types, dates and diarienummer read from the text; the gazetteer.

Does not: decide what a question is about (retrieval.py uses ``Gazetteer.find`` for that).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from assistant.textutil import find_dates, fold

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
    """Sweden's 21 län/regions and 290 municipalities, from assistant/data/gazetteer.json."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.lan = {entry["code"]: entry for entry in data["lan"]}
        self.kommuner = {entry["code"]: entry for entry in data["kommuner"]}
        self._patterns: list[tuple[re.Pattern[str], Place]] = []
        self._folded: list[tuple[re.Pattern[str], Place]] = []  # for names typed without å/ä/ö
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
                pattern = re.compile(
                    rf"(?:\b[Ii] {re.escape(name)}\b|\b{re.escape(entry['official'])}\b|\b{re.escape(name)}s? kommun\b)"
                )
            else:
                pattern = _name_pattern(name)
            self._patterns.append((pattern, place))
            self._add(entry["official"], place)
            if name not in _AMBIGUOUS and len(name) >= 5:
                self._folded.append((_name_pattern(fold(name)), place))

    def _add(self, name: str, place: Place) -> None:
        self._patterns.append((_name_pattern(name), place))
        if len(name) >= 5:
            self._folded.append((_name_pattern(fold(name)), place))

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
        for patterns, haystack in ((self._patterns, text), (self._folded, folded_text)):
            for pattern, place in patterns:
                match = pattern.search(haystack)
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


def _name_pattern(name: str) -> re.Pattern[str]:
    # subtle: genitive "Enköpings" must match, and so must compounds that start with a capitalised
    # place ("Alingsåsärendet", "Gävleborgsdokumenten"), but not a place inside another word.
    tail = r"(?:s?[a-zåäö]{4,})?" if len(name) >= 5 and name[:1].isupper() else ""
    return re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(name)}s?{tail}(?![\wåäöÅÄÖ])")


@cache
def gazetteer() -> Gazetteer:
    raw = resources.files("assistant").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    return Gazetteer(json.loads(raw))


_BODY = re.compile(
    r"\b((?:[A-ZÅÄÖ][a-zåäö]+- och )?[A-ZÅÄÖa-zåäö]*(?:nämnden|styrelsen|styrelsens arbetsutskott|fullmäktige)"
    r"|[Ss]ystemledningen(?: för [A-ZÅÄÖ][\wåäö ]+?(?= i | skickas|,))?|(?:[Rr]egionala )?[Ss]amrådet? HSVO|Nätverk Välfärd|Länsledning Välfärd)\b"
)
_DIARIE = re.compile(
    r"\b(?:Diarie(?:r)?n(?:umme)?r|Dnr|Ärendenummer)[:.]?\s*([A-ZÅÄÖ]{0,4}\s?\d{2,4}[./-]\d{1,5}(?:\s?[A-ZÅÄÖ]{2,5}\b)?)"
)

DOC_TYPES = (
    "protokollsutdrag",
    "tjänsteskrivelse",
    "missiv",
    "strategi",
    "remissvar",
    "rekommendation",
    "beslutsförslag",
)


def document_type(opener: str, title: str, text: str) -> str:
    """The kind of document a sub-document is, from how it opens and what it says.

    Example: document_type("paragraph", "Paragraf 70 – …", "…") -> "protokollsutdrag"
    """
    lowered = text.lower()
    if opener == "paragraph" or "protokoll" in lowered[:300]:
        return "protokollsutdrag"
    if opener == "date" or "förslag till hantering" in lowered or "missiv" in title.lower():
        return "missiv"
    if "innehållsförteckning" in lowered or title.lower().startswith("strategi för samverkan 2024"):
        return "strategi"
    if opener == "office":
        return "tjänsteskrivelse"
    if title.lower().startswith("rekommendation"):
        return "rekommendation"
    if lowered.count("remissvar") >= 2:
        return "remissvar"
    if (
        "förslag till beslut" in lowered
        or "förslag till innehåll i beslutet" in lowered
        or "beslutsformulering" in lowered
    ):
        return "beslutsförslag"
    if "strategi" in title.lower():
        return "strategi"
    return "dokument"


def bodies(text: str) -> list[str]:
    """Decision-making bodies named in a text, in order, each once.

    Example: bodies("Vård- och omsorgsnämnden godkänner …") -> ["Vård- och omsorgsnämnden"]
    """
    seen: dict[str, str] = {}
    for m in _BODY.finditer(text):
        name = m.group(1).strip()
        if len(name) > 4 and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def describe(
    document: str, file_text: str, sub_text: str, title: str, opener: str
) -> dict[str, Any]:
    """Metadata for one sub-document, as flat values Chroma can filter on.

    Example: describe("enkoping-….txt", …)["lan"] -> "03"
    """
    g = gazetteer()
    stem_words = " ".join(re.split(r"[-_.]", document.rsplit("/", 1)[-1]))
    from_name = [p for p in g.find(stem_words) if p.kind != "foreign"]
    places = from_name + [p for p in g.find(file_text) if p.kind != "foreign"]
    kommuner = _unique(p.code for p in places if p.kind == "kommun")
    lans = _unique([p.lan for p in places])
    primary = from_name[0] if from_name else (places[0] if places else None)
    orgs = _unique(
        [g.kommuner[c]["official"] for c in kommuner]
        + [g.lan[c]["region"] for c in lans if c in g.lan]
    )
    if primary is not None and primary.kind == "lan":
        primary_org = g.lan[primary.lan]["region"]
    else:
        primary_org = primary.official if primary else ""
    body_list = bodies(sub_text)
    dates = find_dates(sub_text)
    diarie = _DIARIE.search(sub_text) or _DIARIE.search(file_text)
    return {
        "org": primary_org,
        "orgs": "|".join(orgs),
        "kommuner": "|".join(kommuner),
        "lan": primary.lan if primary else (lans[0] if lans else ""),
        "lans": "|".join(lans),
        "lan_name": g.lan_name(primary.lan) if primary else "",
        "body": body_list[0] if body_list else "",
        "bodies": "|".join(body_list),
        "doc_type": document_type(opener, title, sub_text),
        "date": dates[0].isoformat() if dates else "",
        "dates": "|".join(sorted({d.isoformat() for d in dates})),
        "year": dates[0].year if dates else 0,
        "diarienr": diarie.group(1).strip() if diarie else "",
    }


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
