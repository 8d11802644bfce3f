"""Document readers benchmark (issue #23): what OCR, PDF tables and saved web pages cost to read.

Measures, on files made here from the bundled PDFs: OCR of one scanned page (render + Tesseract,
empty cache) and the same page from the cache (what the citation check pays at every question);
the refusal of a 500-page scan over the OCR limit; reading the bundled PDFs with and without the
layout pass that finds tables; saved web pages of growing size (the reason for
ASSISTANT_MAX_HTML_MB). Prints a table and writes benchmarks/results_documents.json with the load
average, because neighbours on a shared machine change every number.

Run: python benchmarks/documents.py
Targets: a cached page reads in under 0.1 s; a 500-page scan is refused in under 5 s; a page at
the HTML limit (5 MB) reads in under 30 s.
"""

from __future__ import annotations

import io
import json
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image

from assistant.errors import UnreadableFile
from assistant.ingest import pdf as pdf_reader
from assistant.ingest.readers import read_source

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SCANNED_FROM = DATA / "alingsas-fardplan-god-och-nara-vard-remissvar.pdf"
PARAGRAPH = (
    "<p>Förvaltningen ska återkoppla till nämnden {n} gånger om hur arbetet med planen går.</p>\n"
)


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - started, 3)


def scanned_page(folder: Path) -> dict[str, object]:
    png = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "200", "-gray", "-png", str(SCANNED_FROM)],
        capture_output=True,
        check=True,
    ).stdout
    path = folder / "skannad.pdf"
    Image.open(io.BytesIO(png)).convert("L").save(path, resolution=200)
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    source, cold = _timed(lambda: read_source(path, path.name))
    _, warm = _timed(lambda: read_source(path, path.name))
    return {"ocr_page_s": cold, "cached_page_s": warm, "lines": len(source.lines)}


def scan_over_limit(folder: Path) -> dict[str, object]:
    page = Image.new("1", (40, 40), 1)
    path = folder / "arkiv.pdf"
    page.save(path, save_all=True, append_images=[page] * 499)

    def refuse() -> str:
        try:
            read_source(path, path.name)
        except UnreadableFile as exc:
            return str(exc)
        return "read"

    message, seconds = _timed(refuse)
    return {"pages": 500, "refused_s": seconds, "message": message}


def pdf_tables() -> list[dict[str, object]]:
    rows = []
    for path in sorted(DATA.glob("*.pdf")):
        source, with_tables = _timed(lambda p=path: read_source(p, p.name))
        original = pdf_reader._table_rows
        pdf_reader._table_rows = lambda page: []  # the plain text layer only
        try:
            _, plain = _timed(lambda p=path: read_source(p, p.name))
        finally:
            pdf_reader._table_rows = original
        rows.append(
            {
                "file": path.name,
                "pages": len(set(source.pages or ())),
                "with_tables_s": with_tables,
                "plain_s": plain,
                "table_rows": sum("\t" in line for line in source.lines),
            }
        )
    return rows


def web_pages(folder: Path) -> list[dict[str, object]]:
    rows = []
    for mb in (0.5, 1.0, 2.0, 4.0):
        size = int(mb * 1024 * 1024)
        body, n = [], 0
        while sum(map(len, body)) < size:
            body.append(PARAGRAPH.format(n=n))
            n += 1
        path = folder / f"sida-{mb}.html"
        path.write_text(f"<html><body><main>{''.join(body)}</main></body></html>", "utf-8")
        source, seconds = _timed(lambda p=path: read_source(p, p.name, max_mb=100, max_html_mb=100))
        rows.append({"mb": mb, "seconds": seconds, "lines": len(source.lines)})
    return rows


def main() -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": round(load_before, 2),
            "scanned_page": scanned_page(folder),
            "scan_over_limit": scan_over_limit(folder),
            "pdf_tables": pdf_tables(),
            "web_pages": web_pages(folder),
            "load_average_after": round(os.getloadavg()[0], 2),
            "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    out = ROOT / "benchmarks" / "results_documents.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
