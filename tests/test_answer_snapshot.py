"""The same answers on every machine: 20 fixed questions asked through the CLI (`ask --json`) must
give exactly the committed snapshot (tests/golden/answers.jsonl, timings left out), with the
default threads, with one OpenMP/BLAS thread, and with another OpenBLAS kernel (as on another
CPU). Answers that change on purpose: `UPDATE_GOLDEN=1 python -m pytest tests/test_answer_snapshot.py`
and commit the diff, which shows what changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "answers.jsonl"

# Written for this test (not gold or held-out cases): dates, bodies, lists, numbers, paraphrases,
# English, a place the corpus lacks and questions the documents do not answer.
QUESTIONS = (
    "När ska återkoppling om Färdplan Nära vård skickas?",
    "Vad beslutade kommunstyrelsen i Enköping?",
    "Vad beslutade Uppsala om kompetensförsörjning?",
    "Vilka fokusområden har strategin för samverkan HSVO?",
    "Vilken kris visade att hälsosystemet behöver kunna ställa om snabbt?",
    "Vem är handläggare för remissvaret i Alingsås?",
    "Hur länge gäller välfärdsstrategin i Gävleborg?",
    "Vilka kommuner ingår i Region Gävleborgs välfärdsstrategi?",
    "Vad kostar färdplanen för nära vård?",
    "Vad är nära vård?",
    "Vilka nämnder har yttrat sig?",
    "Vad beslutade Region Skåne om nära vård?",
    "Hur många elefanter bor på Skansen?",
    "When should feedback on the roadmap be sent?",
    "What did Alingsås say about the roadmap for good and close care?",
    "Which municipalities take part in the welfare strategy?",
    "Vilket datum fattade kommunfullmäktige beslut?",
    "Vad är målet med samverkan mellan region och kommuner?",
    "Vem ska följa upp strategin?",
    "Vilka remissinstanser fick yttra sig över färdplanen?",
)

# (name, environment changes): what may differ between two machines with the same lock file
RUNS = (
    ("default", {}),
    ("one thread", {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "ASSISTANT_THREADS": "1"}),
    ("another BLAS kernel", {"OPENBLAS_CORETYPE": "Haswell"}),
)


def _answers(assistant: Assistant, env: dict[str, str]) -> list[dict]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "--corpus",
            str(assistant.settings.corpus_dir),
            "--index",
            str(assistant.settings.index_dir),
            "ask",
            "--json",
            *QUESTIONS,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    for row in rows:
        row.pop("timings_ms", None)
    return rows


@pytest.mark.slow
@pytest.mark.parametrize(("name", "env"), RUNS, ids=[name for name, _ in RUNS])
def test_twenty_answers_are_the_committed_snapshot(
    assistant: Assistant, name: str, env: dict[str, str]
) -> None:
    got = _answers(assistant, env)
    assert [row["question"] for row in got] == list(QUESTIONS)
    if os.environ.get("UPDATE_GOLDEN") == "1" and name == "default":
        GOLDEN.write_text(
            "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in got),
            encoding="utf-8",
        )
    assert GOLDEN.exists(), (
        f"no snapshot {GOLDEN}: run UPDATE_GOLDEN=1 python -m pytest tests/test_answer_snapshot.py"
    )
    want = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    changed = [w["question"] for w, g in zip(want, got, strict=True) if w != g]
    assert not changed, f"{name}: answers differ from the snapshot for {changed}"
    assert got == want
