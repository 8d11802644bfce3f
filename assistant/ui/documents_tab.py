"""The Documents tab's content: the corpus table's rows, copying uploads in, the upload report.

Does not: ingest (``Assistant.ingest`` does, called from actions.py) or import gradio.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from assistant.documents import Chunk, ChunkMetadata, IngestSummary
from assistant.ingest.readers import SUPPORTED
from assistant.ui.labels import label

TABLE_COLUMNS = (
    "col_file",
    "col_org",
    "col_lan",
    "col_body",
    "col_type",
    "col_date",
    "col_diarie",
    "col_status",
    "col_reader",
)
TABLE_WIDTHS: list[str | int] = ["20%", "11%", "10%", "13%", "11%", "8%", "8%", "9%", "10%"]


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
    return sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    )


def document_rows(
    files: list[str],
    indexed: Mapping[str, Any],
    chunks: list[Chunk],
    skipped: Mapping[str, str],
    lang: str = "sv",
    waiting: Collection[str] = (),
) -> list[list[str]]:
    """One row per corpus document: file, organisation, län, body, type, date, diarienummer, index
    status, and what read it ("pdf, 12 pages, 3 by OCR"; "" for an index made before it was kept)."""
    by_doc: dict[str, list[ChunkMetadata]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.document, []).append(chunk.metadata)
    rows = []
    for name in sorted(set(files) | set(indexed)):
        metas = by_doc.get(name, [])
        first = metas[0] if metas else ChunkMetadata()
        dates = sorted(m.date for m in metas if m.date)
        if name in indexed and name in waiting:
            status = label("status_lexical", lang)
        elif name in indexed:
            status = label("status_indexed", lang)
        elif name in skipped:
            status = f"{label('status_skipped', lang)}: {skipped[name]}"
        else:
            status = label("status_not_indexed", lang)
        rows.append(
            [
                name,
                first.org,
                first.lan_name,
                _joined([m.body for m in metas]),
                _joined([m.doc_type for m in metas]),
                dates[0] if dates else "",
                _joined([m.diarienr for m in metas]),
                status,
                _reader(indexed.get(name)),
            ]
        )
    return rows


def _reader(entry: Any) -> str:
    return str(entry.get("reader", "")) if isinstance(entry, Mapping) else ""


def copy_uploads(
    uploads: list[str],
    corpus_dir: Path,
    lang: str = "sv",
    max_mb: float = 20.0,
    *,
    upload_root: Path,
) -> tuple[list[Path], dict[str, str], list[str]]:
    """Uploaded files copied into the corpus folder; the ones refused, by name, with the reason;
    notes (a same-name upload with other content is kept beside the old file with a suffix).
    Only files under ``upload_root`` (gradio's upload folder) are uploads: any other path is
    refused and left alone. Every upload's temporary copy is removed, refused or not."""
    copied: list[Path] = []
    refused: dict[str, str] = {}
    notes: list[str] = []
    Path(corpus_dir).mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        name = Path(upload).name
        received = received_upload(upload, upload_root)
        if received is None:
            refused[name] = label("not_uploaded", lang)
            continue  # subtle: not ours to delete either
        upload = str(received)
        try:
            size = received.stat().st_size
        except OSError:
            size = 0
        if Path(name).suffix.lower() not in SUPPORTED:
            refused[name] = label("unsupported", lang)
        elif name.startswith("."):
            refused[name] = label("hidden_name", lang)
        elif size > max_mb * 1024 * 1024:
            refused[name] = label("too_large", lang).format(size=size / 1024 / 1024, limit=max_mb)
        else:
            target = _free_name(Path(corpus_dir) / name, Path(upload))
            if not target.exists():
                if target.name != name:
                    notes.append(label("renamed", lang).format(name=name, new=target.name))
                shutil.copyfile(upload, target)
            copied.append(target)
        Path(upload).unlink(missing_ok=True)
    return copied, refused, notes


def received_upload(upload: str, upload_root: Path) -> Path | None:
    """The real path of a file gradio received as an upload, or None when ``upload`` is anything
    else: a server path sent through the API, or a link or ``..`` that leads out of the upload
    folder. The check is on the resolved path, so no link inside the folder can point out of it.

    Example: received_upload("/tmp/gradio/ab12/plan.txt", Path("/tmp/gradio")) -> Path("/tmp/gradio/ab12/plan.txt")
             received_upload("/etc/passwd", Path("/tmp/gradio")) -> None
    """
    try:
        real = Path(upload).resolve(strict=True)
        root = Path(upload_root).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a link loop
        return None
    if real == root or not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def _free_name(target: Path, upload: Path) -> Path:
    """``target``, or ``stem-2.ext``, ``stem-3.ext`` … when a file with other content has its name;
    an identical file already there is reused."""
    candidate, n = target, 1
    while candidate.exists() and not _same_content(candidate, upload):
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate


def _same_content(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def render_ingest_report(
    summary: IngestSummary | None, copied: list[str], refused: Mapping[str, str], lang: str = "sv"
) -> str:
    """What an upload did: files indexed, files refused or skipped with their reasons, notes."""
    skipped = dict(refused)
    if summary is not None:
        skipped.update({s.path: s.reason for s in summary.skipped})
    done = [name for name in copied if name not in skipped]
    out = [
        f'<div class="ingest-report" aria-live="polite"><h4>{html.escape(label("upload_report", lang))}</h4>'
    ]
    if done:
        out.append(
            f"<p>{html.escape(label('added', lang))}:</p><ul>"
            + "".join(f"<li>{html.escape(n)}</li>" for n in done)
            + "</ul>"
        )
    if skipped:
        items = "".join(
            f"<li><strong>{html.escape(n)}</strong>: {html.escape(r)}</li>"
            for n, r in skipped.items()
        )
        out.append(
            f'<div class="skipped" role="alert"><p>{html.escape(label("skipped", lang))}:</p><ul>{items}</ul></div>'
        )
    if summary is not None and summary.notes:
        out.append(
            f"<p>{html.escape(label('notes', lang))}:</p><ul>"
            + "".join(f"<li>{html.escape(n)}</li>" for n in summary.notes)
            + "</ul>"
        )
    out.append("</div>")
    return "".join(out)
