"""Beslutsunderlag: this tjänsteskrivelse, the dated items the sources' own underlag lists, and
the source documents themselves with their dates ([datum] where a document states none).

Does not: invent a date, or list a document that holds none of the strategy's decisions.
"""

from __future__ import annotations

import re

from assistant.answers import DraftSection
from assistant.documents import Chunk
from assistant.drafting.context import DraftContext
from assistant.drafting.passages import list_items, passages, unique_chunks
from assistant.drafting.wording import capital
from assistant.language.analysis import analyze
from assistant.language.text import find_dates, fold

_DATED = re.compile(r"\b(beslutade|godkände|daterad)\b", re.I)


def basis(draft: DraftContext) -> DraftSection:
    """Example: HSVO -> ["- Tjänsteskrivelse, daterad [datum]", "- Strategi för samverkan HSVO, 2024–2026, daterad 2024-03-15 [2]", …]"""
    lines = ["Tjänsteskrivelse, daterad [datum]"]
    for chunk in unique_chunks(p.chunk for p in draft.strategy.decisions):
        lines += _documents_listed(draft, chunk) or [_document_itself(draft, chunk)]
    if not any(_is_strategy_document(line, draft.strategy.name) for line in lines):
        lines.append(f"{capital(draft.strategy.name)}, daterad [datum]")
    return DraftSection("Beslutsunderlag", "\n".join(f"- {line}" for line in dict.fromkeys(lines)))


def _subdocument(draft: DraftContext, chunk: Chunk) -> list[Chunk]:
    return [
        c for c in draft.strategy.chunks if c.document == chunk.document and c.title == chunk.title
    ]


def _documents_listed(draft: DraftContext, chunk: Chunk) -> list[str]:
    """The dated items of the sub-document's own Beslutsunderlag, except its tjänsteskrivelse."""
    items = [
        p
        for c in _subdocument(draft, chunk)
        if "beslutsunderlag" in c.heading_path[-1].lower()
        for p in list_items(c)
    ]
    keep = [
        p
        for p in items
        if re.search(r"\d{4}", p.text) and not p.display().lower().startswith("tjänsteskrivelse")
    ]
    return [c for c in (draft.cites.cite(p.display(), p) for p in keep) if c]


def _document_itself(draft: DraftContext, chunk: Chunk) -> str:
    """Example: "Rekommendation till beslut om Färdplan Nära vård 2030 i Västerbotten, beslutad 2023-03-24 [4]" """
    for passage in (p for c in _subdocument(draft, chunk) for p in passages(c)):
        dates = find_dates(passage.text) if _DATED.search(passage.text) else []
        cited = (
            draft.cites.cite(f"{chunk.title}, beslutad {dates[0].isoformat()}", passage)
            if dates
            else None
        )
        if cited:
            return cited
    line = f"{chunk.title}, daterad [datum]"
    titled = [
        p for c in _subdocument(draft, chunk) for p in passages(c) if p.display() in chunk.title
    ]
    titled.sort(key=lambda p: -len(p.display()))
    return (draft.cites.cite(line, titled[0]) if titled else None) or line


def _is_strategy_document(line: str, name: str) -> bool:
    """True when an underlag line is the strategy itself, not a letter about it.

    Example: ("Valfärdsstrategi 220303 slutversion", "Välfärdsstrategin") -> True;
    ("Rekommendation till beslut om Färdplan Nära vård 2030 …", "Färdplan Nära vård 2030 …") -> False
    """
    listed, wanted = [fold(t) for t in analyze(line)], [fold(t) for t in analyze(name)]
    return bool(listed and wanted) and listed[0] == wanted[0]
