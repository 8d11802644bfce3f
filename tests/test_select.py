"""assistant/answer/select.py: the general selectors, on a small made-up document."""

import numpy as np

from assistant.answer.features import Candidate
from assistant.answer.question import Question
from assistant.answer.select import (
    Scored,
    antecedent,
    choose,
    nested_list,
    per_part,
    whole_list,
)
from assistant.documents import Chunk
from tests.conftest import candidates_of, made_up_section

SPANS = (
    "Nämnden har arbetat med frågan sedan hösten.",
    "Beslutet skickas till:",
    "- Skolnämnden",
    "- Kultur- och fritidsnämnden",
    "- Revisorerna",
    "Dessa tre organ ska återkomma med synpunkter senast den 1 mars.",
)
CHUNK = made_up_section(SPANS)
CANDS = candidates_of(CHUNK)


def _question(text: str) -> Question:
    return Question.parse(text)


def test_a_list_question_takes_the_lead_in_and_every_item():
    probs = np.array([0.1, 0.2, 0.9, 0.3, 0.3, 0.1])
    chosen = choose(
        _question("Vilka ska beslutet skickas till?"), Scored(CANDS, probs, ()), 0.5, 0.8, 3
    )
    assert [c.text for c in chosen] == list(SPANS[1:5])


def test_whole_list_from_the_lead_in_itself():
    assert [c.index for c in whole_list(CANDS[1])] == [1, 2, 3, 4]


def test_a_long_table_keeps_its_best_row():
    from dataclasses import replace

    rows = ("Region\tAndel",) + tuple(f"Region {n}\t{n} %" for n in range(1, 20))
    table = replace(made_up_section(rows), kind="table")
    best = candidates_of(table)[15]
    shown = whole_list(best)
    assert [c.index for c in shown[:12]] == list(range(12))  # the table's opening rows
    assert shown[-1].text == "Region 15\t15 %"  # and the row that answers


NESTED = (
    "Rekommendationerna är ordnade i tre teman.",
    "1. Bättre ledarskap",
    "* Cheferna ska få stöd.",
    "* Cheferna ska ha färre medarbetare.",
    "2. Trygga anställningar",
    "* Heltid ska vara norm.",
)
NESTED_REST = ("3. Ny teknik", "* Varje kommun ska ha en plan för teknik.")


def _nested() -> list[Candidate]:
    """A numbered list with bullets under each point, split over two consecutive chunks."""
    from dataclasses import replace

    one = replace(made_up_section(NESTED, cid="n1"), line_start=1, line_end=6)
    two = replace(made_up_section(NESTED_REST, cid="n2"), line_start=7, line_end=8)
    return candidates_of(one) + candidates_of(two)


def test_a_list_of_numbered_points_with_bullets_is_answered_by_its_points():
    cands = _nested()
    probs = np.array([0.9, 0.3, 0.2, 0.2, 0.3, 0.2, 0.3, 0.2])
    question = _question("Vilka tre teman är rekommendationerna ordnade i?")
    chosen = choose(question, Scored(cands, probs, ()), 0.5, 0.8, 3)
    assert [c.text for c in chosen] == [NESTED[0], NESTED[1], NESTED[4], NESTED_REST[0]]
    assert chosen[-1].chunk.id == "n2"  # cited from the chunk that holds it


def test_a_bullet_of_a_numbered_point_brings_its_point_and_its_bullets():
    cands = _nested()
    assert [c.text for c in nested_list(cands[3], cands)] == list(NESTED[1:4])


def test_a_flat_list_is_no_nested_list():
    assert nested_list(CANDS[1], CANDS) == []
    flat = candidates_of(made_up_section(("Beslut:", "1. anta planen", "2. anslå medel")))
    assert nested_list(flat[0], flat) == []


def test_a_sentence_pointing_back_brings_the_one_before():
    assert [c.index for c in antecedent(CANDS[5])] == [4]
    assert antecedent(CANDS[0]) == []


def test_an_open_question_takes_the_best_and_close_runners_only():
    probs = np.array([0.85, 0.1, 0.1, 0.1, 0.1, 0.9])
    chosen = choose(_question("Vad ska organen göra?"), Scored(CANDS, probs, ()), 0.5, 0.9, 3)
    # the best points back (so its antecedent comes first); the runner-up 0.85 >= 0.9 * 0.9 joins
    assert [c.index for c in chosen] == [4, 5, 0]


