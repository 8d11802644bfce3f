"""Sources as HTML: each cited section with its quote marked, and the whole cited document.

Plain functions of our own types. Does not: import gradio or read files; actions.py reads the
document and hands its lines in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from assistant.documents import Answer, Chunk, Citation
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


def section_text_lookup(chunks: list[Chunk]) -> Callable[[Citation], str]:
    """Citation -> the text of the indexed section that holds it ("" when none does)."""
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
        return best.text if best else ""

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
    return f"{page}{lines} · {citation.document}"


def render_source_html(citation: Citation, section_text: str, lang: str = "sv") -> str:
    """One source card: title, section path, page and lines, the section with the quote marked."""
    if find_quote(section_text, citation.quote):
        body = highlight(section_text, citation.quote)
    else:  # the section could not be found: show the verified quote itself
        body = f"<mark>{html.escape(citation.quote)}</mark>"
    n = citation.n
    return (
        f'<article class="source" id="src-{n}" aria-labelledby="src-{n}-title">'
        f'<h4 id="src-{n}-title"><span class="src-n">[{n}]</span> {html.escape(citation.title)}</h4>'
        f'<p class="src-meta"><span>{html.escape(label("section", lang))}: {html.escape(citation.section)}</span><br>'
        f"<span>{html.escape(citation_place(citation, lang))}</span></p>"
        f'<blockquote class="src-text">{body}</blockquote>'
        f'<button type="button" class="show-doc" data-cite="{n}">{html.escape(label("show_doc", lang))} [{n}]</button>'
        "</article>"
    )


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
    cards = "".join(render_source_html(c, chunk_text_lookup(c), lang) for c in answer.citations)
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
