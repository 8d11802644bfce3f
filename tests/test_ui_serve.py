"""assistant/ui/serve.py and the package's face: login rules, serve, and what importing the UI loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli, ui
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.ui.serve import AUTH_ENV, auth_from_env, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_login(host: str) -> None:
    assert is_loopback(host)
    assert auth_from_env(host, {}) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "assistant.example"])
def test_binding_beyond_loopback_without_a_login_is_refused(host: str) -> None:
    with pytest.raises(ConfigError) as info:
        auth_from_env(host, {})
    message = str(info.value)
    assert "ASSISTANT_UI_USER" in message
    assert "ASSISTANT_UI_PASSWORD" in message
    assert "ASSISTANT_UI_AUTH_FILE" in message


def test_login_from_env_and_from_a_file(tmp_path: Path) -> None:
    assert auth_from_env(
        "0.0.0.0", {"ASSISTANT_UI_USER": "anna", "ASSISTANT_UI_PASSWORD": "hemligt"}
    ) == [("anna", "hemligt")]
    users = tmp_path / "users.txt"
    users.write_text("# handläggare\nanna:hemligt\n\nbo:lösen:med:kolon\n", encoding="utf-8")
    assert auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(users)}) == [
        ("anna", "hemligt"),
        ("bo", "lösen:med:kolon"),
    ]


def test_bad_login_files_are_named(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("anna:hemligt\nbara-namn\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2 is not 'user:password'"):
        auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(users)})
    with pytest.raises(ConfigError, match="cannot be read"):
        auth_from_env("0.0.0.0", {"ASSISTANT_UI_AUTH_FILE": str(tmp_path / "saknas.txt")})


def test_serve_refuses_an_open_host_before_loading_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="login is required"):
        ui.serve(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index"), "0.0.0.0", 7860)


def test_cli_serve_on_an_open_host_exits_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    code = cli.main(
        [
            "--corpus",
            str(tmp_path),
            "--index",
            str(tmp_path / "index"),
            "serve",
            "--host",
            "0.0.0.0",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: serving on '0.0.0.0'")
    assert "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD" in err


def test_the_package_offers_serve_and_loads_gradio_only_to_serve() -> None:
    assert ui.__all__ == ["serve"]
    script = (
        "import contextlib, io, sys\n"
        "from assistant import cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['--help'])\n"
        "assert 'gradio' not in sys.modules, 'assistant --help imported gradio'\n"
        "import assistant.ui, assistant.ui.render, assistant.ui.export, assistant.ui.documents_tab\n"
        "import assistant.ui.corpus, assistant.ui.sources, assistant.ui.style\n"
        "assert 'gradio' not in sys.modules, 'a plain ui module imported gradio'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
