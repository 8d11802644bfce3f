"""Saved web pages (.html, .htm) -> SourceText of their main content, headings kept.

trafilatura finds the main content (menus, navigation, cookie notices, footers and sidebars are
left out) and hands it on as XML; each heading becomes one line marked as a heading, each paragraph
a line, each list item a "- " line, each table row its cells separated by tabs. The page's <title>
is the first line when the content has no heading of its own. Does not: fetch anything (links are
not followed), run scripts, keep link targets or images, or read a page whose text is drawn by
JavaScript (what the browser saved is what is read).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.documents import SourceText
from assistant.errors import UnreadableFile

DEFAULT_MAX_HTML_MB = 5.0


def read_html(path: Path, rel: str, max_mb: float = DEFAULT_MAX_HTML_MB) -> SourceText:
    """Read one saved web page. Raises UnreadableFile with a reason a person can act on.

    Example: read_html(Path("corpus/strategi.html"), "strategi.html").lines[0] -> "Strategi för …"
    """
    import trafilatura
    from lxml import etree

    try:
        size = path.stat().st_size
        # subtle: finding the main content grows faster than the page (4 MB: 10 s, 50 MB: over
        # 5 minutes and 1.4 GB here), so a page is refused before it is parsed
        if size > max_mb * 1024 * 1024:
            raise UnreadableFile(
                f"a web page of {size / 1024 / 1024:.0f} MB is more than ASSISTANT_MAX_HTML_MB="
                f"{max_mb:g}; save it as PDF or text from the browser, or raise the limit"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({exc.strerror or exc})") from exc
    page = raw  # trafilatura reads the page's own charset (meta tag, or a guess)
    try:
        xml = trafilatura.extract(
            page,
            output_format="xml",
            include_tables=True,
            include_links=False,
            include_images=False,
            include_comments=False,
            favor_recall=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise UnreadableFile(
            f"unreadable HTML ({type(exc).__name__}); save the page again"
        ) from exc
    if not xml:
        raise UnreadableFile(
            "no main text found in the page (only menus, or text drawn by JavaScript?); "
            "save the page as PDF from the browser instead"
        )
    root = etree.fromstring(xml.encode("utf-8"))
    lines: list[str] = []
    headings: set[int] = set()
    body = root.find("main")
    _walk(body if body is not None else root, lines, headings)
    if not headings or min(headings) > 0:
        title = _title(page)
        if title:
            lines[:0] = [title, ""]
            headings = {0} | {h + 2 for h in headings}
    if not any(line.strip() for line in lines):
        raise UnreadableFile("no main text found in the page")
    return SourceText(path=rel, kind="html", lines=tuple(lines), heading_lines=frozenset(headings))


def _walk(node: Any, lines: list[str], headings: set[int]) -> None:
    for child in node:
        tag = child.tag
        if tag == "head":
            _blank(lines)
            headings.add(len(lines))
            lines.append(_text(child))
            lines.append("")
        elif tag in ("p", "quote", "code"):
            lines.extend(_text(child, keep_breaks=True).split("\n"))
            lines.append("")
        elif tag == "list":
            _list(child, lines)
            lines.append("")
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_text(cell) for cell in row if cell.tag == "cell"]
                if any(cells):
                    lines.append("\t".join(c for c in cells if c))
            lines.append("")
        elif tag in ("div", "main", "section"):
            _walk(child, lines, headings)


def _list(node: Any, lines: list[str]) -> None:
    for item in node:
        if item.tag != "item":
            continue
        own = " ".join((item.text or "").split() + _inline(item))
        if own:
            lines.append(f"- {own}")
        for nested in item:
            if nested.tag == "list":
                _list(nested, lines)


def _inline(item: Any) -> list[str]:
    """Words of an item's inline children (emphasis, line breaks), not of its nested lists."""
    words: list[str] = []
    for child in item:
        if child.tag != "list":
            words += " ".join(child.itertext()).split()
        words += (child.tail or "").split()
    return words


def _text(node: Any, keep_breaks: bool = False) -> str:
    """An element's text, whitespace collapsed; with keep_breaks a <lb/> starts a new line."""
    if not keep_breaks:
        return " ".join("".join(node.itertext()).split())
    parts: list[str] = [node.text or ""]
    for child in node:
        parts.append("\n" if child.tag == "lb" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n"))


def _blank(lines: list[str]) -> None:
    if lines and lines[-1].strip():
        lines.append("")


def _title(page: bytes) -> str:
    import trafilatura

    meta = trafilatura.extract_metadata(page)
    return " ".join((meta.title or "").split()) if meta is not None else ""
