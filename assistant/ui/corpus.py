"""What the page shows of the index: filter choices from the corpus metadata, and ``CorpusView``.

Does not: import gradio or build the index (fill_behind only asks the Assistant to fill in
vectors); without an index the page's view of it is empty.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.answers import Citation
from assistant.documents import Chunk
from assistant.errors import AssistantError, IndexMissing
from assistant.ui.documents_tab import TABLE_COLUMNS, corpus_files, document_rows
from assistant.ui.labels import label
from assistant.ui.sources import section_text_lookup

if TYPE_CHECKING:  # the page hands the assistant in; nothing here loads one
    from assistant.service import Assistant


def filter_choices(chunks: list[Chunk], lang: str = "sv") -> dict[str, list[tuple[str, str]]]:
    """Dropdown choices from the corpus metadata: organisations and län, document types, years."""
    orgs: set[str] = set()
    types: set[str] = set()
    years: set[int] = set()
    for chunk in chunks:
        meta = chunk.metadata
        orgs |= set(meta.orgs)
        orgs |= {meta.lan_name} if meta.lan_name else set()
        types |= {meta.doc_type} if meta.doc_type else set()
        years |= {meta.year} if meta.year else set()
    anything = [(label("any", lang), "")]
    return {
        "org": anything + [(o, o) for o in sorted(orgs)],
        "doc_type": anything + [(t, t) for t in sorted(types)],
        "year": anything + [(str(y), str(y)) for y in sorted(years, reverse=True)],
    }


log = logging.getLogger(__name__)


class CorpusView:
    """What the page shows of the index, recomputed only when the index changes (not per question)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._chunks: list[Chunk] | None = None
        self._lookup: Callable[[Citation], str] = lambda citation: ""
        self.skipped: dict[str, str] = {}  # file -> reason, from uploads in this session
        self.lock = threading.Lock()  # one ingest at a time
        self._filling = threading.Lock()  # one fill thread at a time
        self.filling: threading.Thread | None = None  # the latest fill, for whoever waits on it

    def fill_behind(self) -> None:
        """Fill in the vectors the index lacks in a background thread (one at a time; a fill
        started while another runs finds nothing left, or resumes what it left)."""

        def fill() -> None:
            with self._filling:
                try:
                    self.assistant.fill_vectors()
                except AssistantError as exc:  # the index stays answerable by word search
                    log.warning("filling in vectors failed: %s", exc)

        self.filling = threading.Thread(target=fill, name="fill-vectors", daemon=True)
        self.filling.start()

    def chunks(self) -> list[Chunk]:
        try:
            return list(self.assistant.chunks())
        except IndexMissing:
            return []

    def lookup(self) -> Callable[[Citation], str]:
        try:
            chunks = self.assistant.chunks()
        except IndexMissing:
            return self._lookup
        if chunks is not self._chunks:  # a new generation was loaded
            self._chunks, self._lookup = chunks, section_text_lookup(chunks)
        return self._lookup

    def indexed(self) -> dict[str, Any]:
        try:
            return dict(self.assistant.manifest().get("files", {}))
        except IndexMissing:
            return {}

    def waiting(self) -> set[str]:
        """Documents answerable by word search while their vectors are being filled in."""
        try:
            return self.assistant.waiting_documents()
        except IndexMissing:
            return set()

    def blank_table(self, lang: str) -> dict[str, Any]:
        """The table's headers with no rows: what the page holds before login."""
        return {
            "headers": [label(c, lang) for c in TABLE_COLUMNS],
            "data": [[""] * len(TABLE_COLUMNS)],
        }

    def table(self, lang: str) -> dict[str, Any]:
        rows = document_rows(
            corpus_files(self.assistant.settings.corpus_dir),
            self.indexed(),
            self.chunks(),
            self.skipped,
            lang,
            self.waiting(),
        )
        return {
            "headers": [label(c, lang) for c in TABLE_COLUMNS],
            "data": rows or [[""] * len(TABLE_COLUMNS)],
        }
