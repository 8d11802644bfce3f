"""Markdown source lines -> the text a reader sees, line for line, with `#` headings marked.

Each line stays at its place (same count, same numbers), so a citation's line numbers still point
into the .md file and the citation check, which reads files through the same reader, sees the same
text. Per line: an ATX (`# Title`) or setext (`Title` over `===`/`---`) heading loses its marks and
is marked as a heading line; images are dropped and a link keeps only its visible text; emphasis,
inline code, strike-through and HTML tags lose their marks; a table row becomes its non-empty cells
separated by tabs (how every reader hands table rows on) and the `|---|` line becomes blank; list
items keep their bullet or number; block quotes lose `>`; rules and link definitions become blank.
Lines inside a fenced code block are kept as they are.

Does not: decide which other lines are headings (headings.py), join lines into paragraphs
(lines.py), or read files (readers.py calls it after decoding).
"""

from __future__ import annotations

import dataclasses
import re

from assistant.documents import SourceText

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")

# Inline marks, applied in this order. A target may hold one level of parentheses.
# subtle: no run of a pattern may cross the mark that opens it (link text holds no "[", bold no
# "**", a target no "("), so the attempts from every opener on a line end at the next opener:
# time linear in the line's length. With ".+?" a line of 100,000 "[" or "**a " took minutes.
_TARGET = r"\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)"
_INLINE = (
    (re.compile(r"!\[[^\[\]]*\]" + _TARGET), ""),  # image: dropped, alt text too
    (re.compile(r"!\[[^\[\]]*\]\[[^\[\]]*\]"), ""),  # image by reference
    (re.compile(r"\[([^\[\]]*)\]" + _TARGET), r"\1"),  # link: its visible text
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),  # link by reference
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # autolink: the address is its text
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # other HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)((?:[^~]|~(?!~))+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])"), r"\1"),  # backslash escapes
)

_MARK = re.compile(r"[\[<`*_~\\]")  # a line without any of these has no inline mark


def inline_text(text: str) -> str:
    """A line's text without inline Markdown.

    Example: inline_text("Läs **mer** i [rapporten](/a/b.pdf) ![](/img.png)") -> "Läs mer i rapporten "
    """
    if not _MARK.search(text):
        return text  # most lines and table cells: one scan instead of thirteen
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _table_row(line: str) -> str:
    """Example: _table_row("| **Mål** | 2026 |  |") -> "Mål\\t2026" """
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = [inline_text(c).strip() for c in re.split(r"(?<!\\)\|", body)]
    return "\t".join(c for c in cells if c)


def _is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def _without_closing_marks(text: str) -> str:
    """An ATX heading's text without its closing ``#``s (a plain string scan: a regex for them
    backtracked over every space of a long heading).

    Example: _without_closing_marks("Titel ## ") -> "Titel"; ("C#") -> "C#"
    """
    text = text.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        return bare.rstrip(" \t")
    return text


def markdown_lines(lines: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[int]]:
    """The lines as plain text, one for one, and the 0-based numbers of the heading lines.

    Example: ("# Remiss", "", "Se [sidan](/x).") -> (("Remiss", "", "Se sidan."), frozenset({0}))
    """
    out: list[str] = []
    headings: set[int] = set()
    fence: str | None = None
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1) == fence:
                fence, line = None, ""
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append("")
            continue
        prev = out[-1].strip() if out else ""
        atx = _ATX.match(line)
        if atx:
            out.append(inline_text(_without_closing_marks(atx.group(2) or "")).strip())
            if out[-1]:
                headings.add(i)
        elif (
            _SETEXT.match(line)
            and prev
            and i - 1 not in headings
            and not _is_table_row(lines[i - 1])
            and not _BULLET.match(lines[i - 1])
            and not _RULE.match(lines[i - 1])
        ):
            headings.add(i - 1)  # "Title" over "===" or "---"
            out.append("")
        elif _RULE.match(line) or _LINK_DEFINITION.match(line) or _TABLE_RULE.match(line):
            out.append("")
        elif _is_table_row(line):
            out.append(_table_row(line))
        else:
            out.append(inline_text(_QUOTE.sub("", line)))
    return tuple(out), frozenset(headings)


def markdown_source(source: SourceText) -> SourceText:
    """A decoded .md file as the reader sees it: plain lines, `#` headings marked as headings."""
    lines, headings = markdown_lines(source.lines)
    return dataclasses.replace(source, lines=lines, heading_lines=source.heading_lines | headings)
