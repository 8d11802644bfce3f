"""What Swedish administrative text looks like: heading words and the shapes of lines.

The shared vocabulary of the parser (lines.py, headings.py, subdocuments.py, structure.py): the
headings these documents use, and patterns for bullets, dates, e-mail, names, offices, paragraph
marks, page numbers and table-of-contents entries.

Does not: look at a line in its context (whether it is a heading depends on its neighbours;
headings.py decides that), join lines, or read metadata (metadata.py has its own gazetteer).
"""

from __future__ import annotations

import re

# The line shapes ingest reads, re-exported from the one vocabulary in language/shapes.py.
from assistant.language.shapes import BULLET as BULLET
from assistant.language.shapes import EMAIL as EMAIL
from assistant.language.text import DATE_ONLY as DATE_ONLY
from assistant.language.vocabulary import named_patterns, pattern, word_list

_HEADINGS = "headings_sv.json"

# Headings Swedish administrative documents use; compared lowercased, without a trailing colon.
# Headings Swedish administrative documents use (assistant/language/data/headings_sv.json);
# compared lowercased, without a trailing colon.
HEADING_LEXICON = frozenset(word_list(_HEADINGS, "heading_words"))
HEADING_PATTERNS = [p for _, p in named_patterns(_HEADINGS, "heading_phrases")]
FOCUS_AREA = re.compile(r"^([A-Z])\.\s+([A-ZÅÄÖ].{2,70})$")  # "C. Kompetensförsörjning"
SUB_GOAL = re.compile(
    r"^([A-Z]\d{1,2})\.?\s+([A-ZÅÄÖ].{5,200})$"
)  # "C1 Kompetensförsörjningen präglas …"
PARAGRAPH_MARK = re.compile(r"^(Paragraf|§)\s*\d+\b")
OFFICE = pattern(_HEADINGS, "office")  # "Socialförvaltningen" alone on a line
PAGE_NUMBER = pattern(_HEADINGS, "page_number")  # "3", "Sida 3", "3 (12)", "3 av 12"
CASE_NUMBER_LABEL = pattern(_HEADINGS, "case_number_label")  # "Dnr", "Diarienummer"
TOC_ENTRY = re.compile(r"(\t|\.{3,}|\s)\s*\d{1,3}\s*$")
TERMINAL = (".", "!", "?", ":", ";")
# Kinds whose lines are a page's printed lines, wrapped by width and without blank lines between
# paragraphs: a PDF's text layer, and the text Tesseract recognised on a scanned image file.
PAGED_KINDS = ("pdf", "image")


def looks_like_heading_text(text: str) -> bool:
    """Whether the words alone name a heading: a lexicon heading, a pattern, a focus area or delmål.

    Example: "Bakgrund:" -> True; "C1 Kompetensförsörjningen präglas av samverkan" -> True;
    "Regionen har under året" -> False.
    """
    key = text.lower().rstrip(":").strip("* ")
    return (
        key in HEADING_LEXICON
        or any(p.match(key) for p in HEADING_PATTERNS)
        or bool(FOCUS_AREA.match(text) or SUB_GOAL.match(text))
    )
