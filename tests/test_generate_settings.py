"""Language-model settings: refused with a message that names the environment variable."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"llm": "gpt"}, "ASSISTANT_LLM "),
        ({"llm": "openai-like", "llm_model": "m"}, "ASSISTANT_LLM_URL"),
        ({"llm": "ollama", "llm_url": "http://127.0.0.1:11434"}, "ASSISTANT_LLM_MODEL"),
        ({"llm_threads": 0}, "ASSISTANT_LLM_THREADS"),
        ({"llm_context": 100}, "ASSISTANT_LLM_CONTEXT"),
        ({"llm_timeout": 0.0}, "ASSISTANT_LLM_TIMEOUT"),
    ],
)
def test_bad_values_name_their_variable(values, variable):
    with pytest.raises(ConfigError, match=variable):
        Settings(**values).check_llm()


def test_a_number_that_is_not_a_number_names_its_variable(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_THREADS", "two")
    with pytest.raises(ConfigError, match="ASSISTANT_LLM_THREADS='two' is not a whole number"):
        Settings.from_env()


def test_the_defaults_and_a_server_setting_are_accepted(monkeypatch):
    Settings().check_llm()
    monkeypatch.setenv("ASSISTANT_LLM", "openai-like")
    monkeypatch.setenv("ASSISTANT_LLM_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "qwen")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "30")
    settings = Settings.from_env()
    settings.check_llm()
    assert settings.llm_timeout == 30.0