def test_each_part_of_a_two_part_question_gets_its_best_span_or_none_does():
    part_a = np.array([0.9, 0, 0, 0, 0, 0.1])
    part_b = np.array([0, 0, 0, 0, 0, 0.7])
    scored = Scored(CANDS, np.maximum(part_a, part_b), (part_a, part_b))
    assert [c.index for c in per_part(scored, 0.5)] == [0, 5]
    assert per_part(Scored(CANDS, part_a, (part_a, part_b * 0.5)), 0.5) == []


def test_a_part_asking_for_several_items_takes_its_list():
    question = _question("Vilka ska beslutet skickas till, och när ska organen återkomma?")
    assert [p.wants_list for p in question.parts] == [True, False]
    part_a = np.array([0.1, 0.2, 0.9, 0.3, 0.3, 0.1])
    part_b = np.array([0, 0, 0, 0, 0, 0.7])
    scored = Scored(CANDS, np.maximum(part_a, part_b), (part_a, part_b))
    chosen = choose(question, scored, 0.5, 0.8, 3)
    assert [c.index for c in chosen] == [1, 2, 3, 4, 5]


def _chunk(cid: str, document: str, heading: str, spans: tuple[str, ...]) -> Chunk:
    return made_up_section(spans, heading=heading, cid=cid, document=document)


def _parsed(text: str) -> Question:
    return Question.parse(text)


def test_which_documents_gets_the_best_span_of_each_document():
    a = _chunk("a", "a.txt", "Ekonomi", ("Beslutet har inga ekonomiska konsekvenser.", "Annat."))
    b = _chunk("b", "b.txt", "Ekonomi", ("Inga ekonomiska konsekvenser följer av beslutet.",))
    cands = [
        Candidate(a, 1, 0, a.spans[0].text, 1, 1, None),
        Candidate(a, 1, 1, "Annat.", 2, 2, None),
        Candidate(b, 2, 0, b.spans[0].text, 1, 1, None),
    ]
    question = _parsed("Vilka dokument anger att beslutet saknar ekonomiska konsekvenser?")
    assert question.asks_documents
    chosen = choose(question, Scored(cands, np.array([0.9, 0.8, 0.6]), ()), 0.1, 0.5, 3)
    assert [c.chunk.document for c in chosen] == ["a.txt", "b.txt"]


def test_which_documents_answered_by_one_document_is_answered_as_any_question():
    # one document answers: its list is the answer, not one span "per document"
    question = _parsed("Vilka handlingar ska beslutet skickas till?")
    assert question.asks_documents
    probs = np.array([0.05, 0.6, 0.5, 0.4, 0.4, 0.05])
    chosen = choose(question, Scored(CANDS, probs, ()), 0.1, 0.5, 3)
    assert [c.text for c in chosen] == list(SPANS[1:5])


def test_a_definition_question_leads_with_the_defining_sentence():
    c = _chunk(
        "c",
        "c.txt",
        "Inledning",
        (
            "Arbetet pågår i hela länet.",
            "Samverkan är både ett arbetssätt och ett förhållningssätt.",
        ),
    )
    cands = candidates_of(c)
    chosen = choose(
        _parsed("Vad är samverkan?"), Scored(cands, np.array([0.9, 0.7]), ()), 0.1, 0.5, 1
    )
    assert chosen[0].index == 1


def test_an_abbreviation_question_leads_with_the_span_spelling_it_out():
    c = _chunk(
        "c",
        "c.txt",
        "Inledning",
        (
            "LSS gäller i hela landet sedan länge.",
            "Lagen om stöd och service till vissa funktionshindrade (LSS) reglerar insatserna.",
        ),
    )
    cands = candidates_of(c)
    question = _parsed("Vad står LSS för?")
    assert question.abbreviation == "LSS"
    chosen = choose(question, Scored(cands, np.array([0.9, 0.6]), ()), 0.1, 0.5, 1)
    assert chosen[0].index == 1


def test_an_open_question_naming_a_short_section_gets_the_whole_section():
    c = _chunk(
        "c",
        "c.txt",
        "Beslutsgång",
        ("Ordföranden ställer förslaget under proposition.", "Nämnden beslutar enligt förslaget."),
    )
    cands = candidates_of(c)
    chosen = choose(
        _parsed("Hur gick beslutsgången till?"),
        Scored(cands, np.array([0.2, 0.9]), ()),
        0.1,
        0.95,
        3,
    )
    assert [x.index for x in chosen] == [0, 1]
    # …but a typed question about the section does not take all of it
    chosen = choose(
        _parsed("När gick beslutsgången till?"),
        Scored(cands, np.array([0.2, 0.9]), ()),
        0.1,
        0.95,
        3,
    )
    assert [x.index for x in chosen] == [1]
