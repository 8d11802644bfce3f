#!/usr/bin/env python3
"""Record the fixed train/test split of the gold set and the devcorpus questions in evals/splits.json.

Run from the repository root with the project's venv:  python evals/make_splits.py

The rule (assistant/evaluation/gold.py, split_of): a case is "train" when the first byte of
sha1(case id, UTF-8) is below 0.6 * 256 (bytes 0..153, about 60 %), else "test". It depends on the
id only. A case already in the file keeps its split; only new ids are added, by the rule, so the
split never moves. `--check` exits 1 (changing nothing) if the file is missing a case or a recorded
split differs from the rule. The held-out set (evals/heldout) is not split: it is never fitted on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.gold import SPLITS, load_devcorpus, load_gold, split_of  # noqa: E402

PATH = ROOT / "evals" / "splits.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file")
    args = parser.parse_args()
    sets = {
        "gold": [c.id for c in load_gold(ROOT / "evals" / "gold")],
        "devcorpus": [c.id for c in load_devcorpus(ROOT / "evals" / "devcorpus")],
    }
    old = json.loads(PATH.read_text(encoding="utf-8"))["sets"] if PATH.exists() else {}
    problems, out = [], {}
    for name, ids in sets.items():
        recorded = {i: s for s in SPLITS for i in old.get(name, {}).get(s, [])}
        for case_id in ids:
            if case_id not in recorded:
                problems.append(f"{name}: {case_id} has no recorded split")
            elif recorded[case_id] != split_of(case_id):
                problems.append(
                    f"{name}: {case_id} is recorded as {recorded[case_id]}, rule says {split_of(case_id)}"
                )
        chosen = {i: recorded.get(i, split_of(i)) for i in ids}
        out[name] = {s: sorted(i for i, v in chosen.items() if v == s) for s in SPLITS}
    if args.check:
        print("\n".join(problems) or "OK: every case has its split, by the rule")
        return 1 if problems else 0
    data = {
        "_about": "Fixed train/test split (python evals/make_splits.py; rule in its docstring). "
        "Fit and tune on train only; test is reported and gated. Never move a case.",
        "rule": "train iff sha1(id as UTF-8)[0] < 0.6 * 256, else test",
        "sets": out,
    }
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, block in out.items():
        print(f"{name}: train {len(block['train'])}, test {len(block['test'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
