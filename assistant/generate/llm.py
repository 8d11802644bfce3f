"""The language model behind generated answers, as a llama-index LLM: OpenAILike for the bundled
server and any OpenAI-compatible one (llama.cpp, vLLM, LM Studio), Ollama for an Ollama server.

Does not: start servers (server.py), build prompts (prompt.py) or judge answers (claims.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.config import Settings
from assistant.errors import LanguageModelUnavailable
from assistant.generate.model import bundled_available
from assistant.generate.prompt import Message
from assistant.generate.server import MODEL_ALIAS


def model_available(settings: Settings) -> bool:
    """A language model is set up: the bundled one installed (``assistant llm install``), or a
    server address for 'ollama' / 'openai-like'. Asks no server; 'off' is never available.

    Example: model_available(Settings(llm="off")) -> False
    """
    if settings.llm == "off":
        return False
    if settings.llm == "bundled":
        return bundled_available(settings.llm_model)
    return bool(settings.llm_url)


def make_llm(settings: Settings, api_base: str = "") -> Any:
    """A llama-index LLM for ``settings.llm``; ``api_base`` is the bundled server's …/v1 address."""
    settings.check_llm()
    if settings.llm == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(
            model=settings.llm_model,
            base_url=settings.llm_url.rstrip("/"),
            temperature=0.0,
            context_window=settings.llm_context,
            request_timeout=settings.llm_timeout,
            additional_kwargs={"num_predict": settings.llm_max_tokens},
        )
    from llama_index.llms.openai_like import OpenAILike

    bundled = settings.llm == "bundled"
    return OpenAILike(
        model=MODEL_ALIAS if bundled else settings.llm_model,
        api_base=api_base if bundled else settings.llm_url.rstrip("/"),
        # A local server needs no key; a shared one may ask for the usual OPENAI_API_KEY.
        api_key=os.environ.get("OPENAI_API_KEY", "none") if not bundled else "none",
        is_chat_model=True,
        context_window=settings.llm_context,
        max_tokens=settings.llm_max_tokens,
        temperature=0.0,
        timeout=settings.llm_timeout,
        max_retries=0,
    )


def stream_text(llm: Any, messages: Sequence[Message]) -> Iterator[str]:
    """The model's answer as it is written, piece by piece; one domain error if it fails."""
    from llama_index.core.llms import ChatMessage

    chat = [ChatMessage(role=m.role, content=m.content) for m in messages]
    try:
        for response in llm.stream_chat(chat):
            if response.delta:
                yield response.delta
    except Exception as exc:  # httpx, openai and ollama each raise their own connection errors
        where = getattr(llm, "api_base", "") or getattr(llm, "base_url", "")
        raise LanguageModelUnavailable(
            f"the language model at {where} did not answer ({type(exc).__name__}: {exc}); "
            "check ASSISTANT_LLM_URL, or use the quotes (drop --generate)"
        ) from exc
