"""Swedish hybrid retrieval on the real index."""

from assistant.documents import Filters
from assistant.language.analysis import analyze, question_words, translate


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
    assert top[0].chunk.metadata.body == "Kommunstyrelsen"
    assert top[0].scores["boost"] > 0


def test_filters_by_type_year_and_org(assistant):
    assert {
        r.chunk.metadata.doc_type
        for r in assistant.retrieve("strategi", Filters(doc_type="missiv"))
    } == {"missiv"}
    assert all(
        r.chunk.metadata.lan == "21"
        for r in assistant.retrieve("beslut", Filters(org="Region Gävleborg"))
    )
    hits = assistant.retrieve("beslut", Filters(year=2023))
    assert hits and all(r.chunk.document.startswith("vasterbotten") for r in hits)


def test_scores_show_both_retrievers_and_the_fusion(assistant):
    top = assistant.retrieve("När ska återkoppling skickas?", top_k=1)[0]
    assert {"bm25", "dense", "rrf", "boost"} <= set(top.scores)
    assert "Återkoppling" in top.chunk.text


def test_definite_irregular_and_indefinite_forms_meet():
    for one, other in [
        ("remissvaret", "remissvar"),
        ("arbetsutskottet", "arbetsutskott"),
        ("syftet", "syfte"),
        ("huvudmännen", "huvudman"),
    ]:
        assert analyze(one) == analyze(other), (one, other)


def test_interrogative_phrases_and_stop_words_typed_without_aao_are_not_content():
    assert "syft" not in question_words("Vilka får beslutet och i vilket syfte?")
    assert analyze("Vad ar syftet nar det galler strategin?") == ["syft", "strategi"]


def test_a_question_without_aao_finds_what_the_swedish_spelling_finds(assistant):
    plain = assistant.retrieve("Vad ar syftet med valfardsstrategin i Gavleborg?", top_k=3)
    swedish = assistant.retrieve("Vad är syftet med välfärdsstrategin i Gävleborg?", top_k=3)
    assert plain[0].chunk.id == swedish[0].chunk.id


def test_a_short_word_with_aao_is_not_folded_into_another_word(assistant):
    assert "svar" not in assistant.retriever.lexical.expand(analyze("svåra"))


def test_unknown_question_words_take_the_corpus_synonym_or_the_word_one_letter_away(assistant):
    lexical = assistant.retriever.lexical
    assert lexical.in_corpus_words(analyze("anställda")) != analyze("anställda")
    assert lexical.in_corpus_words(["länsgemensamm"]) == ["länsgemensam"]
    assert lexical.in_corpus_words(["kebnekais"]) == ["kebnekais"]  # nothing near: kept


def test_inflected_english_words_find_their_glossary_entry():
    terms, _ = translate("Will submitting the response cost anything?")
    assert "lämn" in terms


def test_the_saved_lexical_index_is_the_one_built_from_the_chunks(assistant, tmp_path):
    from assistant.search.bm25 import LexicalIndex

    built = LexicalIndex.build(assistant.retriever.chunks)
    saved = LexicalIndex.load(assistant.snapshot.folder / "lexical")  # written by ingest
    assert saved.ids == built.ids and saved.vocabulary == built.vocabulary
    for question in ("Hur ska försörjning av kompetens säkras?", "valfardsstrategin Gavleborg"):
        terms = built.expand(built.in_corpus_words(question_words(question)))
        assert saved.expand(saved.in_corpus_words(question_words(question))) == terms
        assert (saved.scores(terms) == built.scores(terms)).all()
    assert saved.expand(["kompetens"])["kompetensförsörjning"] == 0.6  # compound by prefix


def test_dense_near_ties_rank_the_same_whatever_order_or_noise_the_store_returns() -> None:
    from assistant.search.hybrid import _dense_order

    position = {"a": 0, "b": 1, "c": 2}
    # float32 distances from another CPU differ in the 7th decimal and may come back reordered
    here = [("b", 0.8123412), ("a", 0.8123409), ("c", 0.70001)]
    there = [("a", 0.81234131), ("b", 0.81234088), ("c", 0.7000102)]
    assert [cid for cid, _ in _dense_order(here, position)] == ["a", "b", "c"]
    assert _dense_order(here, position) == _dense_order(there, position)
    # a real difference still orders
    assert [cid for cid, _ in _dense_order([("a", 0.80), ("b", 0.81)], position)] == ["b", "a"]
