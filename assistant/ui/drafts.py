"""A decision draft as HTML for the Drafting tab: headings, numbered att-satser, [n] markers linked
to a sources list with the quotes, placeholders such as [nämnd] marked to be filled in.

Plain functions of our own types. Does not: import gradio, draft anything (``assistant.drafting``
does), or write the Markdown and Word files (``drafting.to_markdown`` / ``to_docx`` do).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from assistant.answers import Citation, DraftResult
from assistant.ui.export import slug
from assistant.ui.labels import label
from assistant.ui.sources import citation_place

_NUMBERED = re.compile(r"(\d+)\. ")


def _inline(text: str, cited: set[int], placeholders: Iterable[str]) -> str:
    """Escaped text; [n] markers of real citations linked, placeholders marked.

    Example: _inline("[nämnd] beslutar [1]", {1}, ["[nämnd]"])
    -> '<mark class="placeholder">[nämnd]</mark> beslutar <a class="cite" href="#draft-src-1" …>[1]</a>'
    """
    escaped = html.escape(text)
    holders = sorted((html.escape(p) for p in placeholders), key=len, reverse=True)
    # subtle: one pass over the escaped text, so markup put in is never matched again
    alternatives = [r"\[(\d+)\]", *(re.escape(p) for p in holders)]

    def replace(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return f'<mark class="placeholder">{m.group(0)}</mark>'
        n = int(m.group(1))
        if n not in cited:
            return m.group(0)
        return f'<a class="cite" href="#draft-src-{n}" aria-label="källa {n}">[{n}]</a>'

    return re.sub("|".join(alternatives), replace, escaped)


def _block_html(block: str, cited: set[int], placeholders: Iterable[str]) -> str:
    """One block of a section: a numbered list (att-satser), a bullet list or a paragraph."""
    lines = [line for line in block.split("\n") if line.strip()]
    if not lines:
        return ""
    if all(_NUMBERED.match(line) for line in lines):
        items = []
        for line in lines:
            m = _NUMBERED.match(line)
            assert m is not None  # checked just above
            rest = _inline(line[m.end() :], cited, placeholders)
            items.append(f'<li value="{m.group(1)}">{rest}</li>')
        return f'<ol class="att-satser">{"".join(items)}</ol>'
    if all(line.startswith("- ") for line in lines):
        items = [f"<li>{_inline(line[2:], cited, placeholders)}</li>" for line in lines]
        return f"<ul>{''.join(items)}</ul>"
    return f"<p>{'<br>'.join(_inline(line, cited, placeholders) for line in lines)}</p>"


def _source_html(c: Citation, lang: str) -> str:
    return (
        f'<li id="draft-src-{c.n}" value="{c.n}"><p class="src-meta"><strong>[{c.n}] '
        f"{html.escape(c.title)}</strong> — {html.escape(c.section)} "
        f"({html.escape(citation_place(c, lang))})</p>"
        f'<blockquote class="src-text">{html.escape(" ".join(c.quote.split()))}</blockquote></li>'
    )


def render_draft_html(draft: DraftResult, lang: str = "sv") -> str:
    """The whole draft: title, sections, sources with their quotes, the placeholders to fill in.

    The draft itself stays Swedish; ``lang`` sets only the page's own words (headings of the lists).
    Example: render_draft_html(d) -> '<article class="draft" lang="sv"><h2>Antagande av …'
    """
    cited = {c.n for c in draft.citations}
    holders = draft.placeholders
    out = [f'<article class="draft" lang="sv"><h2>{_inline(draft.title, cited, holders)}</h2>']
    for section in draft.sections:
        out.append(f"<section><h3>{html.escape(section.heading)}</h3>")
        out += [_block_html(block, cited, holders) for block in section.text.split("\n\n")]
        out.append("</section>")
    if draft.citations:
        sources = "".join(_source_html(c, lang) for c in draft.citations)
        out.append(
            f'<section class="draft-sources" lang="{html.escape(lang)}">'
            f"<h3>{html.escape(label('sources', lang))}</h3><ol>{sources}</ol></section>"
        )
    if holders:
        marked = ", ".join(f'<mark class="placeholder">{html.escape(p)}</mark>' for p in holders)
        out.append(
            f'<section class="to-fill" role="note" lang="{html.escape(lang)}">'
            f"<h3>{html.escape(label('draft_to_fill', lang))}</h3>"
            f"<p>{html.escape(label('draft_to_fill_note', lang))}: {marked}</p></section>"
        )
    out.append("</article>")
    return "".join(out)


def draft_file_name(draft: DraftResult) -> str:
    """Example: draft_file_name(d) -> "utkast-antagande-av-välfärdsstrategin-ljusdals-kommun" """
    return f"utkast-{slug(draft.title) or 'beslut'}"
