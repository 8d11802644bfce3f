"""Browser UI: ``build_app(assistant)`` -> gradio Blocks, and ``serve(settings, host, port)``.

The render helpers (answer, sources, document viewer, documents table, exports, labels) are plain
functions of our own types, tested without a browser. Does not: rank, answer or parse documents;
every question and every upload goes through ``Assistant``. Loads nothing from outside the machine.
"""

from __future__ import annotations

import html
import ipaddress
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

# subtle: gradio reads this when it is imported; analytics would call out of the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.conversation import rewrite_followup  # noqa: E402
from assistant.documents import Answer, Chunk, Citation, IngestSummary  # noqa: E402
from assistant.errors import AssistantError, ConfigError, IndexMissing  # noqa: E402
from assistant.readers import SUPPORTED, read_source  # noqa: E402
from assistant.retrieval import Filters  # noqa: E402

if TYPE_CHECKING:  # serve() imports it when needed; the render helpers never do
    from assistant.service import Assistant

LANGUAGES = (("Svenska", "sv"), ("English", "en"))
LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Dokumentassistenten",
        "intro": "Ställ frågor om de indexerade dokumenten. Svaren citerar källorna ordagrant.",
        "tab_chat": "Fråga", "tab_docs": "Dokument",
        "chat": "Samtal", "question": "Din fråga", "question_hint": "T.ex. Vad beslutade Uppsala om kompetensförsörjning?",
        "send": "Skicka", "new_chat": "Ny konversation",
        "filters": "Filter", "org": "Organisation eller län", "doc_type": "Dokumenttyp", "year": "År",
        "any": "Alla", "sources": "Källor", "no_sources": "Källorna till svaret visas här.",
        "show_doc": "Visa dokument", "section": "Avsnitt", "page": "sida", "lines": "rad", "file": "Fil",
        "export_md": "Ladda ner svaret (Markdown)", "export_docx": "Ladda ner svaret (Word)",
        "viewer": "Dokument", "viewer_empty": "Välj ”Visa dokument” vid en källa för att läsa hela dokumentet här.",
        "rewritten": "Tolkad som", "abstained": "Inget svar i dokumenten", "searched": "Sökte i",
        "error": "Det gick inte", "answering": "Söker i dokumenten …", "question_label": "Fråga", "answer_label": "Svar",
        "docs_table": "Dokument i korpusen", "upload": "Lägg till filer (PDF, DOCX, TXT, MD)", "ingest": "Lägg till och indexera",
        "upload_report": "Resultat av uppladdningen", "nothing_uploaded": "Välj först en eller flera filer.",
        "added": "Indexerade", "skipped": "Kunde inte läggas till", "notes": "Anmärkningar", "unchanged": "oförändrad",
        "status_indexed": "indexerad", "status_not_indexed": "inte indexerad", "status_skipped": "hoppades över",
        "col_file": "Fil", "col_org": "Organisation", "col_lan": "Län", "col_body": "Organ", "col_type": "Typ",
        "col_date": "Datum", "col_diarie": "Diarienummer", "col_status": "Indexstatus",
        "progress_read": "Läser filer", "progress_embed": "Beräknar vektorer", "progress_write": "Skriver index",
        "no_index": "Inget index ännu: lägg till dokument under fliken Dokument, eller kör `assistant ingest`.",
        "unsupported": "filtypen stöds inte (PDF, DOCX, TXT eller MD)", "hidden_name": "filnamnet börjar med en punkt",
    },
    "en": {
        "title": "Document assistant",
        "intro": "Ask questions about the indexed documents. Answers quote their sources word for word.",
        "tab_chat": "Ask", "tab_docs": "Documents",
        "chat": "Conversation", "question": "Your question", "question_hint": "E.g. What did Uppsala decide about skills supply?",
        "send": "Send", "new_chat": "New conversation",
        "filters": "Filters", "org": "Organisation or county", "doc_type": "Document type", "year": "Year",
        "any": "Any", "sources": "Sources", "no_sources": "The sources of an answer are shown here.",
        "show_doc": "Show document", "section": "Section", "page": "page", "lines": "line", "file": "File",
        "export_md": "Download the answer (Markdown)", "export_docx": "Download the answer (Word)",
        "viewer": "Document", "viewer_empty": "Choose “Show document” at a source to read the whole document here.",
        "rewritten": "Understood as", "abstained": "No answer in the documents", "searched": "Searched",
        "error": "That did not work", "answering": "Searching the documents …", "question_label": "Question", "answer_label": "Answer",
        "docs_table": "Documents in the corpus", "upload": "Add files (PDF, DOCX, TXT, MD)", "ingest": "Add and index",
        "upload_report": "Upload result", "nothing_uploaded": "Choose one or more files first.",
        "added": "Indexed", "skipped": "Could not be added", "notes": "Notes", "unchanged": "unchanged",
        "status_indexed": "indexed", "status_not_indexed": "not indexed", "status_skipped": "skipped",
        "col_file": "File", "col_org": "Organisation", "col_lan": "County", "col_body": "Body", "col_type": "Type",
        "col_date": "Date", "col_diarie": "Reference no.", "col_status": "Index status",
        "progress_read": "Reading files", "progress_embed": "Computing vectors", "progress_write": "Writing the index",
        "no_index": "No index yet: add documents in the Documents tab, or run `assistant ingest`.",
        "unsupported": "unsupported file type (PDF, DOCX, TXT or MD)", "hidden_name": "the file name starts with a dot",
    },
}
TABLE_COLUMNS = ("col_file", "col_org", "col_lan", "col_body", "col_type", "col_date", "col_diarie", "col_status")
TABLE_WIDTHS: list[str | int] = ["22%", "12%", "11%", "15%", "12%", "8%", "9%", "11%"]
_MARKER = re.compile(r"\[(\d+)\]")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
AUTH_ENV = ("ASSISTANT_UI_USER", "ASSISTANT_UI_PASSWORD", "ASSISTANT_UI_AUTH_FILE")


