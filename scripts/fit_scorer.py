"""Fit the evidence scorer on the TRAINING split only and write assistant/answer/data/scorer.json.

What it fits on and how: assistant/evaluation/fit.py (the fitting lives in the package, beside the
answerer's own candidate and feature code, under ruff, mypy and tests). This is its command line.

Usage: python scripts/fit_scorer.py [--index index] [--devcorpus-index /tmp/devcorpus-index]
       [--no-devcorpus] [--listwise] [--cross-fit] [--check]

--check writes nothing: it says which fitted values differ from the committed scorer.json and
exits 1 if any do (the committed weights should be what this command writes on the committed code).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.evaluation.fit import differences, fit_scorer  # noqa: E402

OUT = ROOT / "assistant" / "answer" / "data" / "scorer.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--devcorpus-index", type=Path, default=None)
    parser.add_argument("--no-devcorpus", action="store_true")
    parser.add_argument(
        "--listwise",
        action="store_true",
        help="let the listwise ranker replace the pointwise one when cross-validation favours it",
    )
    parser.add_argument(
        "--cross-fit",
        action="store_true",
        help="fit the threshold, span floor and abstention model on cross-fitted span P",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the committed scorer.json instead of writing it; exit 1 if it differs",
    )
    args = parser.parse_args()
    # The settings the answerer runs with (ASSISTANT_* as for `assistant ask`): max_answer_claims.
    settings = Settings.from_env()
    fitted = fit_scorer(
        ROOT,
        args.index,
        args.devcorpus_index,
        not args.no_devcorpus,
        args.listwise,
        settings,
        args.cross_fit,
    )
    if args.check:
        committed = json.loads(OUT.read_text("utf-8"))
        changed = differences(committed, json.loads(json.dumps(fitted)))
        for line in changed:
            print(line)
        print(f"{OUT.name}: {'differs from a refit' if changed else 'is what a refit writes'}")
        sys.exit(1 if changed else 0)
    OUT.write_text(json.dumps(fitted, indent=1) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in fitted.items() if k != "without_reader"}, indent=1))


if __name__ == "__main__":
    main()
