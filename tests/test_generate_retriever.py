"""Our hybrid retriever inside a llama-index query engine (NoText synthesis: no LLM needed)."""

from __future__ import annotations

from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText
from llama_index.core.schema import MetadataMode

from assistant.documents import Filters
from assistant.generate.retriever import SwedishHybridRetriever

QUESTION = "När ska återkoppling om Färdplan Nära vård skickas?"


def test_nodes_are_our_ranked_chunks_with_our_metadata(assistant):
    nodes = SwedishHybridRetriever(assistant, top_k=5).retrieve(QUESTION)
    ours = assistant.retrieve(QUESTION, top_k=5)
    assert [n.node.node_id for n in nodes] == [r.chunk.id for r in ours]
    assert [n.score for n in nodes] == [r.score for r in ours]
    top = nodes[0].node.metadata
    assert top["document"] == ours[0].chunk.document and top["rank"] == 1
    assert {"title", "section", "line_start", "line_end", "page", "doc_type"} <= set(top)
    assert "score_" not in nodes[0].node.get_content(MetadataMode.LLM)


def test_filters_reach_the_search(assistant):
    nodes = SwedishHybridRetriever(assistant, filters=Filters(org="Enköping")).retrieve(QUESTION)
    assert nodes and all("enkoping" in n.node.metadata["document"] for n in nodes)


def test_a_llama_index_query_engine_uses_it(assistant):
    # NoText answers with the retrieved nodes alone; MockLLM keeps llama-index off its OpenAI default.
    engine = RetrieverQueryEngine(
        SwedishHybridRetriever(assistant, top_k=3), response_synthesizer=NoText(llm=MockLLM())
    )
    response = engine.query(QUESTION)
    assert len(response.source_nodes) == 3
    assert "2023-08-31" in " ".join(n.node.get_content() for n in response.source_nodes)
    assert response.source_nodes[0].node.metadata["document"].startswith("vasterbotten")
