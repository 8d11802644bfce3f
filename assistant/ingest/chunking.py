"""Sections -> chunks with metadata and citable spans; exact and near-duplicate chunks collapsed.

Does not: embed or store anything. A collapsed copy keeps its own record (and so stays citable);
only the canonical chunk is embedded and searched.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import replace

from assistant.documents import Chunk, Section, SourceText, Span, UnitSpan
from assistant.ingest.metadata import describe
from assistant.ingest.structure import parse
from assistant.language.shapes import is_list_item


def chunk_source(source: SourceText, max_chars: int = 1200) -> tuple[list[Chunk], int, int]:
    """Chunks of one file, plus the number of sub-documents and sections found.

    Example: chunk_source(read_source(p, "a.txt"))[0][0].heading_path -> ("Färdplan – …",)
    """
    subdocs, sections = parse(source)
    file_text = "\n".join(source.lines)
    meta_by_subdoc = {}
    for n, sub in enumerate(subdocs):
        sub_text = "\n".join(u.text for u in sub.units)
        meta_by_subdoc[n] = describe(source.path, file_text, sub_text, sub.title, sub.opener)
    chunks: list[Chunk] = []
    for section in sections:
        if section.kind == "toc":
            continue  # a table of contents only repeats headings; it would crowd real answers out
        if sum(ch.isalpha() for ch in section.text) < 3:
            continue  # "Beslutet skickas till: -" holds no text to find or cite
        meta = replace(
            meta_by_subdoc[section.subdoc], subdoc=section.subdoc, section_kind=section.kind
        )
        headers = table_headers(parts := _split(section, max_chars))
        for part, header in zip(parts, headers, strict=True):
            number = len(chunks)
            last = max(b for _, _, b, _ in part)
            spans = tuple(
                Span(s.text, s.line_start, s.line_end, source.page_of(s.line_start)) for s in part
            )
            chunks.append(
                Chunk(
                    id=_chunk_id(source.path, number),
                    document=source.path,
                    title=section.subdoc_title,
                    heading_path=section.heading_path,
                    text=_join(part),
                    line_start=part[0][1],
                    line_end=last,
                    char_start=_offset(source, part[0][1]),
                    char_end=_offset(source, last) + len(source.lines[last - 1]),
                    page=source.page_of(part[0][1]),
                    kind=section.kind,
                    metadata=meta,
                    spans=spans,
                    ocr_pages=tuple(sorted({s.page for s in spans if s.page in source.ocr_pages})),
                    table_header=header,
                )
            )
    return chunks, len(subdocs), len(sections)


def _split(section: Section, max_chars: int) -> list[list[UnitSpan]]:
    """Group a section's spans into parts of at most max_chars, breaking between sentences; a
    sentence longer than max_chars is cut between words first. A list stays with its lead-in up to
    1.5 x max_chars, which is the hard cap on a chunk's length.
    """
    limit = int(1.5 * max_chars)
    spans = [piece for span in section.spans for piece in _cut(span, max_chars)]
    parts: list[list[UnitSpan]] = [[]]
    size = 0
    for n, span in enumerate(spans):
        # A lead-in and its list items stay together ("Ordförande:" / "- Tina Mansson Söderlund …").
        keep = n > 0 and (spans[n - 1][0].rstrip().endswith(":") or is_list_item(span[0]))
        if (
            parts[-1]
            and size + len(span[0]) > max_chars
            and not (keep and size + len(span[0]) < limit)
        ):
            parts.append([])
            size = 0
        parts[-1].append(span)
        size += len(span.text) + 1
    return [p for p in parts if p]


def table_headers(parts: list[list[UnitSpan]]) -> list[str]:
    """For each part, the header row of the table it continues ("" when it starts none mid-table).

    A table row is a span with tabs between its cells; a run of rows is one table and its first
    row is taken as the header, repeated for every later part that opens inside the run.
    Example: parts [[intro, "År\tBelopp", "2025\t3"], ["2026\t5"]] -> ["", "År\tBelopp"]
    """
    out: list[str] = []
    header, in_table = "", False
    for part in parts:
        opens_mid_table = bool(part) and in_table and "\t" in part[0].text
        out.append(header if opens_mid_table else "")
        for span in part:
            is_row = "\t" in span.text
            if is_row and not in_table:
                header = span.text
            in_table = is_row
    return out


def _cut(span: UnitSpan, max_chars: int) -> list[UnitSpan]:
    """A span of at most max_chars, or its pieces cut at the last space before the limit (mid-word
    only when a piece holds no space at all). Linear in the span's length."""
    text = span.text
    if len(text) <= max_chars:
        return [span]
    pieces: list[UnitSpan] = []
    while len(text) > max_chars:
        cut = text.rfind(" ", max_chars // 2, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        pieces.append(span._replace(text=text[:cut].rstrip()))
        text = text[cut:].lstrip()
    if text:
        pieces.append(span._replace(text=text))
    return pieces


def _join(part: list[UnitSpan]) -> str:
    out = ""
    for i, (text, _, _, unit) in enumerate(part):
        if i == 0:
            out = text
        else:
            out += (" " if unit == part[i - 1][3] else "\n") + text
    return out


def _offset(source: SourceText, line_no: int) -> int:
    return sum(len(line) + 1 for line in source.lines[: line_no - 1])


def _chunk_id(document: str, number: int) -> str:
    return f"{hashlib.sha1(document.encode()).hexdigest()[:10]}-{number:04d}"


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]+", "", text.lower())


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[0-9a-zåäöéü]+", text.lower())
    return {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def collapse_duplicates(chunks: list[Chunk], threshold: float = 0.9) -> list[Chunk]:
    """Mark exact and near copies (word-trigram Jaccard >= threshold) of the same organisation's
    chunks with the first one's id. Another organisation's copy stays its own: the decision
    Nora adopts word for word after Örebro is Nora's to cite, and routing to Nora must find it.

    Example: the HSVO strategy printed twice in one file -> the second copy's chunks point at the first.

    Candidates come from a prefix filter, not from comparing every pair: with shingles ordered
    rarest first, two sets with Jaccard >= t share a shingle among each one's first
    |x| - ceil(t|x|) + 1. Candidates are checked in the order they became canonical, so the
    result is the same as comparing with every earlier canonical chunk.
    """
    keys = [_key(c.text) for c in chunks]
    grams = [_shingles(c.text) for c in chunks]
    rarity = Counter(g for gs in grams for g in gs)
    out: list[Chunk] = []
    canon: list[tuple[set[str], Chunk]] = []
    by_prefix: dict[tuple[str, str], list[int]] = {}
    by_key: dict[tuple[str, str], str] = {}
    for chunk, key, gs in zip(chunks, keys, grams, strict=True):
        org = chunk.metadata.org
        prefix = _prefix(gs, rarity, threshold)
        target = by_key.get((org, key))
        if target is None and len(key) >= 40:
            candidates = sorted({i for g in prefix for i in by_prefix.get((org, g), ())})
            for i in candidates:
                other_grams, other = canon[i]
                union = len(gs | other_grams)
                if union and len(gs & other_grams) / union >= threshold:
                    target = other.id
                    break
        if target is not None and target != chunk.id:
            out.append(replace(chunk, duplicate_of=target))
            continue
        by_key[(org, key)] = chunk.id
        for g in prefix:
            by_prefix.setdefault((org, g), []).append(len(canon))
        canon.append((gs, chunk))
        out.append(chunk)
    return out


def _prefix(grams: set[str], rarity: Counter[str], threshold: float) -> list[str]:
    # subtle: floor(t|x|) <= ceil(t|x|), so this prefix is never shorter than the bound needs
    # (float error in t|x| could only lengthen it).
    size = len(grams) - math.floor(threshold * len(grams) + 1e-9) + 1
    return sorted(grams, key=lambda g: (rarity[g], g))[: max(size, 1)]
