"""The llama-index LLM for each ASSISTANT_LLM kind, and one domain error when its server is down."""

from __future__ import annotations

import pytest
from llama_index.llms.ollama import Ollama
from llama_index.llms.openai_like import OpenAILike

from assistant.config import Settings
from assistant.errors import LanguageModelUnavailable
from assistant.generate.llm import make_llm, stream_text
from assistant.generate.prompt import build_messages

DEAD = "http://127.0.0.1:9"  # nothing listens on the discard port


def test_each_kind_gets_its_llama_index_class():
    bundled = make_llm(Settings(llm="bundled"), "http://127.0.0.1:5000/v1")
    assert isinstance(bundled, OpenAILike) and bundled.api_base == "http://127.0.0.1:5000/v1"
    remote = make_llm(Settings(llm="openai-like", llm_url=f"{DEAD}/v1/", llm_model="qwen"))
    assert isinstance(remote, OpenAILike) and remote.model == "qwen" and remote.temperature == 0
    ollama = make_llm(Settings(llm="ollama", llm_url=DEAD, llm_model="qwen2.5", llm_timeout=7))
    assert isinstance(ollama, Ollama) and ollama.base_url == DEAD and ollama.request_timeout == 7


@pytest.mark.parametrize(
    "settings",
    [
        Settings(llm="openai-like", llm_url=f"{DEAD}/v1", llm_model="m", llm_timeout=5),
        Settings(llm="ollama", llm_url=DEAD, llm_model="m", llm_timeout=5),
    ],
)
def test_a_server_that_does_not_answer_is_one_domain_error(settings):
    messages = build_messages("När?", ["Det sker 2024-03-15."])
    with pytest.raises(LanguageModelUnavailable, match="127.0.0.1:9"):
        "".join(stream_text(make_llm(settings), messages))


def test_the_prompt_numbers_the_evidence_after_fixed_instructions():
    system, user = build_messages("När ska det ske?", ["Första.", "Andra."])
    assert system.role == "system" and "EJ I DOKUMENTEN" in system.content
    assert user.content.endswith("[S1] Första.\n[S2] Andra.") and "När ska det ske?" in user.content
