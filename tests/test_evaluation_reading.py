"""The reader model alone in the evaluation report: measured on made-up reading items, carried
through the report's JSON and shown in its Markdown."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answer.reader.datasets import Item
from assistant.answer.reader.model import Reader
from assistant.evaluation.files import write_report
from assistant.evaluation.reading import measure, spread, word_overlap
from assistant.evaluation.report import EvalReport
from tests.test_evaluation_report import _report_dict

POOL = (
    "Simhallen: Den nya simhallen i Norrby har en bassäng på 25 meter och ett äventyrsbad.",
    "Simhallen: Den nya simhallen i Norrby öppnar för allmänheten den 3 mars 2027.",
    "Simhallen: Bygget av simhallen i Norrby kostar 210 miljoner kronor.",
)


def _item(question: str, positives: set[int]) -> Item:
    return Item(question, POOL, frozenset(positives), frozenset(), "norrby")


def test_word_overlap_picks_the_sentence_sharing_most_words_with_the_question():
    assert word_overlap(_item("Hur mycket kostar bygget av simhallen?", {2})) == 2


def test_the_reader_alone_is_counted_per_answerable_and_unanswerable_question():
    items = [
        _item("När öppnar den nya simhallen i Norrby?", {1}),
        _item("Hur mycket kostar bygget av simhallen i Norrby?", {2}),
        _item("Vem ritade simhallen i Norrby?", set()),
    ]
    out = measure(Reader.bundled(), items)
    assert out["questions"] == 3 and out["answerable"] == 2 and out["unanswerable"] == 1
    assert out["reader_top1"] == 1.0  # both answering sentences ranked first
    assert out["word_overlap_top1"] >= 0.5
    # each share is counted over its own kind of question: 1 unanswerable, 2 answerable
    assert out["unanswerable_rejected"] in (0.0, 1.0)
    assert out["answerable_rejected"] in (0.0, 0.5, 1.0)


def test_spread_keeps_every_kth_item_from_the_whole_list():
    items = [_item(f"Fråga {n}?", {0}) for n in range(10)]
    kept = spread(items, 3)
    assert [i.question for i in kept] == ["Fråga 0?", "Fråga 4?", "Fråga 8?"]
    assert spread(items, 50) == items


def test_the_reader_rows_travel_through_the_report_json_and_markdown(tmp_path):
    data = _report_dict({"al-001": True})
    data["reading"] = {
        "SweQUAD-MC test": {"questions": 102, "answerable": 102, "reader_top1": 0.7157}
    }
    report = EvalReport.from_json(data)
    files = write_report(report, tmp_path)
    stored = json.loads(Path(files["json"]).read_text(encoding="utf-8"))
    assert stored["reading"]["SweQUAD-MC test"]["reader_top1"] == 0.7157
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    assert "## The reader model alone" in markdown
    assert "| SweQUAD-MC test | 102 | 0.716 | – | – | – |" in markdown
