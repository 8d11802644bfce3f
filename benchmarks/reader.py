"""Reader-alone benchmark: top-1 sentence accuracy on held-out reading-comprehension sets, beside
word overlap, and the reader's time per question (12 sentences, as the answerer scores).

Run: python benchmarks/reader.py   (writes benchmarks/results_reader.json and prints a table)
Targets (issue #20): SweQUAD-MC test top-1 >= 0.85; SQuAD-sv held-out articles: answerable top-1
>= 0.80, unanswerable rejected >= 0.70 (rejected: P(none) >= 0.5, i.e. no sentence's softmax share
beats the "none" slot the reader was trained with).
Sets: SweQUAD-MC test as published (102 questions) and dev (126); the SQuAD-sv articles that
scripts/train_reader.py holds out (datasets.squad_split). Wall-clock on the machine it runs on.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.features import READER_SPANS  # noqa: E402
from assistant.answer.reader import datasets  # noqa: E402
from assistant.answer.reader.model import Reader  # noqa: E402
from assistant.evaluation.reading import measure  # noqa: E402


def latency(items: Sequence[datasets.Item]) -> dict[str, float]:
    """Per question, READER_SPANS sentences, nothing cached (a fresh reader): cold texts."""
    reader = Reader()
    times = []
    for item in items[:40]:
        sentences = list(item.sentences[:READER_SPANS])
        started = time.perf_counter()
        reader.logits(item.question, sentences)
        times.append((time.perf_counter() - started) * 1000)
        reader._states.clear()  # subtle: every question pays for its sentences, as a new one does
    times.sort()
    return {
        "spans_per_question": READER_SPANS,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
    }


def main() -> None:
    started = time.perf_counter()
    reader = Reader()
    load_s = time.perf_counter() - started
    _, squad_held = datasets.squad_split()
    sets = {
        "swequad_mc_test": datasets.swequad("test"),
        "swequad_mc_dev": datasets.swequad("dev"),
        "squad_sv_heldout": squad_held,
    }
    results: dict[str, object] = {name: measure(reader, items) for name, items in sets.items()}
    results["latency"] = {"load_s": round(load_s, 2), **latency(sets["swequad_mc_test"])}
    results["machine"] = {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "note": "2 cores shared with other work; wall-clock",
    }
    out = ROOT / "benchmarks" / "results_reader.json"
    out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
