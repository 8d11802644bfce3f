"""Hostile-file benchmark (issue #24): peak memory and time of `assistant ingest` and of an
`assistant ask` that cites the file, for each hostile file of the issue at the issue's size, and
ingest of many one-line files.

Each command runs as the child of a fresh process, so its peak RSS (resource.getrusage of the
children) is its own. Every case starts from a copy of one index holding one bundled document, so
ingest reads only the hostile file (model load and embedding of its text included).

Run: python benchmarks/hostile.py [--only NAME ...] [--files N] [--code DIR]
     (writes benchmarks/results_hostile.json, prints each row; --code runs another checkout's
     assistant, e.g. `git archive 8b40305 | tar -x -C /tmp/old` for the numbers before)
Target: every hostile case <= 500 MB peak and <= 10 s, for ingest and for ask.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_files import (  # noqa: E402 (the repository root is put on the path first)
    docx_with_media_bomb,
    docx_with_whitespace_document,
    markdown_with_line,
    odt_with_media_bomb,
    run_measured,
)

BASE = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"
QUESTION = "När ska förvaltningen återkoppla till nämnden?"
TARGET_MB, TARGET_S = 500, 10
RESULTS = ROOT / "benchmarks" / "results_hostile.json"

CASES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "docx-media-bomb-3GiB": (
        "media.docx",
        lambda p: docx_with_media_bomb(p, unpacked_mb=3072),
    ),
    "odt-media-bomb-3GiB": ("media.odt", lambda p: odt_with_media_bomb(p, unpacked_mb=3072)),
    "docx-whitespace-1.5GiB": (
        "whitespace.docx",
        lambda p: docx_with_whitespace_document(p, unpacked_mb=1536),
    ),
    "md-200k-brackets": ("brackets200k.md", lambda p: markdown_with_line(p, "[", 200_000)),
    "md-100k-brackets": ("brackets100k.md", lambda p: markdown_with_line(p, "[", 100_000)),
    "md-emphasis-50k": ("emphasis.md", lambda p: markdown_with_line(p, "**a ", 200_000)),
    "md-200k-image-brackets": ("images.md", lambda p: markdown_with_line(p, "![", 200_000)),
    "md-200k-link-openers": ("links.md", lambda p: markdown_with_line(p, "[a](", 200_000)),
}


CODE = ROOT  # the checkout whose assistant runs (--code)


def _env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(CODE),
        "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
        "ASSISTANT_INDEX_DIR": str(root / "index"),
    }


def _base(folder: Path) -> Path:
    root = folder / "base"
    (root / "corpus").mkdir(parents=True)
    shutil.copy2(ROOT / "corpus" / BASE, root / "corpus" / BASE)
    code, _, err, _, _ = run_measured(["ingest"], _env(root), CODE)
    if code != 0:
        raise SystemExit(f"could not build the base index: {err}")
    return root


def _case(name: str, base: Path, folder: Path) -> dict[str, object]:
    file_name, make = CASES[name]
    root = folder / name
    shutil.copytree(base, root)
    path = make(root / "corpus" / file_name)
    code, out, err, peak, seconds = run_measured(["ingest"], _env(root), CODE, timeout=900)
    said = [x.strip() for x in (out + err).splitlines() if file_name in x]
    row: dict[str, object] = {
        "case": name,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
        "ingest_s": round(seconds, 2),
        "ingest_peak_mb": round(peak, 1),
        "ingest_exit": code,
        "ingest_says": said[0][:240] if said else "",
    }
    code, out, err, peak, seconds = run_measured(
        ["ask", "--json", QUESTION], _env(root), CODE, timeout=900
    )
    cited = sorted({c["document"] for c in json.loads(out)["citations"]}) if code == 0 else []
    row |= {
        "ask_s": round(seconds, 2),
        "ask_peak_mb": round(peak, 1),
        "ask_cites": cited,
        "ask_exit": code,
    }
    worst_mb = max(float(row["ingest_peak_mb"]), float(row["ask_peak_mb"]))  # type: ignore[arg-type]
    worst_s = max(float(row["ingest_s"]), float(row["ask_s"]))  # type: ignore[arg-type]
    row["met"] = worst_mb <= TARGET_MB and worst_s <= TARGET_S
    shutil.rmtree(root, ignore_errors=True)
    return row


def _many_files(count: int, folder: Path) -> dict[str, object]:
    """Ingest of ``count`` one-line files from nothing, then a no-change re-ingest."""
    root = folder / f"files-{count}"
    (root / "corpus").mkdir(parents=True)
    for n in range(count):
        (root / "corpus" / f"fil-{n:05d}.txt").write_text(
            f"Kommun nummer {n} beslutade om plan {n * 7} för välfärd år {2000 + n % 30}.\n",
            encoding="utf-8",
        )
    _, _, _, peak, first = run_measured(["ingest"], _env(root), CODE, timeout=3600)
    _, _, _, _, again = run_measured(["ingest"], _env(root), CODE)
    shutil.rmtree(root, ignore_errors=True)
    return {
        "case": f"{count}-one-line-files",
        "ingest_s": round(first, 2),
        "ms_per_file": round(1000 * first / count, 1),
        "ingest_peak_mb": round(peak, 1),
        "no_change_s": round(again, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), default=sorted(CASES))
    parser.add_argument("--files", type=int, default=500, help="one-line files (0: skip)")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to run (default: this)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve()
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        base = _base(folder)
        rows = []
        for name in args.only:
            rows.append(_case(name, base, folder))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        many = _many_files(args.files, folder) if args.files else None
        if many:
            print(json.dumps(many, ensure_ascii=False), flush=True)
    results = {
        "started": started,
        "code": str(CODE),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "target": {"peak_mb": TARGET_MB, "seconds": TARGET_S},
        "cases": rows,
        "many_files": many,
    }
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
