"""Speed benchmark: warm query latency, cold `assistant ask`, ingest from nothing and re-ingest.

Run: python benchmarks/bench.py   (writes benchmarks/results.json and prints a table)
Targets (issue #2): warm p50 <= 150 ms; cold ask <= 8 s; ingest from nothing <= 60 s; re-ingest <= 5 s.
Numbers are wall-clock on the machine it runs on; the results file records which.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "När ska återkoppling om Färdplan Nära vård skickas?",
    "Vad beslutade kommunstyrelsen i Enköping?",
    "Vilka fokusområden har HSVO-strategin?",
    "what did Uppsala decide about kompetensförsörjning?",
    "Vem är handläggare för remissvaret i Alingsås?",
    "Hur ska försörjning av kompetens säkras?",
    "Vad beslutade Region Skåne om nära vård?",
    "When must feedback on the decision be sent?",
]


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", *args], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_INDEX_DIR": str(work / "index"),
    }
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    results["ingest_from_nothing_s"] = round(_run(["ingest"], env), 2)
    results["reingest_unchanged_s"] = round(_run(["ingest"], env), 2)
    cold = [_run(["ask", QUESTIONS[0]], env) for _ in range(3)]
    results["cold_ask_s_median"] = round(statistics.median(cold), 2)

    from assistant.config import Settings
    from assistant.service import Assistant

    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=work / "index"))
    assistant.ask(QUESTIONS[0])  # warm up: model, index, verifier cache
    timings = []
    for _ in range(5):
        for question in QUESTIONS:
            started = time.perf_counter()
            assistant.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    results["warm_ask_ms_p50"] = round(statistics.median(timings), 1)
    results["warm_ask_ms_p95"] = round(timings[int(len(timings) * 0.95) - 1], 1)
    results["index_bytes"] = sum(
        p.stat().st_size for p in (work / "index").rglob("*") if p.is_file()
    )
    targets = {
        "warm_ask_ms_p50": 150,
        "cold_ask_s_median": 8,
        "ingest_from_nothing_s": 60,
        "reingest_unchanged_s": 5,
    }
    results["targets_met"] = {k: results[k] <= v for k, v in targets.items()}  # type: ignore[operator]
    out = ROOT / "benchmarks" / "results.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:24} {value}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
