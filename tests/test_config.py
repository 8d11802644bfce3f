"""assistant/config.py: settings from the environment are checked, and a bad one is named."""

import subprocess
import sys

import pytest

from assistant.config import AnswerPolicy, Settings
from assistant.errors import ConfigError
from tests.conftest import ROOT, run_cli


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("eight", "ASSISTANT_TOP_K='eight' is not a whole number"),
        ("0", "ASSISTANT_TOP_K=0 is too small: it takes a whole number of at least 1"),
        ("-3", "ASSISTANT_TOP_K=-3 is too small"),
        ("2.5", "ASSISTANT_TOP_K='2.5' is not a whole number"),
    ],
)
def test_a_bad_top_k_names_the_variable_and_what_it_takes(monkeypatch, raw, message):
    monkeypatch.setenv("ASSISTANT_TOP_K", raw)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        Settings.from_env()


def test_a_good_value_is_read_with_spaces_around_it(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", " 5 ")
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "2.5")
    settings = Settings.from_env()
    assert (settings.top_k, settings.max_file_mb) == (5, 2.5)


def test_settings_made_in_code_are_checked_too():
    with pytest.raises(ConfigError, match="ASSISTANT_MAX_CHUNK_CHARS=10 is too small"):
        Settings(max_chunk_chars=10)


@pytest.mark.parametrize("raw", ["eight", "0"])
def test_the_cli_says_one_line_and_exits_non_zero(raw, tmp_path):
    env = {"ASSISTANT_TOP_K": raw, "ASSISTANT_INDEX_DIR": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "När?"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: ASSISTANT_TOP_K=")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_retrieve_k_refuses_zero_and_defaults_to_the_setting():
    done = run_cli("retrieve", "-k", "0", "När?")
    assert done.returncode == 2
    assert "'0' is not a whole number of at least 1" in done.stderr


def test_the_answer_policy_names_a_number_out_of_range():
    with pytest.raises(ConfigError, match=r"AnswerPolicy.rrf_k is 0: it must be above 0"):
        AnswerPolicy(rrf_k=0)
    with pytest.raises(ConfigError, match=r"AnswerPolicy.compound_weight is 1.5"):
        AnswerPolicy(compound_weight=1.5)
