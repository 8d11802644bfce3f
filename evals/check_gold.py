#!/usr/bin/env python3
"""Validate the gold evaluation set in evals/gold/*.jsonl (the rules: assistant/evaluation/gold_check.py).

Run from anywhere:  python evals/check_gold.py

Another folder (e.g. the held-out set):  python evals/check_gold.py --dir evals/heldout
runs the same checks on that folder's *.jsonl, skips the coverage minimums (they are meant
for the main set) and also fails if an id or id prefix is already used in evals/gold.
The devcorpus (its own format, questions.jsonl):  python evals/check_gold.py --dir evals/devcorpus
Prints counts per tag, per document, per file and per language. Exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.gold_check import check_devcorpus, check_gold_dir, render_check  # noqa: E402

GOLD_DIR = ROOT / "evals" / "gold"
CORPUS_DIR = ROOT / "corpus"


def resolve_dir(arg: str) -> Path:
    """A --dir argument: absolute, relative to the cwd, or relative to the repo root."""
    p = Path(arg)
    if p.is_absolute() or p.is_dir():
        return p.resolve()
    return (ROOT / p).resolve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate a gold evaluation set.")
    parser.add_argument(
        "--dir",
        default=None,
        help="folder of *.jsonl cases (default evals/gold, with coverage minimums)",
    )
    args = parser.parse_args(argv)
    gold_dir = GOLD_DIR if args.dir is None else resolve_dir(args.dir)
    if (gold_dir / "questions.jsonl").is_file() and (gold_dir / "corpus").is_dir():
        check = check_devcorpus(gold_dir)
        print(render_check(check, [p.name for p in (gold_dir / "corpus").glob("*.md")]))
        return 0 if check.ok else 1
    if not CORPUS_DIR.is_dir() or not any(gold_dir.glob("*.jsonl")):
        missing = CORPUS_DIR if not CORPUS_DIR.is_dir() else gold_dir
        print(f"ERROR: nothing to check at {missing} (corpus/ and a folder of *.jsonl are needed)")
        return 2
    check = check_gold_dir(gold_dir, CORPUS_DIR, GOLD_DIR)
    print(render_check(check, [p.name for p in CORPUS_DIR.glob("*.txt")]))
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
