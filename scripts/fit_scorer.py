"""Fit the evidence scorer on the TRAINING split only and write assistant/answer/data/scorer.json.

What it fits on and how: assistant/evaluation/fit.py (the fitting lives in the package, beside the
answerer's own candidate and feature code, under ruff, mypy and tests). This is its command line.

Usage: python scripts/fit_scorer.py [--index index] [--devcorpus-index /tmp/devcorpus-index]
       [--no-devcorpus] [--listwise] [--cross-fit]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.evaluation.fit import fit_scorer  # noqa: E402

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
    OUT.write_text(json.dumps(fitted, indent=1) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in fitted.items() if k != "without_reader"}, indent=1))


if __name__ == "__main__":
    main()
