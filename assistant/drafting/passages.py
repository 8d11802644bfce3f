"""A chunk's citable spans (sentences and list items) as Passages, each with its place in the file.

Does not: decide which passages a draft uses (the section modules do), number or verify citations
(citations.py), or change a span's text: display() only tidies how it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answers import Citation
from assistant.documents import Chunk
from assistant.language.text import normalize_ws

_BULLET = re.compile(r"^(?:[-–•*▪]\s*|\d+\.\s+)")
_PERSON = re.compile(r"^(?!Region )[A-ZÅÄÖ][a-zåäöé]+(?:[- ][A-ZÅÄÖ][a-zåäöé]+)+$")


@dataclass(frozen=True)
class Passage:
    """One citable span of a chunk (sentence or list item) with its place in the file."""

    chunk: Chunk
    text: str
    first: int
    last: int
    page: int | None

    def display(self) -> str:
        """The span as a draft shows it: no bullet, no emphasis marks, one space.

        Example: "• Att fastställa Färdplan  Nära vård" -> "Att fastställa Färdplan Nära vård"
        """
        return normalize_ws(_BULLET.sub("", self.text.strip()).replace("*", ""))

    def citation(self, n: int) -> Citation:
        c = self.chunk
        return Citation(
            n,
            c.document,
            c.title,
            c.section,
            self.page,
            (self.first, self.last),
            self.text,
            ocr=self.page is not None and self.page in c.ocr_pages,
        )


def passages(chunk: Chunk) -> list[Passage]:
    return [Passage(chunk, text, first, last, page) for text, first, last, page in chunk.spans]


def list_items(chunk: Chunk) -> list[Passage]:
    """The items of a recipients or underlag list, stopping at the signature that often follows.

    Example: ["Region Uppsala, för kännedom", "Johan Kaarme", …] -> ["Region Uppsala, för kännedom"]
    """
    items = []
    for passage in passages(chunk):
        if _PERSON.match(passage.display()):
            break
        if re.search(r"[A-Za-zÅÄÖåäö]", passage.text):
            items.append(passage)
    return items


def unique_chunks(chunks: Iterable[Chunk]) -> list[Chunk]:
    # subtle: Chunk holds a dict, so it cannot be a set member; its id is unique.
    return list({c.id: c for c in chunks}.values())
