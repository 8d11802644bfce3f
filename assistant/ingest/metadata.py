"""Organisation, län, bodies, document types, dates and diarienummer of a document, read from its text.

Does not: hold the gazetteer (language/places.py) or decide what a question is about (search/).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.documents import ChunkMetadata
from assistant.language.places import Place, gazetteer
from assistant.language.shapes import designations, designations_in_name
from assistant.language.text import find_dates, fold
from assistant.language.vocabulary import pattern, word_list

# A decision or collaboration body by its proper name ("Vård- och omsorgsnämnden", "Nätverk X"),
# from assistant/language/data/administration_sv.json like every other list of bodies.
_BODY = pattern("administration_sv.json", "body_name")
# Where a sub-document says what it is: a designation there ("Remiss SOU 2024:60 …") names the
# document itself; one further down is usually a reference to another. The file's name may carry
# it too ("sou-2024-65.pdf", shapes.designations_in_name): web archives name pages so.
OPENING_CHARS = 400
_DIARIE = pattern("administration_sv.json", "case_number")  # "Dnr RS 2023/456"

_KINDS = "document_kinds_sv.json"  # assistant/language/data/: how a document shows its kind


def _says(text: str, block: str) -> bool:
    return any(words in text for words in word_list(_KINDS, block))


def document_type(opener: str, title: str, text: str) -> str:
    """The kind of document a sub-document is, from how it opens and what it says (its words:
    assistant/language/data/document_kinds_sv.json).

    Example: document_type("paragraph", "Paragraf 70 – …", "…") -> "protokollsutdrag"
    """
    lowered, titled = text.lower(), title.lower()
    if opener == "paragraph" or _says(lowered[:300], "minutes_words"):
        return "protokollsutdrag"
    if (
        opener == "date"
        or _says(lowered, "cover_letter_phrases")
        or _says(titled, "cover_letter_title_words")
    ):
        return "missiv"
    if _says(lowered, "strategy_phrases"):
        return "strategi"
    if opener == "office":
        return "tjänsteskrivelse"
    if titled.startswith(word_list(_KINDS, "recommendation_title_starts")):
        return "rekommendation"
    if any(lowered.count(w) >= 2 for w in word_list(_KINDS, "response_words")):
        return "remissvar"
    if _says(lowered, "proposal_phrases"):
        return "beslutsförslag"
    if _says(titled, "strategy_title_words"):
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
) -> ChunkMetadata:
    """Metadata for one sub-document.

    Example: describe("enkoping-….txt", …).lan -> "03"
    """
    g = gazetteer()
    stem_words = " ".join(re.split(r"[-_.]", document.rsplit("/", 1)[-1]))
    from_name = [p for p in g.find(stem_words) if p.kind != "foreign"]
    places = from_name + list(_places_in(file_text))
    kommuner = _unique(p.code for p in places if p.kind == "kommun")
    lans = _unique([p.lan for p in places])
    primary = from_name[0] if from_name else (places[0] if places else None)
    if primary is not None and primary.kind == "lan" and len(places) > len(from_name):
        # "uppsala-protokoll.txt" names the län and its seat alike: the text decides which.
        first = places[len(from_name)]
        seat = (
            fold(first.name) == fold(g.lan[primary.lan]["short"]) if primary.lan in g.lan else False
        )
        if first.kind == "kommun" and first.lan == primary.lan and seat:
            primary = first
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
    diarie = _DIARIE.search(sub_text) or _first_diarie(file_text)
    return ChunkMetadata(
        org=primary_org,
        orgs=tuple(orgs),
        kommuner=tuple(kommuner),
        lan=primary.lan if primary else (lans[0] if lans else ""),
        lans=tuple(lans),
        lan_name=g.lan_name(primary.lan) if primary else "",
        body=body_list[0] if body_list else "",
        bodies=tuple(body_list),
        doc_type=document_type(opener, title, sub_text),
        date=dates[0].isoformat() if dates else "",
        dates=tuple(sorted({d.isoformat() for d in dates})),
        year=dates[0].year if dates else 0,
        diarienr=diarie.group(1).strip() if diarie else "",
        designations=tuple(
            dict.fromkeys(
                designations(f"{title}\n{sub_text[:OPENING_CHARS]}")
                + designations_in_name(document)
            )
        ),
    )


# A file's text is the same for each of its sub-documents: read its places and diarienummer once,
# so metadata costs one pass over the file, not one per sub-document.
@lru_cache(maxsize=4)
def _places_in(file_text: str) -> tuple[Place, ...]:
    return tuple(p for p in gazetteer().find(file_text) if p.kind != "foreign")


@lru_cache(maxsize=4)
def _first_diarie(file_text: str) -> re.Match[str] | None:
    return _DIARIE.search(file_text)


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
