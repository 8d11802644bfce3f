"""Text -> logical lines -> sub-documents -> heading tree -> sections, for Swedish administrative documents.

The same rules serve .txt (one paragraph per line, blank lines between), PDF (wrapped lines, no blank
lines) and DOCX (paragraphs, heading styles). Does not: read files, embed, or read metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from assistant.documents import Section, SourceText
from assistant.textutil import normalize_ws, split_sentences

# Headings Swedish administrative documents use; compared lowercased, without a trailing colon.
HEADING_LEXICON = {
    "ärendebeskrivning",
    "beskrivning av ärendet",
    "ärendet",
    "förslag till beslut",
    "beslutsunderlag",
    "sammanfattning",
    "bakgrund",
    "beredning",
    "uppföljning",
    "inriktning",
    "ekonomisk bedömning",
    "ekonomiska konsekvenser",
    "beslutet ska skickas till",
    "beslutet skickas till",
    "expedieras till",
    "beslutsgång",
    "bilagor",
    "bilaga",
    "förslag till hantering",
    "rekommendation till beslut",
    "målbild",
    "fokusområden",
    "inledning",
    "innehållsförteckning",
    "yttrande",
    "syfte",
    "mål",
    "motivering",
    "konsekvensanalys",
    "finansiering",
    "förslag till innehåll i beslutet",
    "förslag på underlag för beslut",
    "beslut",
    "juridisk bedömning",
    "samverkan",
    "övrigt",
    "remissvar",
    "handlingar",
}
HEADING_PATTERNS = [
    re.compile(r"^förslag till .{0,40}beslut$", re.IGNORECASE),
    re.compile(r"^\S+(s)? (arbetsutskotts|utskotts|nämnds|styrelses) förslag$", re.IGNORECASE),
]
FOCUS_AREA = re.compile(r"^([A-H])\.\s+([A-ZÅÄÖ].{2,70})$")  # "C. Kompetensförsörjning"
SUB_GOAL = re.compile(
    r"^([A-H]\d{1,2})\.?\s+([A-ZÅÄÖ].{5,200})$"
)  # "C1 Kompetensförsörjningen präglas …"
PARAGRAPH_MARK = re.compile(r"^(Paragraf|§)\s*\d+\b")
BULLET = re.compile(r"^\s*(?:[-–•*▪◦]\s+|\d{1,2}[.)]\s+|[a-h][.)]\s+)")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PERSON = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü]+(?:[- ][A-ZÅÄÖ][a-zåäöéü]+){1,3}$")
OFFICE = re.compile(r"^[A-ZÅÄÖ][\wåäö-]*förvaltning(en)?$")
PAGE_NUMBER = re.compile(r"^(?:sida\s*)?\d{1,3}(?:\s*\(\d{1,3}\)|\s*av\s*\d{1,3})?$", re.IGNORECASE)
TOC_ENTRY = re.compile(r"(\t|\.{3,}|\s)\s*\d{1,3}\s*$")
TERMINAL = (".", "!", "?", ":", ";")


@dataclass
class Unit:
    """A logical line: a paragraph, list item, table row or heading, with its source lines (0-based)."""

    text: str
    first: int
    last: int
    lines: list[int] = field(default_factory=list)  # the source lines joined into this unit
    blank_before: bool = False
    blank_after: bool = False
    styled_heading: bool = False

    @property
    def is_bullet(self) -> bool:
        return bool(BULLET.match(self.text)) or self.text.startswith(("Att ", "att "))

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


@dataclass
class SubDocument:
    units: list[Unit]
    opener: str  # paragraph | office | toc | date | start
    title: str = ""
    preamble: list[Unit] = field(default_factory=list)


def furniture_lines(source: SourceText) -> set[int]:
    """0-based lines that are page furniture: running headers inside a sentence, page numbers.

    Example: "Länsledning är en" / "Hälso- och … stab" / "strategisk …" -> the middle line.
    """
    lines = [normalize_ws(x) for x in source.lines]
    drop: set[int] = set()
    nonblank = [i for i, x in enumerate(lines) if x]
    # subtle: a running header repeats the file's first lines (its letterhead); comparing with every
    # short line would also drop a strategy title that resembles an earlier decision's title.
    letterhead = nonblank[:2]
    for pos, i in enumerate(nonblank):
        text = lines[i]
        if source.pages is not None and PAGE_NUMBER.match(text):
            drop.add(i)
            continue
        if len(text) > 80 or pos == 0 or pos == len(nonblank) - 1:
            continue
        prev, nxt = lines[nonblank[pos - 1]], lines[nonblank[pos + 1]]
        interrupts = not prev.endswith(TERMINAL) and nxt[:1].islower()
        if not interrupts:
            continue
        if pos >= 2 and any(j != i and _similar(text, lines[j]) for j in letterhead):
            drop.add(i)
    if source.pages is not None:
        drop |= _repeated_page_tops(source, lines)
    return drop


def _similar(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= 6 and SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85


def _repeated_page_tops(source: SourceText, lines: list[str]) -> set[int]:
    assert source.pages is not None
    firsts: dict[int, int] = {}
    for i, page in enumerate(source.pages):
        if page not in firsts and lines[i]:
            firsts[page] = i
    if len(firsts) < 3:
        return set()
    tops = list(firsts.values())
    return {i for i in tops if sum(1 for j in tops if j != i and _similar(lines[i], lines[j])) >= 1}


def logical_units(source: SourceText) -> list[Unit]:
    """Join wrapped lines into logical lines; keep list items, rows and headings apart.

    Example (PDF): "- Att anta … Region Gävleborg " + "genomför inom …" -> one unit.
    """
    drop = furniture_lines(source)
    raw = [(i, normalize_ws(line), line) for i, line in enumerate(source.lines)]
    wide: dict[int | None, int] = {}
    for i, text, _ in raw:
        page = source.pages[i] if source.pages else None
        wide[page] = max(wide.get(page, 0), len(text))
    units: list[Unit] = []
    blank_pending = True
    for i, text, original in raw:
        if i in drop:
            continue
        if not text:
            blank_pending = True
            if units:
                units[-1].blank_after = True
            continue
        styled = i in source.heading_lines
        if units and not styled and _continues(units[-1], text, original, source, wide):
            prev = units[-1]
            prev.text = f"{prev.text} {text}"
            prev.last = i
            prev.lines.append(i)
            prev.blank_after = False
        else:
            units.append(
                Unit(
                    text=text if "\t" not in original else _row(original),
                    first=i,
                    last=i,
                    lines=[i],
                    blank_before=blank_pending,
                    styled_heading=styled,
                )
            )
        blank_pending = False
    return units


def _row(original: str) -> str:
    cells = [normalize_ws(c) for c in original.split("\t")]
    return "\t".join(c for c in cells if c)


def _continues(
    prev: Unit, text: str, original: str, source: SourceText, wide: dict[int | None, int]
) -> bool:
    if prev.styled_heading or "\t" in original or BULLET.match(text) or prev.is_row:
        return False
    ends_open = not prev.text.endswith(TERMINAL)
    if text[:1].islower() and ends_open:
        return True
    if source.kind == "pdf" and ends_open and not _looks_like_heading_text(text):
        # subtle: the word processor wrapped a line only if the next word would not have fitted.
        last_line = normalize_ws(source.lines[prev.last])
        page_width = wide.get(source.page_of(prev.last + 1), 80)
        return len(last_line) + 1 + len(text.split()[0]) >= 0.92 * page_width
    return False


def _looks_like_heading_text(text: str) -> bool:
    key = text.lower().rstrip(":").strip("* ")
    return (
        key in HEADING_LEXICON
        or any(p.match(key) for p in HEADING_PATTERNS)
        or bool(FOCUS_AREA.match(text) or SUB_GOAL.match(text))
    )


def heading_level(unit: Unit, nxt: Unit | None, kind: str) -> int:
    """0 if not a heading; 1 for section headings, 2 focus areas, 3 delmål, 4 'Inriktning' under them."""
    text = unit.text.strip("* ").strip()
    if unit.is_row or unit.is_bullet or not text:
        return 0
    key = text.lower().rstrip(":").strip()
    if FOCUS_AREA.match(text) and not text.endswith("."):
        return 2
    if SUB_GOAL.match(text) and not text.endswith("."):
        return 3
    if len(text) > 120:
        return 0
    if key in HEADING_LEXICON or any(p.match(key) for p in HEADING_PATTERNS):
        return 1
    if unit.styled_heading:
        return 1
    if text.endswith(TERMINAL) or text.endswith(",") or len(text) > 80 or len(text.split()) > 10:
        return 0
    if (
        not text[:1].isupper()
        or text.startswith("Figur")
        or DATE_ONLY.match(text)
        or EMAIL.search(text)
    ):
        return 0
    if PERSON.match(text) or PARAGRAPH_MARK.match(text):
        return 0
    if nxt is None:
        return 0
    # subtle: a short line before a list is a lead-in ("… föreslår Regionfullmäktige att besluta"),
    # not a heading; only a paragraph of prose makes a short line a heading.
    body_follows = len(nxt.text) >= 100 and not nxt.is_row and not nxt.is_bullet
    separated = unit.blank_after if kind != "pdf" else True
    return 1 if body_follows and separated and (unit.blank_before or kind == "pdf") else 0


def split_subdocuments(units: list[Unit]) -> list[SubDocument]:
    """Split a file holding several documents (protocol extract, strategy, tjänsteskrivelse, missiv)."""
    starts: list[tuple[int, str]] = [(0, "start")]
    for i in range(len(units)):
        opener = _opener(units, i)
        if opener is None or i - starts[-1][0] < 3:
            if opener and i <= 2 and starts[-1][0] == 0:
                starts[-1] = (0, opener)
            continue
        start = i - 1 if opener == "toc" else i
        starts.append((start, opener))
    subdocs = []
    for n, (start, opener) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(units)
        if end > start:
            subdocs.append(SubDocument(units=units[start:end], opener=opener))
    return subdocs


def _opener(units: list[Unit], i: int) -> str | None:
    text = units[i].text
    following = [u.text for u in units[i + 1 : i + 4]]
    if PARAGRAPH_MARK.match(text):
        return "paragraph"
    if text.lower() == "innehållsförteckning" and i >= 1:
        return "toc"
    if OFFICE.match(text) and any(EMAIL.search(t) or PERSON.match(t) for t in following):
        return "office"
    if DATE_ONLY.match(text) and any(PERSON.match(t) for t in following):
        return "date"
    return None


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
        _assign_title(sub, source.kind)
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


def unit_spans(unit: Unit, k: int, source: SourceText) -> list[tuple[str, int, int, int]]:
    """Citable pieces of a unit: a list item or row whole, prose by sentence, each with its own lines.

    Example: a PDF paragraph over lines 10-14 -> [("Första meningen.", 10, 11, k), ("Andra.", 11, 14, k)]
    """
    if unit.is_bullet or unit.is_row or len(unit.text) < 160:
        return [(unit.text, unit.first + 1, unit.last + 1, k)]
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
        spans.append((sentence, first + 1, last + 1, k))
    return spans


def _merge_signatures(
    spans: list[tuple[str, int, int, int]],
) -> tuple[tuple[str, int, int, int], ...]:
    """A name line followed by its role line is one citable piece: "Tommy Stokka" + "Stabschef HoS".

    The merged text stays verbatim (the two lines are adjacent in the source).
    """
    out: list[tuple[str, int, int, int]] = []
    for span in spans:
        if (
            out
            and PERSON.match(out[-1][0])
            and len(span[0]) <= 60
            and not span[0].endswith(".")
            and span[1] == out[-1][2] + 1
            and not PERSON.match(span[0])
        ):
            prev = out.pop()
            out.append((f"{prev[0]} {span[0]}", prev[1], span[2], prev[3]))
            continue
        out.append(span)
    return tuple(out)


def _line_offsets(lines: tuple[str, ...]) -> list[int]:
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def _assign_title(sub: SubDocument, kind: str) -> None:
    body_start = len(sub.units)
    for i, unit in enumerate(sub.units):
        nxt = sub.units[i + 1] if i + 1 < len(sub.units) else None
        if i > 0 and heading_level(unit, nxt, kind) and not _is_label(unit.text):
            body_start = i
            break
    sub.preamble = sub.units[:body_start] if body_start < len(sub.units) else sub.units[:1]
    candidates = [i for i, u in enumerate(sub.preamble) if _is_title_like(u.text)]
    if candidates:
        last = candidates[-1]
        title = sub.preamble[last].text
        before = sub.preamble[last - 1] if last > 0 else None
        if before is not None and last - 1 in candidates and _adjacent(before, kind):
            title = (
                f"{before.text} – {title}"  # "Välfärdsstrategin" + "Förslag för fortsatt process"
            )
    else:
        title = sub.units[0].text[:120]
    if sub.opener == "paragraph":
        mark = PARAGRAPH_MARK.match(sub.units[0].text)
        if mark and sub.units[0].text != title:
            title = f"{sub.units[0].text} – {title}"
    sub.title = title.rstrip(":")


def _adjacent(before: Unit, kind: str) -> bool:
    return len(before.text) <= 40 if kind == "pdf" else not before.blank_after


def _is_title_like(text: str) -> bool:
    return (
        not _is_label(text)
        and len(text) <= 160
        and not BULLET.match(text)
        and not text.endswith((",", ".", ";"))
        and "\t" not in text
    )


def _is_label(text: str) -> bool:
    """Preamble lines that are not a title: 'Datum: …', dates, e-mail, names, bodies, paragraph marks."""
    if re.match(r"^[\wÅÄÖåäö .-]{2,25}:\s*\S*", text) and len(text) < 60:
        return True
    if DATE_ONLY.match(text) or EMAIL.search(text) or PERSON.match(text) or PAGE_NUMBER.match(text):
        return True
    if OFFICE.match(text) or re.match(r"^(Ärendenummer|Diarienummer|Dnr)\b", text):
        return True
    if re.match(
        r"^[\wåäö -]*(nämnden|styrelsen|fullmäktige|stab|förvaltningen|Samråd \w+)$",
        text,
        re.IGNORECASE,
    ):
        return True
    return bool(PARAGRAPH_MARK.match(text))


def _group(sub: SubDocument, kind: str) -> list[tuple[tuple[str, ...], str, list[Unit]]]:
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
    if default in ("toc", "preamble"):
        return default
    if units and sum(u.is_row for u in units) >= max(1, len(units) // 2):
        return "table"
    if units and sum(u.is_bullet for u in units) >= max(1, len(units) // 2):
        return "list"
    if len(units) >= 2 and all(len(u.text) <= 60 and not u.text.endswith(".") for u in units):
        return "list"  # "Beslutet ska skickas till" followed by one recipient a line
    return default