def label(key: str, lang: str = "sv") -> str:
    """Interface text in Swedish (default) or English.

    Example: label("send", "en") -> "Send"
    """
    return LABELS.get(lang, LABELS["sv"]).get(key) or LABELS["sv"][key]


# --- answers --------------------------------------------------------------------------------------
def link_markers(escaped: str) -> str:
    """[n] markers in escaped text become links to the sources panel.

    Example: link_markers("Text. [1]") -> 'Text. <a class="cite" href="#src-1" …>[1]</a>'
    """
    return _MARKER.sub(lambda m: f'<a class="cite" href="#src-{m.group(1)}" aria-label="källa {m.group(1)}">[{m.group(1)}]</a>', escaped)


def _text_html(text: str) -> str:
    """Answer text as paragraphs and a bullet list ("- " lines), escaped, markers linked."""
    out, items = [], []
    for line in text.split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{link_markers(html.escape(line[2:]))}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.strip():
            out.append(f"<p>{link_markers(html.escape(line))}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


def render_answer_html(answer: Answer, lang: str = "sv", text: str | None = None) -> str:
    """An answer for the chat; an abstention gets its own look and says what was searched.

    ``text`` renders a partial answer while it streams. Example: render_answer_html(a) -> '<div class="answer" …'
    """
    body = _text_html(answer.answer if text is None else text)
    if not answer.abstained:
        return f'<div class="answer" lang="{answer.language}">{body}</div>'
    return (f'<div class="answer abstained" role="note" lang="{answer.language}">'
            f'<p class="abstained-title"><span class="icon" aria-hidden="true">⊘</span> '
            f"<strong>{html.escape(label('abstained', lang))}</strong></p>{body}</div>")


def stream_answer_html(answer: Answer, lang: str = "sv", words_per_step: int = 4) -> Iterator[str]:
    """The answer a few words at a time, ending with the whole of it.

    Example: list(stream_answer_html(a))[-1] == render_answer_html(a)
    """
    tokens = re.split(r"(\s+)", answer.answer)
    step = max(1, words_per_step) * 2  # word and the whitespace after it
    for end in range(step, len(tokens), step):
        yield render_answer_html(answer, lang, "".join(tokens[:end]) + " …")
    yield render_answer_html(answer, lang)


def render_rewritten_html(question: str, lang: str = "sv") -> str:
    """Example: render_rewritten_html("Vad beslutade Västerbotten …?") -> '<p class="rewritten">↪ Tolkad som: …'"""
    return f'<p class="rewritten">↪ {html.escape(label("rewritten", lang))}: <q>{html.escape(question)}</q></p>'


def render_error_html(message: str, lang: str = "sv") -> str:
    """A domain error as the user sees it: its message, never a traceback."""
    return (f'<div class="answer error" role="alert"><p><span class="icon" aria-hidden="true">⚠</span> '
            f"<strong>{html.escape(label('error', lang))}:</strong> {html.escape(message)}</p></div>")


# --- sources --------------------------------------------------------------------------------------
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
        holding = [c for c in by_doc.get(citation.document, []) if c.line_start <= first and last <= c.line_end]
        quoted = [c for c in holding if find_quote(c.text, citation.quote)]
        best = min(quoted or holding, key=lambda c: len(c.text), default=None)
        return best.text if best else ""

    return lookup


def _where(citation: Citation, lang: str) -> str:
    first, last = citation.lines
    lines = f"{label('lines', lang)} {first}" if first == last else f"{label('lines', lang)} {first}–{last}"
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
        f"<span>{html.escape(_where(citation, lang))}</span></p>"
        f'<blockquote class="src-text">{body}</blockquote>'
        f'<button type="button" class="show-doc" data-cite="{n}">{html.escape(label("show_doc", lang))} [{n}]</button>'
        "</article>"
    )


