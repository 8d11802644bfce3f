"""Swedish hybrid retrieval on the real index."""

from assistant.analysis import analyze, translate
from assistant.retrieval import Filters


def test_analyzer_stems_swedish_and_drops_stop_words_of_both_languages():
    assert analyze("Vad beslutade kommunerna om strategin?") == ["beslut", "kommu", "strategi"]
    assert analyze("What is the strategy of the region?") == ["strategy", "regio"]


def test_english_domain_words_are_translated_for_bm25():
    terms, rest = translate("When must feedback on the decision be sent?")
    assert "återkoppling" in terms and "beslut" in terms
    assert "feedback" not in rest


def test_compound_meets_its_parts(assistant):
    # "försörjning av kompetens" must meet "kompetensförsörjning"
    top = assistant.retrieve("Hur ska försörjning av kompetens säkras?", top_k=3)
    assert any("Kompetensförsörjning" in r.chunk.section for r in top)


def test_place_routing_restricts_to_the_named_region(assistant):
    top = assistant.retrieve("Vad beslutade Uppsala om kompetensförsörjning?", top_k=8)
    assert top and all(r.chunk.document.startswith("enkoping") for r in top)
    top = assistant.retrieve("Vad ska kommunerna i Västerbotten besluta?", top_k=5)
    assert all(r.chunk.document.startswith("vasterbotten") for r in top)


def test_body_mention_boosts_that_bodys_documents(assistant):
    top = assistant.retrieve("Vad beslutade kommunstyrelsen i Enköping?", top_k=3)
    assert top[0].chunk.metadata["body"] == "Kommunstyrelsen"
    assert top[0].scores["boost"] > 0


def test_filters_by_type_year_and_org(assistant):
    assert {
        r.chunk.metadata["doc_type"]
        for r in assistant.retrieve("strategi", Filters(doc_type="missiv"))
    } == {"missiv"}
    assert all(
        r.chunk.metadata["lan"] == "21"
        for r in assistant.retrieve("beslut", Filters(org="Region Gävleborg"))
    )
    hits = assistant.retrieve("beslut", Filters(year=2023))
    assert hits and all(r.chunk.document.startswith("vasterbotten") for r in hits)


def test_scores_show_both_retrievers_and_the_fusion(assistant):
    top = assistant.retrieve("När ska återkoppling skickas?", top_k=1)[0]
    assert {"bm25", "dense", "rrf", "boost"} <= set(top.scores)
    assert "Återkoppling" in top.chunk.text
