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

from assistant.documents import Chunk, Section, SourceText
from assistant.ingest.metadata import describe
from assistant.ingest.structure import parse


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
        for part in _split(section, max_chars):
            number = len(chunks)
            last = max(b for _, _, b, _ in part)
            spans = tuple((t, a, b, source.page_of(a)) for t, a, b, _ in part)
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
                )
            )
    return chunks, len(subdocs), len(sections)


def _split(section: Section, max_chars: int) -> list[list[tuple[str, int, int, int]]]:
    """Group a section's spans into parts of at most max_chars, breaking only between sentences."""
    parts: list[list[tuple[str, int, int, int]]] = [[]]
    size = 0
    for n, span in enumerate(section.spans):
        # A lead-in and its list items stay together ("Ordförande:" / "- Tina Mansson Söderlund …").
        keep = n > 0 and (section.spans[n - 1][0].rstrip().endswith(":") or _is_item(span[0]))
        if parts[-1] and size + len(span[0]) > max_chars and not (keep and size < 1.5 * max_chars):
            parts.append([])
            size = 0
        parts[-1].append(span)
        size += len(span[0]) + 1
    return [p for p in parts if p]


def _is_item(text: str) -> bool:
    return bool(re.match(r"^([-–•*▪]\s|\d{1,2}[.)]\s)", text))


def _join(part: list[tuple[str, int, int, int]]) -> str:
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
