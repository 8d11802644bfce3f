"""Stop words: Snowball's Swedish list as bm25s ships it, read without importing bm25s (issue #22:
its import pulls in scipy, a fifth of the time to answerable of a small ingest)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.language.analysis import _snowball_swedish, stop_words

ROOT = Path(__file__).resolve().parent.parent


def test_the_swedish_list_is_bm25s_list_and_the_extra_words_are_added():
    from bm25s.stopwords import STOPWORDS_SWEDISH

    assert _snowball_swedish() == tuple(STOPWORDS_SWEDISH)
    assert set(STOPWORDS_SWEDISH) < stop_words()


def test_stop_words_do_not_import_bm25s_or_scipy():
    code = (
        "import sys\nfrom assistant.language.analysis import stop_words\n"
        "assert 'och' in stop_words()\n"
        "print(sorted(m for m in ('bm25s', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"
