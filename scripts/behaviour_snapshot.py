"""Write what the assistant does on the bundled corpus to one folder, so a refactor can prove it
changed nothing: `diff -r before/ after/` must be empty.

Writes: chunks.jsonl (every section/chunk of the current index), answers.jsonl (`ask --json` for
every gold and held-out question, timings removed) and eval.json (the evaluation numbers, timings
removed). Does not ingest: run `assistant ingest` first.

Usage: python scripts/behaviour_snapshot.py OUT_DIR
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.store.records import read_chunks  # noqa: E402


def _questions() -> list[str]:
    files = sorted((ROOT / "evals" / "gold").glob("*.jsonl")) + [
        ROOT / "evals/heldout/heldout.jsonl"
    ]
    return [
        json.loads(line)["question"]
        for f in files
        for line in f.read_text("utf-8").splitlines()
        if line.strip()
    ]


def _drop_timings(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: _drop_timings(v)
            for k, v in value.items()
            if "ms" not in k
            and "seconds" not in k
            and k not in {"timings", "latency", "created", "report", "generated_at"}
        }
    if isinstance(value, list):
        return [_drop_timings(v) for v in value]
    return value


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    current = (ROOT / "index" / "CURRENT").read_text().strip()
    chunks = read_chunks(ROOT / "index" / current)
    lines = [json.dumps(c.to_record(), ensure_ascii=False, default=str) for c in chunks]
    (out / "chunks.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json", *_questions()],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    rows = [
        json.dumps(_drop_timings(json.loads(line)), ensure_ascii=False)
        for line in proc.stdout.splitlines()
    ]
    (out / "answers.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    subprocess.run(
        [sys.executable, "-m", "assistant", "eval", "--reports", str(out / "reports")],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    report = next((out / "reports").glob("*.json"))
    (out / "eval.json").write_text(
        json.dumps(
            _drop_timings(json.loads(report.read_text("utf-8"))),
            indent=1,
            ensure_ascii=False,
            sort_keys=True,
        ),
        "utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
