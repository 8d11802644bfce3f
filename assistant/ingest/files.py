"""Which files of the corpus folder are read: listing, symbolic links, hashing.

A symbolic link is followed only when its target lies inside the corpus folder; links out of it,
dangling links and link loops are skipped with the reason, by name. A file that vanishes or cannot
be read between listing and hashing is reported, not fatal. Does not: read or parse file contents.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

from assistant.documents import IngestSummary, SkippedFile, SourceText
from assistant.ingest.lines import furniture_lines
from assistant.ingest.readers import SUPPORTED
from assistant.store.sources import StoredSources, file_stamp


def corpus_files(corpus: Path, summary: IngestSummary | None = None) -> list[Path]:
    """Regular files under ``corpus`` (hidden files and README.md left out), links checked.

    Example: corpus_files(Path("corpus")) -> [Path("corpus/a.txt"), …]; a link to /etc/passwd is
    reported in ``summary.skipped`` as "symbolic link to a file outside the corpus folder".
    """
    root = corpus.resolve()
    out: list[Path] = []
    # subtle: os.walk never descends into a linked folder (followlinks=False), so a link loop
    # cannot make the walk endless; each link is judged on its own below.
    for folder, dirs, names in os.walk(corpus, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            if name.startswith(".") or name == "README.md":
                continue
            reason = link_problem(path, root)
            if reason:
                if summary is not None:
                    summary.skipped.append(SkippedFile(rel_path(path, corpus), reason))
                continue
            if path.is_file():
                out.append(path)
            elif summary is not None and not path.is_dir():
                # a named pipe would block the read forever; a socket or device is no document
                summary.skipped.append(
                    SkippedFile(
                        rel_path(path, corpus),
                        "not a regular file (a named pipe, socket or device); not read",
                    )
                )
    return sorted(out)


def link_problem(path: Path, root: Path) -> str:
    """Why a symbolic link may not be followed ('' when ``path`` is no link or a safe one)."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"dangling symbolic link (its target '{os.readlink(path)}' does not exist)"
    except (RuntimeError, OSError) as exc:
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            return "symbolic link loop (the link points back at itself)"
        return f"symbolic link cannot be followed ({exc.strerror or exc})"
    if not target.is_relative_to(root):
        kind = "folder" if target.is_dir() else "file"
        return f"symbolic link to a {kind} outside the corpus folder; not followed (copy the file in instead)"
    if target.is_dir():
        return "symbolic link to a folder inside the corpus; its files are read from there"
    return ""


def bring_into_corpus(paths: list[Path], corpus: Path, summary: IngestSummary) -> list[Path]:
    """Files named on the command line; ones outside the corpus are copied in so citations can be checked."""
    out: list[Path] = []
    root = corpus.resolve()
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            out.extend(bring_into_corpus(corpus_files(path, summary), corpus, summary))
            continue
        inside = path.parent.resolve().is_relative_to(root)
        reason = link_problem(path, root) if inside else ""
        if reason:
            summary.skipped.append(SkippedFile(rel_path(path, corpus), reason))
            continue
        if not path.exists():
            summary.skipped.append(SkippedFile(str(path), "no such file"))
            continue
        if not path.is_file():
            summary.skipped.append(
                SkippedFile(
                    str(path), "not a regular file (a named pipe, socket or device); not read"
                )
            )
            continue
        if inside:
            out.append(path)
            continue
        target = corpus / path.name
        try:
            shutil.copy2(path, target)
        except OSError as exc:
            summary.skipped.append(
                SkippedFile(str(path), f"cannot copy it into {corpus}/: {exc.strerror or exc}")
            )
            continue
        summary.notes.append(f"{path} copied into {corpus}/")
        out.append(target)
    return out


def rel_path(path: Path, corpus: Path) -> str:
    """The name a file has in the index: its path below the corpus folder (links not resolved)."""
    try:
        return (path.parent.resolve() / path.name).relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return path.name


def file_hash(path: Path) -> str:
    """SHA-1 of the file's bytes. Raises OSError (FileNotFoundError, PermissionError …) as is."""
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unreadable_reason(exc: OSError) -> str:
    """A person's reason for an OSError met while opening a listed file."""
    if isinstance(exc, FileNotFoundError):
        return "the file disappeared while the corpus was being read"
    if isinstance(exc, PermissionError):
        return "permission denied: the file cannot be read (check its owner and mode)"
    return f"cannot read the file ({exc.strerror or exc})"


def hash_files(
    targets: list[Path],
) -> tuple[dict[Path, str], dict[Path, OSError], dict[Path, list[int]]]:
    """Content hashes of the supported files, the files that could not be read (by error), and
    each hashed file's stamp (store/sources.py), taken before it was hashed."""
    digests: dict[Path, str] = {}
    unreadable: dict[Path, OSError] = {}
    stamps: dict[Path, list[int]] = {}
    for path in targets:
        if path.suffix.lower() not in SUPPORTED:
            continue
        try:
            stamps[path] = file_stamp(path)
            digests[path] = file_hash(path)
        except OSError as exc:
            unreadable[path] = exc
    return digests, unreadable, stamps


def kept_for_citations(
    stored: StoredSources, path: Path, digest: str, before: list[int] | None, read: SourceText
) -> dict[str, list[int]]:
    """Keep what the reader made of the file for the citation check (written by
    ``stored.commit()``), and return its stamp for the manifest; nothing when the file changed
    between hashing and reading (the check then reads the file itself)."""
    try:
        if before is None or file_stamp(path) != before:
            return {}
    except OSError:
        return {}
    stored.save(digest, read, furniture_lines(read))
    return {"stamp": before}
