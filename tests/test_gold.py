"""The gold set stays valid: every quote stands in its document and every fact can be found there."""

import subprocess
import sys

from tests.conftest import ROOT


def test_gold_set_checks_clean():
    result = subprocess.run(
        [sys.executable, "evals/check_gold.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
