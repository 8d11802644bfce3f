"""Text -> logical lines -> sub-documents -> heading tree -> sections, for Swedish administrative documents.

The parser's entry point: parse() runs lines.py (logical units, page furniture removed), then
subdocuments.py (sub-documents, titles), then groups each sub-document's units under heading paths
(headings.py says which units are headings) and cuts sections into citable spans.
Does not: read files, embed, or read metadata.
"""

from __future__ import annotations

from assistant.documents import Section, SourceText, UnitSpan
from assistant.ingest.headings import heading_level
from assistant.ingest.lexicon import TOC_ENTRY
from assistant.ingest.lines import Unit, logical_units
from assistant.ingest.subdocuments import SubDocument, assign_title, split_subdocuments
from assistant.language.shapes import PERSON_LINE as PERSON
from assistant.language.text import normalize_ws, split_sentences


def build_sections(source: SourceText) -> list[Section]:
    """The whole pipeline for one file: units, sub-documents, titles, heading paths, sections."""
    return parse(source)[1]


def parse(source: SourceText) -> tuple[list[SubDocument], list[Section]]:
    """Sub-documents (with titles) and their sections, in file order."""
    units = logical_units(source)
    sections: list[Section] = []
    offsets = _line_offsets(source.lines)
    subdocs = split_subdocuments(units)
    for n, sub in enumerate(subdocs):
        assign_title(sub, source.kind)
        for path, kind, members in _group(sub, source.kind):
            text = "\n".join(u.text for u in members)
            first, last = members[0].first, members[-1].last
            sections.append(
                Section(
                    document=source.path,
                    subdoc=n,
                    subdoc_title=sub.title,
                    heading_path=path,
                    text=text,
                    line_start=first + 1,
                    line_end=last + 1,
                    char_start=offsets[first],
                    char_end=offsets[last] + len(source.lines[last]),
                    page=source.page_of(first + 1),
                    kind=kind,
                    units=tuple((u.text, u.first + 1, u.last + 1) for u in members),
                    spans=_merge_signatures(
                        [span for k, u in enumerate(members) for span in unit_spans(u, k, source)]
                    ),
                )
            )
    return subdocs, sections


def unit_spans(unit: Unit, k: int, source: SourceText) -> list[UnitSpan]:
    """Citable pieces of a unit: a list item or row whole, prose by sentence, each with its own lines.

    Example: a PDF paragraph over lines 10-14 -> [UnitSpan("Första meningen.", 10, 11, k), UnitSpan("Andra.", 11, 14, k)]
    """
    if unit.is_bullet or unit.is_row or len(unit.text) < 160:
        return [UnitSpan(unit.text, unit.first + 1, unit.last + 1, k)]
    # Offsets of each source line inside the unit's text (lines were joined with one space).
    starts, pos = [], 0
    for i in unit.lines:
        starts.append((pos, i))
        pos += len(normalize_ws(source.lines[i])) + 1
    spans, cursor = [], 0
    for sentence in split_sentences(unit.text):
        begin = unit.text.find(sentence, cursor)
        begin = cursor if begin < 0 else begin
        end = begin + len(sentence)
        cursor = end
        first = max(i for p, i in starts if p <= begin)
        last = max(i for p, i in starts if p < end)
        spans.append(UnitSpan(sentence, first + 1, last + 1, k))
    return spans


def _merge_signatures(
    spans: list[UnitSpan],
) -> tuple[UnitSpan, ...]:
    """A name line followed by its role line is one citable piece: "Tommy Stokka" + "Stabschef HoS".

    The merged text stays verbatim (the two lines are adjacent in the source).
    """
    out: list[UnitSpan] = []
    for span in spans:
        if (
            out
            and PERSON.match(out[-1].text)
            and len(span.text) <= 60
            and not span.text.endswith(".")
            and span.line_start == out[-1].line_end + 1
            and not PERSON.match(span.text)
        ):
            prev = out.pop()
            out.append(prev._replace(text=f"{prev.text} {span.text}", line_end=span.line_end))
            continue
        out.append(span)
    return tuple(out)


def _line_offsets(lines: tuple[str, ...]) -> list[int]:
    """Character offset of each line in "\\n".join(lines). Example: ("ab", "c") -> [0, 3]."""
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def _group(sub: SubDocument, kind: str) -> list[tuple[tuple[str, ...], str, list[Unit]]]:
    """A sub-document's units as (heading path, kind, units), in order; the preamble comes first.

    Example: title "Välfärdsstrategin", headings "C. Kompetensförsörjning" (level 2) then "C1 …"
    (level 3) -> the delmål's units get the path ("C. Kompetensförsörjning", "C1 …").
    """
    groups: list[tuple[tuple[str, ...], str, list[Unit]]] = []
    stack: list[tuple[int, str]] = []
    current: list[Unit] = list(sub.preamble)
    current_path: tuple[str, ...] = (sub.title,)
    current_kind = "preamble"
    in_toc = False
    body = sub.units[len(sub.preamble) :] if len(sub.preamble) < len(sub.units) else []

    def flush() -> None:
        if current:
            groups.append((current_path, _kind_of(current, current_kind), list(current)))

    for i, unit in enumerate(body):
        nxt = body[i + 1] if i + 1 < len(body) else None
        if in_toc and (TOC_ENTRY.search(unit.text) or unit.text.startswith("<i>") or unit.is_row):
            current.append(unit)
            continue
        in_toc = False
        level = heading_level(unit, nxt, kind)
        # subtle: "Inriktning" is a lexicon heading, but under a focus area or delmål it belongs
        # to that goal, so it nests below it instead of closing it.
        if level == 1 and unit.text.lower() == "inriktning" and stack and stack[-1][0] >= 2:
            level = 4
        if level:
            flush()
            heading = unit.text.strip("* ").rstrip(":")
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            current_path = tuple(h for _, h in stack)
            current = []
            current_kind = "toc" if heading.lower() == "innehållsförteckning" else "text"
            in_toc = current_kind == "toc"
            continue
        current.append(unit)
    flush()
    return [g for g in groups if g[2]]


def _kind_of(units: list[Unit], default: str) -> str:
    """table if most units are rows, list if most are items (or all short lines), else default."""
    if default in ("toc", "preamble"):
        return default
    if units and sum(u.is_row for u in units) >= max(1, len(units) // 2):
        return "table"
    if units and sum(u.is_bullet for u in units) >= max(1, len(units) // 2):
        return "list"
    if len(units) >= 2 and all(len(u.text) <= 60 and not u.text.endswith(".") for u in units):
        return "list"  # "Beslutet ska skickas till" followed by one recipient a line
    return default
