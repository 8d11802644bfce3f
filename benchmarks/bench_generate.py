"""Speed of generated answers with the bundled model: server start, time to first token and end to
end seconds per answer (extractive answer + prompt + generation + verification).

Run: python benchmarks/bench_generate.py   (writes benchmarks/results_generate.json, prints it)
Targets (issue #13): p50 end to end <= 20 s, first token <= 8 s, on this 2-core machine.
Uses the index in ASSISTANT_INDEX_DIR (default index/; run `assistant ingest` first). The machine is
shared: the results file records the load average, since 2 busy neighbours halve the speed.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "När ska återkoppling om Färdplan Nära vård skickas?",
    "Vad beslutade kommunstyrelsen i Enköping?",
    "Vilka fokusområden har HSVO-strategin?",
    "Vem är handläggare för remissvaret i Alingsås?",
    "When must feedback on the decision be sent?",
]


def main() -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from assistant.config import Settings
    from assistant.generate.generator import Generator
    from assistant.service import Assistant

    settings = Settings.from_env()
    assistant = Assistant(settings)
    assistant.ask(QUESTIONS[0])  # index and embedder loaded before timing
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "llm": settings.llm,
        "threads": settings.llm_threads,
        "max_tokens": settings.llm_max_tokens,
    }
    with Generator(settings) as generator:
        started = time.perf_counter()
        generator.llm  # noqa: B018 (starts the bundled server)
        results["server_start_s"] = round(time.perf_counter() - started, 2)
        rows = []
        for question in QUESTIONS:
            started = time.perf_counter()
            answer = generator.generate(assistant.ask(question))
            total = time.perf_counter() - started
            rows.append(
                {
                    "question": question,
                    "mode": answer.mode,
                    "dropped_claims": answer.dropped_claims,
                    "first_token_s": round(answer.timings_ms.get("first_token_ms", 0) / 1000, 2),
                    "end_to_end_s": round(total, 2),
                    "answer": answer.answer[:200],
                }
            )
    results["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    timed = [r for r in rows if r["first_token_s"]]
    firsts = [float(r["first_token_s"]) for r in timed]  # type: ignore[arg-type]
    totals = [float(r["end_to_end_s"]) for r in timed]  # type: ignore[arg-type]
    results["first_token_s_p50"] = round(statistics.median(firsts), 2) if firsts else None
    results["end_to_end_s_p50"] = round(statistics.median(totals), 2) if totals else None
    results["targets_met"] = {
        "first_token_s_p50": bool(firsts) and statistics.median(firsts) <= 8,
        "end_to_end_s_p50": bool(totals) and statistics.median(totals) <= 20,
    }
    results["answers"] = rows
    out = ROOT / "benchmarks" / "results_generate.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
