"""Our Swedish hybrid search as a llama-index retriever, so a llama-index user can put it in their
own pipeline (a query engine, a chat engine, a reranker after it).

Example:
    from llama_index.core.query_engine import RetrieverQueryEngine
    engine = RetrieverQueryEngine.from_args(SwedishHybridRetriever(Assistant(settings)), llm=llm)

Each node is one of our chunks: its text, id and score, and metadata naming document, title,
section, lines and page plus everything ingest recorded (orgs, doc_type, dates …).

Does not: rank anything itself (search/hybrid.py does) or answer (that is the query engine's LLM).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.documents import Filters, RetrievedChunk
from assistant.store.records import flat_metadata

if TYPE_CHECKING:
    from assistant.service import Assistant


def to_node(retrieved: RetrievedChunk) -> NodeWithScore:
    """One retrieved chunk as a llama-index node with our metadata (flat, JSON-safe values)."""
    chunk = retrieved.chunk
    metadata: dict[str, Any] = {
        **flat_metadata(chunk.metadata),
        "document": chunk.document,
        "title": chunk.title,
        "section": chunk.section,
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "page": chunk.page,
        "rank": retrieved.rank,
        **{f"score_{k}": v for k, v in retrieved.scores.items()},
    }
    node = TextNode(id_=chunk.id, text=chunk.text, metadata=metadata)
    # The LLM sees the text and where it comes from, not the scores.
    node.excluded_llm_metadata_keys = [k for k in metadata if k.startswith("score_") or k == "rank"]
    node.excluded_embed_metadata_keys = list(metadata)
    return NodeWithScore(node=node, score=retrieved.score)


class SwedishHybridRetriever(BaseRetriever):
    """``Assistant.search`` (BM25 + dense + routing by the places a question names) as nodes."""

    def __init__(
        self,
        assistant: Assistant,
        top_k: int | None = None,
        filters: Filters | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.assistant = assistant
        self.top_k = top_k
        self.filters = filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.assistant.search(query_bundle.query_str, self.filters, self.top_k)
        return [to_node(r) for r in result.chunks]
