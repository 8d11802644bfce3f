"""One temporary root for the page's downloads (answer exports, drafts): removed at exit, and
folders older than an hour removed whenever a new one is made, so nothing piles up in /tmp.

Does not: write the files themselves (export.py and drafting/ do) or manage gradio's own cache
(``Blocks(delete_cache=…)`` does).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from pathlib import Path

MAX_AGE_SECONDS = 3600.0
_lock = threading.Lock()
_root: Path | None = None


def root() -> Path:
    """The process's temporary root (``assistant-ui-…`` in the system temp folder)."""
    global _root
    with _lock:
        if _root is None or not _root.is_dir():
            _root = Path(tempfile.mkdtemp(prefix="assistant-ui-"))
            atexit.register(shutil.rmtree, _root, True)
        return _root


def new_folder(kind: str, max_age: float = MAX_AGE_SECONDS) -> Path:
    """A fresh folder under the root for one download; older ones are removed first.

    Example: new_folder("export") -> Path("/tmp/assistant-ui-x1y2/export-ab12cd")
    """
    base = root()
    cutoff = time.time() - max_age
    for old in base.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=base))