def render_sources_html(answer: Answer | None, chunk_text_lookup: Callable[[Citation], str], lang: str = "sv") -> str:
    """The sources panel for an answer; for an abstention, what was searched."""
    name = html.escape(label("sources", lang))
    question = html.escape(answer.question if answer else "", quote=True)
    opening = f'<section class="sources" aria-label="{name}" data-question="{question}"><h3 class="sources-title">{name}</h3>'
    if answer is None:
        return f'{opening}<p class="muted">{html.escape(label("no_sources", lang))}</p></section>'
    if answer.abstained or not answer.citations:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in answer.searched)
        searched = f"<p>{html.escape(label('searched', lang))}:</p><ul>{items}</ul>" if items else ""
        return (f'{opening}<div class="abstained"><p><strong>{html.escape(label("abstained", lang))}</strong></p>'
                f"{searched}</div></section>")
    cards = "".join(render_source_html(c, chunk_text_lookup(c), lang) for c in answer.citations)
    return f"{opening}{cards}</section>"


def render_document_html(lines: tuple[str, ...] | list[str], anchor_lines: tuple[int, int], quote: str = "",
                         title: str = "", pages: tuple[int, ...] | None = None, lang: str = "sv") -> str:
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
            out.append(f'<div class="page-break">{html.escape(label("page", lang)).capitalize()} {page}</div>')
            page_now = page
        if number == first:
            cited = "\n".join(lines[first - 1:last])
            span = f"{first}" if first == last else f"{first}–{last}"
            out.append(f'<div class="cited" id="doc-anchor" tabindex="-1"><span class="ln" aria-hidden="true">{span}</span>'
                       f'<span class="lt">{highlight(cited, quote) if quote else html.escape(cited)}</span></div>')
        elif first < number <= last:
            continue
        else:
            out.append(f'<div class="line" id="L{number}"><span class="ln" aria-hidden="true">{number}</span>'
                       f'<span class="lt">{html.escape(line) or "&nbsp;"}</span></div>')
    out.append("</div>")
    return "".join(out)


# --- exports --------------------------------------------------------------------------------------
def _source_line(c: Citation, lang: str) -> str:
    return f"[{c.n}] {c.title} — {c.section} ({_where(c, lang)})"


def answer_to_markdown(answer: Answer, lang: str = "sv") -> str:
    """An answer with its citations as Markdown.

    Example: answer_to_markdown(a).splitlines()[0] -> "# Fråga: När ska återkoppling skickas?"
    """
    out = [f"# {label('question_label', lang)}: {answer.question}", ""]
    if answer.abstained:
        out += [f"*{label('abstained', lang)}*", ""]
    out += [answer.answer, ""]
    if answer.citations:
        out += [f"## {label('sources', lang)}", ""]
        for c in answer.citations:
            out += [_source_line(c, lang), "", f"> {' '.join(c.quote.split())}", ""]
    elif answer.searched:
        out += [f"## {label('searched', lang)}", ""] + [f"- {s}" for s in answer.searched] + [""]
    return "\n".join(out)


def answer_to_docx(answer: Answer, path: Path, lang: str = "sv") -> Path:
    """An answer with its citations as a Word document at ``path``."""
    import docx

    document = docx.Document()
    document.add_heading(f"{label('question_label', lang)}: {answer.question}", level=1)
    if answer.abstained:
        document.add_paragraph().add_run(label("abstained", lang)).italic = True
    for line in answer.answer.split("\n"):
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    if answer.citations:
        document.add_heading(label("sources", lang), level=2)
        for c in answer.citations:
            document.add_paragraph(_source_line(c, lang))
            document.add_paragraph(" ".join(c.quote.split()), style="Quote")
    elif answer.searched:
        document.add_heading(label("searched", lang), level=2)
        for s in answer.searched:
            document.add_paragraph(s, style="List Bullet")
    document.save(str(path))
    return path


