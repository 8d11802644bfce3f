"""assistant/ui/corpus.py: filter choices from the corpus metadata; the page's cached view of the index."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.service import Assistant
from assistant.ui.corpus import CorpusView, filter_choices


def test_filter_choices_come_from_the_corpus(assistant: Assistant) -> None:
    choices = filter_choices(assistant.chunks())
    orgs = [value for _, value in choices["org"]]
    assert choices["org"][0] == ("Alla", "")
    assert {"Region Västerbotten", "Enköpings kommun", "Uppsala län"} <= set(orgs)
    assert ("strategi", "strategi") in choices["doc_type"]
    assert ("2024", "2024") in choices["year"]
    assert filter_choices([], "en")["year"] == [("Any", "")]


def test_the_view_reuses_its_lookup_until_the_index_changes(assistant: Assistant) -> None:
    view = CorpusView(assistant)
    assert view.lookup() is view.lookup()
    assert view.table("en")["headers"][0] == "File"


def test_without_an_index_the_view_is_empty(tmp_path: Path) -> None:
    view = CorpusView(
        Assistant(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))
    )
    assert view.chunks() == []
    assert view.indexed() == {}
    table = view.table("sv")
    assert table["data"] == [[""] * len(table["headers"])]  # one empty row under every column
