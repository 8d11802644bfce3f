"""Answers end to end on the real index: cited, verified, and honest abstentions."""

import json
from dataclasses import replace

import pytest

from assistant.answer.answertypes import answer_type, holds_type
from assistant.answer.verify import CitationVerifier
from assistant.errors import BadQuestion


def test_deadline_question_is_answered_with_a_verbatim_quote(assistant):
    answer = assistant.ask("När ska återkoppling om Färdplan Nära vård skickas?")
    assert not answer.abstained
    assert "2023-08-31" in answer.answer
    first = answer.citations[0]
    assert first.document == "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt"
    assert first.quote.startswith("Återkoppling av fattat beslut skickas senast 2023-08-31")
    assert first.lines == (7, 7)
    assert "[1]" in answer.answer


def test_every_citation_verifies(assistant):
    verifier = CitationVerifier(assistant.settings.corpus_dir)
    for question in (
        "Vad beslutade kommunstyrelsen i Enköping?",
        "Vilka fokusområden har HSVO-strategin?",
        "Vem är handläggare för remissvaret i Alingsås?",
        "What did Uppsala decide about kompetensförsörjning?",
    ):
        answer = assistant.ask(question)
        assert answer.citations, question
        assert all(verifier.verify(c) for c in answer.citations)


def test_decision_wording_comes_with_its_att_sats(assistant):
    answer = assistant.ask("Vad beslutade kommunstyrelsen i Enköping?")
    assert "anta strategi för samverkan HSVO 2024–2026, daterad 2024-03-15" in answer.answer


def test_english_question_gets_swedish_quotes(assistant):
    answer = assistant.ask("When must feedback on the decision be sent?")
    assert not answer.abstained
    assert answer.answer.startswith("From the documents")
    assert "2023-08-31" in answer.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Vad beslutade Region Skåne om nära vård?", "Dokumenten handlar inte om Region Skåne"),
        ("Har Stockholms stad antagit strategin?", "Stockholms stad"),
        ("What is the capital of Norway?", "do not cover Norway"),
        (
            "Hur stor budget har avsatts för Färdplan Nära vård 2030?",
            "Det framgår inte av dokumenten",
        ),
        ("Vem skrev romanen Röda rummet?", "Det framgår inte av dokumenten"),
    ],
)
def test_abstains_in_the_questions_language_and_says_what_it_searched(assistant, question, says):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations
    assert says in answer.answer


def test_abstention_lists_what_was_searched(assistant):
    answer = assistant.ask("Hur stor budget har avsatts för Färdplan Nära vård 2030?")
    assert "Sökte i:" in answer.answer and answer.searched


def test_json_contract_has_exactly_the_agreed_keys(assistant):
    data = json.loads(json.dumps(assistant.ask("När ska återkoppling skickas?").to_json()))
    assert set(data) == {
        "question",
        "answer",
        "abstained",
        "citations",
        "missing_parts",
        "timings_ms",
        "mode",
        "dropped_claims",
    }
    assert data["mode"] == "extractive" and data["dropped_claims"] == 0
    assert set(data["citations"][0]) == {
        "n",
        "document",
        "title",
        "section",
        "page",
        "lines",
        "quote",
        "ocr",
    }
    assert data["citations"][0]["page"] is None and len(data["citations"][0]["lines"]) == 2


@pytest.mark.parametrize("question", ["", "   ", "?!", "x" * 5000])
def test_unusable_questions_get_a_message(assistant, question):
    with pytest.raises(BadQuestion):
        assistant.ask(question)


def test_questions_about_two_regions_are_answered_for_each(assistant):
    answer = assistant.ask(
        "Vilka sista datum anges för remissvaret i Alingsås respektive för återkopplingen i Västerbotten?"
    )
    documents = {c.document for c in answer.citations}
    assert {
        "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
        "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt",
    } <= documents


@pytest.mark.xfail(
    strict=True,
    reason="issue #10: 'Vilka dokument …' finds one of the two documents above the fitted "
    "threshold; see the closing note",
)
def test_an_answer_from_several_documents_says_whose_each_quote_is(assistant):
    answer = assistant.ask(
        "Vilka dokument anger att beslutet inte får några ekonomiska konsekvenser?"
    )
    assert len({c.document for c in answer.citations}) >= 2
    assert "Alingsås kommun (Västra Götalands län): " in answer.answer
    assert "Enköpings kommun (Uppsala län): " in answer.answer


