"""Word lists of Swedish public-sector language that live as data (assistant/language/data/*.json,
each list with a "_source" note on where its words come from), loaded once.

Does not: analyse or stem words (analysis.py), or decide what a list means (its reader does).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from assistant.errors import ConfigError


@cache
def word_list(file: str, name: str) -> tuple[str, ...]:
    """The words of list ``name`` in ``data/<file>``.

    Example: word_list("answer_words_sv.json", "number_words")[:2] -> ("två", "tre")
    """
    raw = resources.files("assistant.language").joinpath(f"data/{file}").read_text("utf-8")
    block = json.loads(raw).get(name)
    if not isinstance(block, dict) or not isinstance(block.get("words"), list):
        raise ConfigError(
            f"assistant/language/data/{file} has no word list '{name}' (a block with \"words\"): "
            "restore the file from git"
        )
    return tuple(str(word) for word in block["words"])


@cache
def word_table(file: str, name: str) -> dict[str, tuple[str, ...]]:
    """The rows of table ``name`` in ``data/<file>``, keyed by each row's first cell.

    Example: word_table("question_words_sv.json", "asked_detail")["date"] -> ("när", "when")
    """
    raw = resources.files("assistant.language").joinpath(f"data/{file}").read_text("utf-8")
    block = json.loads(raw).get(name)
    if not isinstance(block, dict) or not isinstance(block.get("table"), list):
        raise ConfigError(
            f"assistant/language/data/{file} has no table '{name}' (a block with \"table\"): "
            "restore the file from git"
        )
    return {str(row[0]): tuple(str(cell) for cell in row[1:]) for row in block["table"]}
