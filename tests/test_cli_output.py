"""What the CLI prints cannot be forged or crash: control characters in names escaped, questions
that are not valid text refused in one line, a closed pipe or a non-UTF-8 terminal handled."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli.render import printable
from assistant.errors import BadQuestion
from tests.conftest import ROOT, fresh_corpus, run_cli

QUESTION = "När ska återkoppling skickas?"


def _run(*args: str | bytes, env: dict[str, str] | None = None):
    return run_cli(*args, env=env, text=False)


def test_a_file_name_with_escapes_cannot_forge_lines(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, ["alingsas-fardplan-god-och-nara-vard-remissvar.txt"])
    (corpus / "\x1b[2J\nFAKE: all files ingested OK\u202e.txt").write_bytes(b"")
    result = _run(
        "ingest",
        env={"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "i")},
    )
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert not any(line.startswith("FAKE") for line in out.splitlines())
    assert "\\x1b[2J\\nFAKE: all files ingested OK\\u202e.txt: the file is empty" in out


def test_printable_keeps_swedish_and_escapes_the_rest():
    assert printable("Gävle – ”å”") == "Gävle – ”å”"
    assert printable("a\x1b[31mb\r\x00") == "a\\x1b[31mb\\r\\x00"


def test_question_bytes_that_are_not_utf8_are_one_clear_line(shared_index_env):
    result = _run("ask", "caf\xe9 återkoppling".encode("latin-1"), env=shared_index_env)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0
    assert "caf\\xe9" in err and "UTF-8" in err


def test_a_lone_surrogate_through_the_api_is_a_bad_question(assistant):
    with pytest.raises(BadQuestion, match=r"\\ud800"):
        assistant.ask("När ska \ud800 skickas?")


def test_a_closed_pipe_ends_quietly(shared_index_env, tmp_path: Path):
    err = tmp_path / "err.txt"
    env = {**os.environ, **shared_index_env}
    questions = " ".join(f"'{q}'" for q in [QUESTION] * 4)
    done = subprocess.run(
        f"{sys.executable} -m assistant ask {questions} 2>{err} | head -1",
        shell=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    assert done.stdout.decode().count("\n") == 1
    assert "Traceback" not in err.read_text() and "BrokenPipe" not in err.read_text()


def test_a_terminal_that_is_not_utf8_gets_escapes_not_a_crash(shared_index_env):
    result = _run("ask", QUESTION, env={**shared_index_env, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert b"K\\xe4llor:" in result.stdout


def test_a_setting_that_is_not_a_number_is_one_clear_line(shared_index_env):
    result = _run("ask", QUESTION, env={**shared_index_env, "ASSISTANT_TOP_K": "åtta"})
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    assert "ASSISTANT_TOP_K='åtta' is not a whole number" in err