def export_name(question: str) -> str:
    """Example: export_name("Vad beslutade Uppsala?") -> "svar-vad-beslutade-uppsala" """
    slug = re.sub(r"[^\wåäö]+", "-", question.lower()).strip("-")[:60].strip("-")
    return f"svar-{slug or 'fraga'}"


# --- corpus ---------------------------------------------------------------------------------------
def filter_choices(chunks: list[Chunk], lang: str = "sv") -> dict[str, list[tuple[str, str]]]:
    """Dropdown choices from the corpus metadata: organisations and län, document types, years."""
    orgs: set[str] = set()
    types: set[str] = set()
    years: set[int] = set()
    for chunk in chunks:
        meta = chunk.metadata
        orgs |= {o for o in str(meta.get("orgs", "")).split("|") if o}
        orgs |= {meta["lan_name"]} if meta.get("lan_name") else set()
        types |= {meta["doc_type"]} if meta.get("doc_type") else set()
        years |= {int(meta["year"])} if meta.get("year") else set()
    anything = [(label("any", lang), "")]
    return {
        "org": anything + [(o, o) for o in sorted(orgs)],
        "doc_type": anything + [(t, t) for t in sorted(types)],
        "year": anything + [(str(y), str(y)) for y in sorted(years, reverse=True)],
    }


def _joined(values: list[str]) -> str:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.lower() not in seen:
            seen[value.lower()] = value
    return ", ".join(seen.values())


def corpus_files(corpus_dir: Path) -> list[str]:
    """Files in the corpus folder as ingest sees them, relative paths (hidden files and README.md left out)."""
    corpus = Path(corpus_dir)
    if not corpus.is_dir():
        return []
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.name != "README.md")


