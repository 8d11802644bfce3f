"""assistant/language/vocabulary.py: word lists and phrase patterns are data with a source, defined
once; the Python package holds no second copy of a date, e-mail or phone shape."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.language.vocabulary import named_patterns, pattern, pattern_text, word_list, word_map

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
_FILES = (
    "answer_patterns_sv.json",
    "answer_words_sv.json",
    "dates_sv.json",
    "function_words.json",
    "headings_sv.json",
    "document_kinds_sv.json",
)


@pytest.mark.parametrize("file", _FILES)
def test_every_list_and_pattern_says_where_it_comes_from_and_loads(file):
    raw = resources.files("assistant.language").joinpath(f"data/{file}").read_text("utf-8")
    for name, block in json.loads(raw).items():
        if name.startswith("_"):
            continue
        assert block.get("_source"), f"{file}: '{name}' has no _source"
        if "words" in block:
            assert word_list(file, name)
        elif "map" in block:
            assert word_map(file, name)
        elif "patterns" in block:
            assert all(p.pattern for _, p in named_patterns(file, name))
        else:
            assert pattern(file, name).pattern


def test_bodies_and_agent_words_of_administration_are_blocks_with_a_source():
    assert "nämnd" in word_list("administration_sv.json", "body_words")
    body = pattern("administration_sv.json", "body_name")
    text = "Kultur- och fritidsnämnden beslutar. Nätverket Ost samlas."
    assert [m.group(1) for m in body.finditer(text)] == [
        "Kultur- och fritidsnämnden",
        "Nätverket Ost",
    ]
    case = pattern("administration_sv.json", "case_number")
    assert case.search("Dnr: KS 2031/17 gäller").group(1) == "KS 2031/17"


def test_a_pattern_is_joined_from_its_pieces_and_flags_are_read():
    assert pattern("answer_patterns_sv.json", "frequency").search("Följs upp KVARTALSVIS")
    assert not pattern("answer_patterns_sv.json", "paragraph_label").search("paragraf 12")
    assert pattern_text("dates_sv.json", "iso_date").startswith(r"\b(20\d\d")


def test_a_missing_block_is_named_with_its_file_and_the_fix():
    with pytest.raises(ConfigError, match=r"dates_sv.json has no block 'nope'.*restore"):
        pattern("dates_sv.json", "nope")
    with pytest.raises(ConfigError, match="no block 'iso_date' with \"words\""):
        word_list("dates_sv.json", "iso_date")


# A copy of a shape that lives once: an ISO date or a run of month names (data/dates_sv.json,
# read by text.py), an e-mail address or a Swedish phone number (language/shapes.py), written as a
# regex in some other module.
_COPIES = {
    "ISO date": re.compile(r"\\d\{4\}-\\d\{2\}-\\d\{2\}|\(20\\d\\d\|19\\d\\d\)-"),
    "e-mail": re.compile(r"@\[\\w"),
    "phone": re.compile(r"\\\+46|0\\d\{1,3\}"),
    "month names": re.compile(r"januari\|februari", re.I),
}
_HOMES = {"e-mail": "language/shapes.py", "phone": "language/shapes.py"}


def test_no_module_keeps_its_own_copy_of_a_date_email_or_phone_shape():
    copies = [
        f"{path.relative_to(PACKAGE)}: {kind}"
        for path in PACKAGE.rglob("*.py")
        for kind, shape in _COPIES.items()
        if shape.search(path.read_text("utf-8"))
        and str(path.relative_to(PACKAGE)) != _HOMES.get(kind)
    ]
    assert copies == []