def test_the_date_of_a_named_document_is_that_documents_own(assistant):
    answer = assistant.ask("Vilket datum har tjänsteskrivelsen om strategi för samverkan HSVO?")
    # the document's own date leads; a further claim may quote another dated document
    assert "2024-04-05" in answer.claims[0] and "2024-03-15" not in answer.claims[0]


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Vad säger strategin om artificiell intelligens?", "Inget dokument nämner"),
        ("What does the strategy say about cybersecurity?", "No document mentions"),
    ],
)
def test_a_topic_no_document_uses_is_named_in_the_abstention(assistant, question, says):
    answer = assistant.ask(question)
    assert answer.abstained and says in answer.answer


def test_a_question_naming_a_short_section_gets_the_section(assistant):
    answer = assistant.ask("Hur gick beslutsgången till i arbetsutskottet?")
    assert "liggande förslag" in answer.answer and "Kommunstyrelsen beslutar att" in answer.answer


def test_definitions_and_abbreviations_lead_with_the_defining_span(assistant):
    assert (
        "hälsa, stöd, vård och omsorg (HSVO)"
        in assistant.ask("Vad står förkortningen HSVO för?").answer
    )
    answer = assistant.ask("Vad är Färdplanen för god och nära vård för slags dokument?")
    assert "Färdplanen är en övergripande länsgemensam strategi" in answer.claims[0]


def test_who_wrote_asks_for_a_person_and_who_it_is_for_asks_for_a_group(assistant):
    wrote = assistant.ask("Vem har skrivit tjänsteskrivelsen om HSVO-strategin i Enköping?")
    assert not wrote.abstained
    assert all(holds_type(c.quote, "person") for c in wrote.citations)  # names, not prose
    assert answer_type("Vem har skrivit tjänsteskrivelsen?") == "person"
    assert answer_type("Vem är färdplanen skriven för?") == "agent"  # a group, not a name
    assert answer_type("Hur gick beslutsgången till när strategin behandlades?") is None
    assert answer_type("Vem beslutade, och när?") == "date"  # "och när" asks when


def test_what_a_document_says_about_a_topic_is_quoted_only_from_documents_that_mention_it(
    assistant,
):
    def mentions(citation) -> bool:
        text = (assistant.settings.corpus_dir / citation.document).read_text(encoding="utf-8")
        return "tandvård" in text.lower()

    # One strategy mentions tandvård: the question is answered, and only from documents that do
    # (an abstention would prove nothing, so the answer must have citations).
    answer = assistant.ask("Vad säger strategin om tandvård?")
    assert not answer.abstained and answer.citations
    assert all(mentions(c) for c in answer.citations)
    # The färdplan never says tandvård: no quote of it may answer (an abstention is right here).
    answer = assistant.ask("Vad säger färdplanen om tandvård?")
    assert all(mentions(c) for c in answer.citations)


def test_a_place_of_a_respektive_question_that_the_documents_miss_is_named():
    from assistant.answer.answerer import merge_answers
    from assistant.answers import Answer, Citation

    found = Answer(
        "q",
        "Kim Ek [1]",
        False,
        (Citation(1, "mora.txt", "Plan", "Beslut", None, (3, 3), "Kim Ek"),),
        claims=("Mora kommun: Kim Ek [1]",),
    )
    missing = Answer("q", "Det framgår inte av dokumenten.", True)
    merged = merge_answers("q", [found, missing], ["Mora kommun", "Bjuvs kommun"])
    assert not merged.abstained and len(merged.citations) == 1
    assert "Mora kommun: Kim Ek [1]" in merged.answer
    assert "För Bjuvs kommun framgår det inte av dokumenten." in merged.answer
    assert "Mora kommun framgår" not in merged.answer
    english = merge_answers("q", [missing, replace(found, language="en")], ["Bjuvs kommun", "Mora"])
    assert "For Bjuvs kommun the documents do not say." in english.answer
