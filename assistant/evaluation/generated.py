"""``assistant eval --generate``: generated answers beside the extractive ones on a fixed subset of
the gold set (40 answerable cases spread over every file, 10 unanswerable). Not part of the gate.

Rows: fact accuracy (every expected fact in the answer text), the same counting the quotes too,
abstention on unanswerable cases and false abstention on answerable ones, the share of answers
shown as generated, the unsupported-sentence rate (dropped / generated sentences) and seconds per
answer. Writes evals/reports/generated-<timestamp>.json.

Does not: gate, touch the ratchet baseline or the main report (pipeline.py).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.answers import Answer
from assistant.config import Settings
from assistant.evaluation.gold import GoldCase, load_gold
from assistant.evaluation.results import CaseResult
from assistant.evaluation.runner import SystemUnderTest, run_case


def subset(cases: list[GoldCase], answerable: int = 40, unanswerable: int = 10) -> list[GoldCase]:
    """Evenly spaced answerable cases (in id order) and the first unanswerable ones; deterministic."""
    pos = sorted((c for c in cases if not c.abstain), key=lambda c: c.id)
    neg = sorted((c for c in cases if c.abstain), key=lambda c: c.id)
    step = max(1, len(pos) // max(1, answerable))
    return pos[::step][:answerable] + neg[:unanswerable]


def summarise(results: list[CaseResult], answers: list[Answer]) -> dict[str, float]:
    """One row of the table from per-case results and the answers as shown."""
    pos = [r for r in results if not r.abstain_expected]
    neg = [r for r in results if r.abstain_expected]
    generated = [a for a in answers if a.mode == "generated"]
    kept = sum(len(a.claims) for a in generated)
    dropped = sum(a.dropped_claims for a in answers)
    seconds = [r.latency_ms / 1000 for r in results]
    return {
        "cases": len(results),
        "fact_accuracy": _share(r.answer_correct for r in pos),
        "fact_accuracy_with_quotes": _share(r.correct for r in pos),
        "abstention_unanswerable": _share(r.abstained for r in neg),
        "false_abstention": _share(r.abstained for r in pos),
        "generated_share": _share(a.mode == "generated" for a in answers),
        "unsupported_rate": dropped / (kept + dropped) if kept + dropped else 0.0,
        "dropped_sentences": dropped,
        "shown_generated_sentences": kept,
        "seconds_mean": statistics.fmean(seconds) if seconds else 0.0,
        "seconds_p50": statistics.median(seconds) if seconds else 0.0,
        "errors": sum(bool(r.error) for r in results),
    }


def run_generated(
    settings: Settings,
    gold_dir: Path,
    reports_dir: Path,
    answerable: int = 40,
    unanswerable: int = 10,
) -> dict[str, Any]:
    """Both rows on the subset; the report is written to ``reports_dir`` and returned."""
    from assistant.answer.verify import CitationVerifier
    from assistant.generate.generator import Generator
    from assistant.service import Assistant

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    cases = subset(load_gold(gold_dir), answerable, unanswerable)
    assistant = Assistant(settings)
    verify = CitationVerifier(settings.corpus_dir).verify
    rows: dict[str, Any] = {}
    per_case: dict[str, list[dict[str, Any]]] = {}
    with Generator(settings) as generator:
        systems = {
            "extractive": lambda q: assistant.ask(q),
            "generated": lambda q: generator.generate(assistant.ask(q)),
        }
        for name, ask in systems.items():
            shown: list[Answer] = []

            def recorded(question: str, ask: Any = ask, shown: list[Answer] = shown) -> Answer:
                answer = ask(question)
                shown.append(answer)
                return answer

            system = SystemUnderTest(name, name, recorded, lambda q: [])
            results = []
            for case in cases:
                before = len(shown)
                results.append(run_case(system, case, verify))
                if len(shown) == before:  # the question raised: count it as an empty answer
                    shown.append(Answer(case.question, "", abstained=False))
            rows[name] = summarise(results, shown)
            per_case[name] = [
                {**r.to_json(), "mode": a.mode, "dropped_claims": a.dropped_claims}
                for r, a in zip(results, shown, strict=True)
            ]
    report = {
        "llm": settings.llm,
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),  # a shared machine: speeds vary
        "subset": [c.id for c in cases],
        "rows": rows,
        "cases": per_case,
    }
    reports_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (reports_dir / f"generated-{stamp}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return report


def format_rows(report: dict[str, Any]) -> str:
    """The two rows side by side, as plain text for the terminal."""
    rows = report["rows"]
    names = list(rows)
    lines = [f"{'metric':<28}" + "".join(f"{n:>12}" for n in names)]
    for key in rows[names[0]]:
        cells = "".join(
            f"{rows[n][key]:>12.3f}" if isinstance(rows[n][key], float) else f"{rows[n][key]:>12}"
            for n in names
        )
        lines.append(f"{key:<28}{cells}")
    return "\n".join(lines)


def _share(flags: Any) -> float:
    values = [bool(f) for f in flags]
    return sum(values) / len(values) if values else 0.0