def document_rows(files: list[str], indexed: Mapping[str, Any], chunks: list[Chunk],
                  skipped: Mapping[str, str], lang: str = "sv") -> list[list[str]]:
    """One row per corpus document: file, organisation, län, body, type, date, diarienummer, index status."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.document, []).append(chunk.metadata)
    rows = []
    for name in sorted(set(files) | set(indexed)):
        metas = by_doc.get(name, [])
        first = metas[0] if metas else {}
        dates = sorted(str(m.get("date")) for m in metas if m.get("date"))
        if name in indexed:
            status = label("status_indexed", lang)
        elif name in skipped:
            status = f"{label('status_skipped', lang)}: {skipped[name]}"
        else:
            status = label("status_not_indexed", lang)
        rows.append([name, str(first.get("org", "")), str(first.get("lan_name", "")),
                     _joined([str(m.get("body", "")) for m in metas]), _joined([str(m.get("doc_type", "")) for m in metas]),
                     dates[0] if dates else "", _joined([str(m.get("diarienr", "")) for m in metas]), status])
    return rows


def copy_uploads(uploads: list[str], corpus_dir: Path, lang: str = "sv") -> tuple[list[Path], dict[str, str]]:
    """Uploaded files copied into the corpus folder; the ones refused, by name, with the reason."""
    copied: list[Path] = []
    refused: dict[str, str] = {}
    Path(corpus_dir).mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        name = Path(upload).name
        if Path(name).suffix.lower() not in SUPPORTED:
            refused[name] = label("unsupported", lang)
        elif name.startswith("."):
            refused[name] = label("hidden_name", lang)
        else:
            target = Path(corpus_dir) / name
            shutil.copyfile(upload, target)
            copied.append(target)
    return copied, refused


def render_ingest_report(summary: IngestSummary | None, copied: list[str], refused: Mapping[str, str],
                         lang: str = "sv") -> str:
    """What an upload did: files indexed, files refused or skipped with their reasons, notes."""
    skipped = dict(refused)
    if summary is not None:
        skipped.update({s.path: s.reason for s in summary.skipped})
    done = [name for name in copied if name not in skipped]
    out = [f'<div class="ingest-report" aria-live="polite"><h4>{html.escape(label("upload_report", lang))}</h4>']
    if done:
        out.append(f"<p>{html.escape(label('added', lang))}:</p><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in done) + "</ul>")
    if skipped:
        items = "".join(f"<li><strong>{html.escape(n)}</strong>: {html.escape(r)}</li>" for n, r in skipped.items())
        out.append(f'<div class="skipped" role="alert"><p>{html.escape(label("skipped", lang))}:</p><ul>{items}</ul></div>')
    if summary is not None and summary.notes:
        out.append(f"<p>{html.escape(label('notes', lang))}:</p><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in summary.notes) + "</ul>")
    out.append("</div>")
    return "".join(out)


# --- access ---------------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """Example: is_loopback("127.0.0.1") -> True; is_loopback("0.0.0.0") -> False"""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def auth_from_env(host: str, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]] | None:
    """Login pairs from ASSISTANT_UI_USER/ASSISTANT_UI_PASSWORD or ASSISTANT_UI_AUTH_FILE ("user:password" lines).

    Required when the host is not loopback; raises ConfigError saying how to set it.
    """
    env = os.environ if environ is None else environ
    pairs: list[tuple[str, str]] = []
    if env.get("ASSISTANT_UI_USER") and env.get("ASSISTANT_UI_PASSWORD"):
        pairs.append((env["ASSISTANT_UI_USER"], env["ASSISTANT_UI_PASSWORD"]))
    if env.get("ASSISTANT_UI_AUTH_FILE"):
        pairs += _read_auth_file(Path(env["ASSISTANT_UI_AUTH_FILE"]))
    if not pairs and not is_loopback(host):
        raise ConfigError(
            f"serving on '{host}' makes the documents reachable from the network, so a login is required: set "
            "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD, or ASSISTANT_UI_AUTH_FILE to a file of 'user:password' "
            "lines; or serve on 127.0.0.1 (the default)"
        )
    return pairs or None


def _read_auth_file(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"ASSISTANT_UI_AUTH_FILE '{path}' cannot be read ({exc.strerror}): "
                          "point it at a file of 'user:password' lines") from exc
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, sep, password = line.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError(f"ASSISTANT_UI_AUTH_FILE '{path}' line {number} is not 'user:password'")
        pairs.append((user, password))
    if not pairs:
        raise ConfigError(f"ASSISTANT_UI_AUTH_FILE '{path}' has no 'user:password' lines")
    return pairs


# --- the app --------------------------------------------------------------------------------------
CSS = """
.answer p { margin: 0 0 .4em 0; }
.answer a.cite { font-weight: 600; text-decoration: underline; color: #0b57d0; }
.answer.abstained { border-left: 4px solid #8a5300; background: #fff4e0; color: #3d2600; padding: .5em .75em; border-radius: 4px; }
.answer.abstained .abstained-title { font-size: 1.05em; }
.answer.error { border-left: 4px solid #b3261e; background: #fdecea; color: #5c1410; padding: .5em .75em; border-radius: 4px; }
.rewritten { font-size: .9em; color: #44474e; font-style: italic; margin: 0 0 .4em 0; }
.sources .source { border: 1px solid #c4c7c5; border-radius: 6px; padding: .5em .75em; margin: .5em 0; background: #ffffff; color: #1f1f1f; }
.sources .source:target { outline: 3px solid #0b57d0; }
.sources h4 { margin: 0 0 .25em 0; font-size: 1em; color: #1f1f1f; }
.sources .src-meta { font-size: .85em; color: #44474e; margin: 0 0 .4em 0; }
.sources .src-text { margin: 0 0 .5em 0; padding: .4em .6em; border-left: 3px solid #c4c7c5; white-space: pre-wrap; color: #1f1f1f; }
.sources .abstained { border-left: 4px solid #8a5300; background: #fff4e0; color: #3d2600; padding: .5em .75em; }
.sources .muted, .doc-view .muted { color: #44474e; }
mark { background: #ffe066; color: #000000; padding: 0 .1em; }
button.show-doc { border: 1px solid #0b57d0; color: #0b57d0; background: #ffffff; border-radius: 4px; padding: .2em .6em; cursor: pointer; }
button.show-doc:focus-visible, a.cite:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.doc-view { max-height: 520px; overflow-y: auto; font-size: .9em; background: #ffffff; color: #1f1f1f; border: 1px solid #c4c7c5; border-radius: 6px; padding: .5em; }
.doc-view .line, .doc-view .cited { display: flex; gap: .75em; white-space: pre-wrap; }
.doc-view .ln { color: #5f6368; min-width: 3.5em; text-align: right; user-select: none; flex: none; }
.doc-view .cited { background: #e8f0fe; border-left: 4px solid #0b57d0; scroll-margin: 80px; }
.doc-view .page-break { border-top: 1px dashed #8e918f; color: #44474e; margin: .5em 0; font-size: .85em; }
.ingest-report .skipped { border-left: 4px solid #b3261e; background: #fdecea; color: #5c1410; padding: .25em .75em; }
"""
_SOURCES_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-cite]');
  if (button) { trigger('select', {index: Number(button.dataset.cite), value: button.dataset.cite}); }
});
"""
_SCROLL_JS = """() => { setTimeout(() => { const el = document.getElementById('doc-anchor');
  if (el) { el.scrollIntoView({block: 'center'}); el.focus({preventScroll: true}); } }, 50); }"""


def theme() -> gr.themes.Base:
    """System fonts only: the default theme would fetch web fonts from outside the machine."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])


def launch_options(host: str, port: int, auth: list[tuple[str, str]] | None) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` (serve and the browser tests use the same)."""
    return {"server_name": host, "server_port": port, "auth": auth, "theme": theme(), "css": CSS,
            "ssr_mode": False, "show_error": False, "quiet": True, "share": False}


class _Corpus:
    """What the page shows of the index, recomputed only when the index changes (not per question)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._snapshot: Any = None
        self._lookup: Callable[[Citation], str] = lambda citation: ""
        self.skipped: dict[str, str] = {}  # file -> reason, from uploads in this session
        self.lock = threading.Lock()  # one ingest at a time

    def chunks(self) -> list[Chunk]:
        try:
            return list(self.assistant.snapshot.chunks)
        except IndexMissing:
            return []

    def lookup(self) -> Callable[[Citation], str]:
        try:
            snapshot = self.assistant.snapshot
        except IndexMissing:
            return self._lookup
        if snapshot is not self._snapshot:
            self._snapshot, self._lookup = snapshot, section_text_lookup(snapshot.chunks)
        return self._lookup

    def indexed(self) -> dict[str, Any]:
        try:
            return dict(self.assistant.snapshot.manifest.get("files", {}))
        except IndexMissing:
            return {}

    def table(self, lang: str) -> dict[str, Any]:
        rows = document_rows(corpus_files(self.assistant.settings.corpus_dir), self.indexed(), self.chunks(), self.skipped, lang)
        return {"headers": [label(c, lang) for c in TABLE_COLUMNS], "data": rows or [[""] * len(TABLE_COLUMNS)]}


def _muted(key: str, lang: str) -> str:
    return f'<p class="muted">{html.escape(label(key, lang))}</p>'


def _no_export() -> Any:
    return gr.update(value=None, interactive=False)


class PageActions:
    """What the page's controls do. Each method is one event handler; errors become messages."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.corpus = _Corpus(assistant)

    def respond(self, text: str, history: list[dict[str, Any]], state: dict[str, Any], org: str, doc_type: str,
                year: str, lang: str) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat: the rewritten question, then word groups, then the sources."""
        asked = " ".join((text or "").split())
        if not asked:
            yield history, text, state, gr.skip(), gr.skip()
            return
        effective = rewrite_followup(state.get("question", ""), asked) if state.get("question") else asked
        note = render_rewritten_html(effective, lang) if effective != asked else ""
        history = [*history, {"role": "user", "content": html.escape(asked)},
                   {"role": "assistant", "content": note + _muted("answering", lang)}]
        yield history, "", state, gr.skip(), gr.skip()
        try:
            answer = self.assistant.ask(effective, Filters(org=org or "", doc_type=doc_type or "", year=int(year or 0)))
        except AssistantError as exc:
            history[-1] = {"role": "assistant", "content": note + render_error_html(str(exc), lang)}
            yield history, "", state, gr.skip(), gr.skip()
            return
        for partial in stream_answer_html(answer, lang):
            history[-1] = {"role": "assistant", "content": note + partial}
            yield history, "", state, gr.skip(), gr.skip()
            time.sleep(0.02)  # lets the browser paint each word group; a few steps of 20 ms
        state = {"question": effective, "answer": answer}
        yield history, "", state, render_sources_html(answer, self.corpus.lookup(), lang), _muted("viewer_empty", lang)

    def exports(self, state: dict[str, Any], lang: str) -> tuple[Any, Any]:
        """Markdown and .docx files of the latest answer, for the two download buttons."""
        answer = state.get("answer")
        if answer is None:
            return _no_export(), _no_export()
        folder = Path(tempfile.mkdtemp(prefix="assistant-export-"))
        name = export_name(answer.question)
        md_path = folder / f"{name}.md"
        md_path.write_text(answer_to_markdown(answer, lang), encoding="utf-8")
        docx_path = answer_to_docx(answer, folder / f"{name}.docx", lang)
        return gr.update(value=str(md_path), interactive=True), gr.update(value=str(docx_path), interactive=True)

    def show_document(self, state: dict[str, Any], lang: str, evt: gr.SelectData) -> str:
        """The whole document of citation ``evt.index``, the cited lines marked (the page scrolls there)."""
        answer = state.get("answer")
        cited = [c for c in (answer.citations if answer else ()) if str(c.n) == str(evt.index)]
        if not cited:
            return _muted("viewer_empty", lang)
        c = cited[0]  # subtle: the path comes from our own citation, never from the browser
        settings = self.assistant.settings
        try:
            source = read_source(Path(settings.corpus_dir) / c.document, c.document, settings.max_file_mb)
        except AssistantError as exc:
            return render_error_html(f"{c.document}: {exc}", lang)
        return render_document_html(source.lines, c.lines, c.quote, f"{c.title} ({c.document})", source.pages, lang)

    def new_conversation(self, lang: str) -> tuple[Any, ...]:
        return ([], "", {"question": "", "answer": None}, render_sources_html(None, self.corpus.lookup(), lang),
                _muted("viewer_empty", lang), _no_export(), _no_export())

    def add_files(self, files: list[str] | None, lang: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Copy uploads into the corpus and ingest them; refused and skipped files are named with reasons."""
        if not files:
            return _muted("nothing_uploaded", lang), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        copied, refused = copy_uploads(list(files), Path(self.assistant.settings.corpus_dir), lang)
        names = [p.name for p in copied]

        def report(stage: str, done: int, total: int) -> None:
            key = f"progress_{stage}"
            progress((done, max(total, 1)), desc=label(key, lang) if key in LABELS["sv"] else stage)

        summary = None
        with self.corpus.lock:
            try:
                summary = self.assistant.ingest(copied, report) if copied else None
            except AssistantError as exc:
                refused.update(dict.fromkeys(names, str(exc)))
        for name in names:
            self.corpus.skipped.pop(name, None)
        self.corpus.skipped.update({s.path: s.reason for s in summary.skipped} if summary else {})
        self.corpus.skipped.update(refused)
        fresh = filter_choices(self.corpus.chunks(), lang)
        return (render_ingest_report(summary, names, refused, lang), self.corpus.table(lang),
                gr.update(choices=fresh["org"]), gr.update(choices=fresh["doc_type"]), gr.update(choices=fresh["year"]), None)

    def relabel(self, lang: str, state: dict[str, Any], viewer: str) -> tuple[Any, ...]:
        """Every control's text in the chosen language (in the order of ``relabelled`` in build_app)."""
        fresh = filter_choices(self.corpus.chunks(), lang)
        chat_hint = label("intro", lang) if self.corpus.chunks() else label("no_index", lang)
        return (
            f"# {label('title', lang)}\n{label('intro', lang)}", gr.update(label=label("tab_chat", lang)),
            gr.update(label=label("tab_docs", lang)), gr.update(label=label("chat", lang), placeholder=chat_hint),
            gr.update(label=label("question", lang), placeholder=label("question_hint", lang)),
            gr.update(value=label("send", lang)), gr.update(value=label("new_chat", lang)),
            gr.update(label=label("export_md", lang)), gr.update(label=label("export_docx", lang)),
            f"### {label('filters', lang)}",
            gr.update(label=label("org", lang), choices=fresh["org"]),
            gr.update(label=label("doc_type", lang), choices=fresh["doc_type"]),
            gr.update(label=label("year", lang), choices=fresh["year"]),
            render_sources_html(state.get("answer"), self.corpus.lookup(), lang),
            gr.update(value=self.corpus.table(lang), label=label("docs_table", lang)),
            gr.update(label=label("upload", lang)), gr.update(value=label("ingest", lang)),
            gr.skip() if "doc-view" in (viewer or "") else _muted("viewer_empty", lang),
        )


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole page: chat with filters, sources and document viewer; documents tab with upload."""
    actions = PageActions(assistant)
    chunks = actions.corpus.chunks()
    choices = filter_choices(chunks)
    with gr.Blocks(title=label("title")) as app:
        conv = gr.State({"question": "", "answer": None})
        with gr.Row():
            title = gr.Markdown(f"# {label('title')}\n{label('intro')}")
            lang = gr.Radio(LANGUAGES, value="sv", label="Språk / Language", scale=0, min_width=220, elem_id="lang")
        with gr.Tabs():
            with gr.Tab(label("tab_chat"), id="chat") as chat_tab, gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label=label("chat"), height=460, elem_id="chat", buttons=["copy", "copy_all"],
                                         placeholder=label("intro") if chunks else label("no_index"))
                    question = gr.Textbox(label=label("question"), placeholder=label("question_hint"),
                                          lines=1, max_lines=4, elem_id="question", autofocus=True)
                    with gr.Row():
                        send = gr.Button(label("send"), variant="primary", elem_id="send")
                        new_chat = gr.Button(label("new_chat"), elem_id="new-chat")
                    with gr.Row():
                        export_md = gr.DownloadButton(label("export_md"), interactive=False, elem_id="export-md", size="sm")
                        export_docx = gr.DownloadButton(label("export_docx"), interactive=False, elem_id="export-docx", size="sm")
                    viewer = gr.HTML(_muted("viewer_empty", "sv"), label=label("viewer"), elem_id="viewer")
                with gr.Column(scale=2):
                    filters_title = gr.Markdown(f"### {label('filters')}")
                    org = gr.Dropdown(choices["org"], value="", label=label("org"), elem_id="filter-org")
                    with gr.Row():
                        doc_type = gr.Dropdown(choices["doc_type"], value="", label=label("doc_type"), elem_id="filter-type")
                        year = gr.Dropdown(choices["year"], value="", label=label("year"), elem_id="filter-year")
                    sources = gr.HTML(render_sources_html(None, actions.corpus.lookup()), label=label("sources"),
                                      elem_id="sources", js_on_load=_SOURCES_JS)
            with gr.Tab(label("tab_docs"), id="docs") as docs_tab:
                table = gr.Dataframe(value=actions.corpus.table("sv"), label=label("docs_table"), interactive=False,
                                     wrap=True, elem_id="documents", type="array", column_widths=TABLE_WIDTHS)
                uploads = gr.File(file_count="multiple", file_types=sorted(SUPPORTED), label=label("upload"), elem_id="upload")
                ingest = gr.Button(label("ingest"), variant="primary", elem_id="ingest")
                report = gr.HTML("", label=label("upload_report"), elem_id="ingest-report")

        gr.on([question.submit, send.click], actions.respond, [question, chatbot, conv, org, doc_type, year, lang],
              [chatbot, question, conv, sources, viewer], show_progress="hidden",
              ).then(actions.exports, [conv, lang], [export_md, export_docx], show_progress="hidden")
        sources.select(actions.show_document, [conv, lang], [viewer], show_progress="hidden").then(None, js=_SCROLL_JS)
        new_chat.click(actions.new_conversation, [lang], [chatbot, question, conv, sources, viewer, export_md, export_docx])
        ingest.click(actions.add_files, [uploads, lang], [report, table, org, doc_type, year, uploads])
        relabelled = [title, chat_tab, docs_tab, chatbot, question, send, new_chat, export_md, export_docx,
                      filters_title, org, doc_type, year, sources, table, uploads, ingest, viewer]
        lang.change(actions.relabel, [lang, conv, viewer], relabelled)
    return app


def warm_up(assistant: Assistant) -> str:
    """Load the index and the model before the first visitor, so the first answer is quick."""
    try:
        assistant.ask("Vad gäller för återkoppling?")
    except IndexMissing as exc:
        return str(exc)
    return ""


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Start the page. Off loopback a login is required (see ``auth_from_env``)."""
    from assistant.service import Assistant

    credentials = auth_from_env(host)
    assistant = Assistant(settings)
    problem = warm_up(assistant)
    app = build_app(assistant)
    app.queue(default_concurrency_limit=4)
    shown = f"[{host}]" if ":" in host else host
    print(f"Assistant UI on http://{shown}:{port}/  (corpus {settings.corpus_dir}, index {settings.index_dir})", flush=True)
    if credentials:
        print(f"Login required: {len(credentials)} user(s) from {', '.join(AUTH_ENV)}", flush=True)
    if problem:
        print(f"note: {problem}; you can add documents in the page's Documents tab", flush=True)
    app.launch(**launch_options(host, port, credentials), prevent_thread_lock=not block)
    return app
