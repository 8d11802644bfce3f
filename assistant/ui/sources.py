"""Sources as HTML: each cited section with its quote marked, and the whole cited document.

Plain functions of our own types. Does not: import gradio or read files; actions.py reads the
document and hands its lines in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from assistant.answers import Answer, Citation
from assistant.documents import Chunk
from assistant.ui.labels import label


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote stands in a text, whitespace and (failing that) case ignored.

    Example: find_quote("A  b\\nc d", "b c") -> (3, 6)
    """
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    match = pattern.search(text) or re.compile(pattern.pattern, re.IGNORECASE).search(text)
    return (match.start(), match.end()) if match else None


def highlight(text: str, quote: str) -> str:
    """Escaped text with the quoted span in <mark>; the text alone when the quote is not in it.

    Example: highlight("Vi <ska> spara.", "spara") -> "Vi &lt;ska&gt; <mark>spara</mark>."
    """
    where = find_quote(text, quote)
    if where is None:
        return html.escape(text)
    start, end = where
    return f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"


def highlight_all(text: str, quotes: Sequence[str]) -> str:
    """Escaped text with every quote found in it marked; overlapping quotes share one mark.

    Example: highlight_all("A b. C d. E f.", ["A b.", "E f."]) -> "<mark>A b.</mark> C d. <mark>E f.</mark>"
    """
    found = sorted(w for w in (find_quote(text, q) for q in quotes) if w is not None)
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(f"{html.escape(text[pos:start])}<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    return "".join(out) + html.escape(text[pos:])


def section_text_lookup(chunks: list[Chunk]) -> Callable[[Citation], str]:
    """Citation -> the text of the indexed section that holds it ("" when none does); a part of a
    long table opens with the table's header row, so its rows are shown under their columns."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.document, []).append(chunk)

    def lookup(citation: Citation) -> str:
        first, last = citation.lines
        holding = [
            c
            for c in by_doc.get(citation.document, [])
            if c.line_start <= first and last <= c.line_end
        ]
        quoted = [c for c in holding if find_quote(c.text, citation.quote)]
        best = min(quoted or holding, key=lambda c: len(c.text), default=None)
        if best is None:
            return ""
        return f"{best.table_header}\n{best.text}" if best.table_header else best.text

    return lookup


def citation_place(citation: Citation, lang: str) -> str:
    """Where a citation stands: page (when known), lines, file.

    Example: citation_place(c) -> "sida 3 · rad 12–14 · uppsala.pdf"
    """
    first, last = citation.lines
    lines = (
        f"{label('lines', lang)} {first}"
        if first == last
        else f"{label('lines', lang)} {first}–{last}"
    )
    page = f"{label('page', lang)} {citation.page} · " if citation.page else ""
    ocr = f"{label('ocr', lang)} · " if citation.ocr else ""
    return f"{page}{ocr}{lines} · {citation.document}"


def render_source_html(
    citation: Citation | Sequence[Citation], section_text: str, lang: str = "sv"
) -> str:
    """One source card: title, section path, each citation's page and lines, the section with
    every quote marked. Citations into one section share a card; each [n] still has its anchor.

    Example: render_source_html([c1, c3], text) -> '<article … id="src-1" …><span id="src-3" …>…'
    """
    group = [citation] if isinstance(citation, Citation) else list(citation)
    first, ns = group[0], [c.n for c in group]
    quotes = [c.quote for c in group]
    if all(find_quote(section_text, q) for q in quotes):
        body = highlight_all(section_text, quotes)
    else:  # the section could not be found: show the verified quotes themselves
        body = "<br>".join(f"<mark>{html.escape(q)}</mark>" for q in quotes)
    n = first.n
    anchors = "".join(f'<span id="src-{m}" class="src-anchor"></span>' for m in ns[1:])
    numbers = " ".join(f"[{m}]" for m in ns)
    places = "<br>".join(
        f"<span>{f'[{c.n}] ' if len(group) > 1 else ''}{html.escape(citation_place(c, lang))}</span>"
        for c in group
    )
    buttons = "".join(
        f'<button type="button" class="show-doc" data-cite="{c.n}">{html.escape(label("show_doc", lang))} [{c.n}]</button>'
        for c in group
    )
    return (
        f'<article class="source" id="src-{n}" aria-labelledby="src-{n}-title">{anchors}'
        f'<h4 id="src-{n}-title"><span class="src-n">{numbers}</span> {html.escape(first.title)}</h4>'
        f'<p class="src-meta"><span>{html.escape(label("section", lang))}: {html.escape(first.section)}</span><br>'
        f"{places}</p>"
        f'<blockquote class="src-text">{body}</blockquote>'
        f"{buttons}</article>"
    )


def group_by_section(
    citations: Sequence[Citation], chunk_text_lookup: Callable[[Citation], str]
) -> list[tuple[list[Citation], str]]:
    """Citations into the same section of the same document, together, in the order of their first
    [n]; with the section's text. A citation whose section is not found stays alone.

    Example: [1] and [3] quote one paragraph, [2] another -> [([c1, c3], text), ([c2], text2)]
    """
    groups: dict[tuple[str, str, str], tuple[list[Citation], str]] = {}
    for c in citations:
        text = chunk_text_lookup(c)
        key = (c.document, c.section, text) if text else (c.document, str(c.n), "")
        groups.setdefault(key, ([], text))[0].append(c)
    return list(groups.values())


def render_sources_html(
    answer: Answer | None, chunk_text_lookup: Callable[[Citation], str], lang: str = "sv"
) -> str:
    """The sources panel for an answer; for an abstention, what was searched."""
    name = html.escape(label("sources", lang))
    question = html.escape(answer.question if answer else "", quote=True)
    opening = f'<section class="sources" aria-label="{name}" data-question="{question}"><h3 class="sources-title">{name}</h3>'
    if answer is None:
        return f'{opening}<p class="muted">{html.escape(label("no_sources", lang))}</p></section>'
    if answer.abstained or not answer.citations:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in answer.searched)
        searched = (
            f"<p>{html.escape(label('searched', lang))}:</p><ul>{items}</ul>" if items else ""
        )
        return (
            f'{opening}<div class="abstained"><p><strong>{html.escape(label("abstained", lang))}</strong></p>'
            f"{searched}</div></section>"
        )
    cards = "".join(
        render_source_html(group, text, lang)
        for group, text in group_by_section(answer.citations, chunk_text_lookup)
    )
    return f"{opening}{cards}</section>"


# --- document viewer ----------------------------------------------------------------------------
def render_document_html(
    lines: tuple[str, ...] | list[str],
    anchor_lines: tuple[int, int],
    quote: str = "",
    title: str = "",
    pages: tuple[int, ...] | None = None,
    lang: str = "sv",
) -> str:
    """A whole document, lines numbered, the cited lines in a block with id "doc-anchor" and the quote marked.

    Example: render_document_html(["a", "b"], (2, 2), "b") -> '… <div class="cited" id="doc-anchor" …><mark>b</mark> …'
    """
    first, last = anchor_lines
    out = [f'<div class="doc-view" role="document" aria-label="{html.escape(title)}">']
    if title:
        out.append(f'<h3 class="doc-title">{html.escape(title)}</h3>')
    page_now = None
    for number, line in enumerate(lines, start=1):
        page = pages[number - 1] if pages and number <= len(pages) else None
        if page is not None and page != page_now:
            out.append(
                f'<div class="page-break">{html.escape(label("page", lang)).capitalize()} {page}</div>'
            )
            page_now = page
        if number == first:
            cited = "\n".join(lines[first - 1 : last])
            span = f"{first}" if first == last else f"{first}–{last}"
            out.append(
                f'<div class="cited" id="doc-anchor" tabindex="-1"><span class="ln" aria-hidden="true">{span}</span>'
                f'<span class="lt">{highlight(cited, quote) if quote else html.escape(cited)}</span></div>'
            )
        elif first < number <= last:
            continue
        else:
            out.append(
                f'<div class="line" id="L{number}"><span class="ln" aria-hidden="true">{number}</span>'
                f'<span class="lt">{html.escape(line) or "&nbsp;"}</span></div>'
            )
    out.append("</div>")
    return "".join(out)
