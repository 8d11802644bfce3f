"""Downloads live under one temporary root: old folders go when new ones are made, all at exit."""

import os
import subprocess
import sys
import time
from pathlib import Path

from assistant.ui import tempfiles
from tests.conftest import ROOT


def test_folders_share_one_root_and_old_ones_are_removed():
    first = tempfiles.new_folder("export")
    (first / "svar.md").write_text("x", encoding="utf-8")
    hour_ago = time.time() - 2 * tempfiles.MAX_AGE_SECONDS
    os.utime(first, (hour_ago, hour_ago))
    second = tempfiles.new_folder("draft")
    assert first.parent == second.parent == tempfiles.root()
    assert not first.exists() and second.is_dir()


def test_the_root_is_removed_when_the_process_exits():
    code = "from assistant.ui import tempfiles; f = tempfiles.new_folder('export'); (f / 'a.md').write_text('x'); print(tempfiles.root())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert not Path(done.stdout.strip()).exists()
