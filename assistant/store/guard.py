"""What keeps the index whole: one writer at a time, leftovers of crashed writes removed, and a
failed write turned into one message while the previous generation stays live.

Does not: write generations (chroma.py does) or decide what goes into them.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexBusy, IndexWriteFailed

LOCK_NAME = ".ingest.lock"


@contextmanager
def index_lock(
    index_dir: Path, timeout: float = 3600.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the index folder's writer lock; wait (calling ``on_wait`` once) while another process
    holds it. The lock dies with its process, so a killed ingest never blocks the next one.

    Example: with index_lock(Path("index")): ...  # a second ingest waits here
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(index_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise write_failed(exc, index_dir, 0) or exc from exc
    try:
        deadline = time.monotonic() + timeout
        told = False
        while not _try_lock(handle):
            if not told and on_wait is not None:
                on_wait()
            told = True
            if time.monotonic() > deadline:
                raise IndexBusy(
                    f"another ingest has been writing the index '{index_dir}' for over "
                    f"{timeout:.0f} s; wait for it to finish (or stop it) and run ingest again"
                )
            time.sleep(0.2)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(handle: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle, fcntl.LOCK_UN)


def clean_leftovers(index_dir: Path, live: str | None) -> list[str]:
    """Remove what an interrupted write left behind (``CURRENT.xxxxxx`` pointers, generations that
    never went live). Call only while holding the lock. Returns the names removed."""
    removed: list[str] = []
    if not index_dir.is_dir():
        return removed
    for path in sorted(index_dir.glob("CURRENT.*")):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    for path in sorted(index_dir.glob("gen-*")):
        if path.name != live:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def write_failed(exc: BaseException, index_dir: Path, needed_bytes: int) -> IndexWriteFailed | None:
    """The message for a failed write (None when ``exc`` is not about the disk or the folder)."""
    kept = "the previous index is still in place"
    free = shutil.disk_usage(index_dir).free if index_dir.exists() else 0
    store_failed = isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("chromadb")
    # subtle: Chroma reports a full disk as "Error in compaction …" without the OSError, so a
    # store failure with less free space than the write needs is taken for what it is.
    if _disk_full(exc) or (store_failed and free < needed_bytes):
        return IndexWriteFailed(
            f"the disk is full: writing the index in '{index_dir}' needs about "
            f"{_mb(needed_bytes)} MB and {_mb(free)} MB are free; free some space and run "
            f"`assistant ingest` again ({kept})"
        )
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return IndexWriteFailed(
            f"cannot write the index in '{index_dir}': {exc.strerror or exc}{where}; check that "
            f"the folder is writable and run `assistant ingest` again ({kept})"
        )
    if store_failed:
        return IndexWriteFailed(
            f"cannot write the index in '{index_dir}': the vector store failed ({exc}); "
            f"check free space and permissions and run `assistant ingest` again ({kept})"
        )
    return None


# A write that stopped short, without an errno (numpy's array writers say so on a full disk).
_SHORT_WRITE = re.compile(r"\b\d+ requested and \d+ written\b")


def _disk_full(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(seen).lower()
        if "no space left" in text or "disk is full" in text or "disk full" in text:
            return True
        if isinstance(seen, OSError) and _SHORT_WRITE.search(text):
            return True  # numpy's tofile/save on a full disk: "2688 requested and 2016 written"
        seen = seen.__cause__ or seen.__context__
    return False


def _mb(size: int) -> str:
    return (
        f"{max(size, 0) / 1024 / 1024:.0f}" if size >= 1024 * 1024 else f"{size / 1024 / 1024:.1f}"
    )
