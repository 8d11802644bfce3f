"""Word lists and phrase patterns of Swedish public-sector language that live as data
(assistant/language/data/*.json, each list or pattern with a "_source" note on where its words come
from), loaded once.

A pattern block is {"_source": …, "pattern": "…" or ["piece", "piece", …], "ignore_case": true};
the pieces are joined without separators, so a long regex reads one alternative per line.

Does not: analyse or stem words (analysis.py), or decide what a list means (its reader does).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from assistant.errors import ConfigError


@cache
def _data(file: str) -> dict[str, Any]:
    raw = resources.files("assistant.language").joinpath(f"data/{file}").read_text("utf-8")
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ConfigError(
            f"assistant/language/data/{file} is not a JSON object: restore it from git"
        )
    return data


def _block(file: str, name: str, key: str) -> dict[str, Any]:
    block = _data(file).get(name)
    if not isinstance(block, dict) or key not in block or not block.get("_source"):
        raise ConfigError(
            f'assistant/language/data/{file} has no block \'{name}\' with "{key}" and "_source": '
            "restore the file from git"
        )
    return block


@cache
def word_list(file: str, name: str) -> tuple[str, ...]:
    """The words of list ``name`` in ``data/<file>``.

    Example: word_list("answer_words_sv.json", "number_words")[:2] -> ("två", "tre")
    """
    words = _block(file, name, "words")["words"]
    if not isinstance(words, list):
        raise ConfigError(f"assistant/language/data/{file}: '{name}' \"words\" must be a list")
    return tuple(str(word) for word in words)


def pattern_text(file: str, name: str) -> str:
    """The regex source of pattern ``name`` in ``data/<file>`` (pieces joined), uncompiled, for a
    reader that builds a larger pattern around it.

    Example: pattern_text("dates_sv.json", "iso_date") -> r"\\b(20\\d\\d|19\\d\\d)-(0[1-9]|1[0-2])-…"
    """
    raw = _block(file, name, "pattern")["pattern"]
    return "".join(raw) if isinstance(raw, list) else str(raw)


@cache
def pattern(file: str, name: str) -> re.Pattern[str]:
    """Pattern ``name`` in ``data/<file>``, compiled (case-insensitive where the block says so).

    Example: pattern("answer_patterns_sv.json", "frequency").search("följs upp årligen") -> match
    """
    flags = re.IGNORECASE if _block(file, name, "pattern").get("ignore_case") else 0
    return re.compile(pattern_text(file, name), flags)


@cache
def named_patterns(file: str, name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The ordered (name, pattern) pairs of block ``name``: {"_source": …, "ignore_case": …,
    "patterns": [{"name": …, "pattern": …}, …]}. Order matters to the reader (first match wins).

    Example: named_patterns("answer_patterns_sv.json", "answer_types")[0][0] -> "reference"
    """
    block = _block(file, name, "patterns")
    flags = re.IGNORECASE if block.get("ignore_case") else 0
    pairs = []
    for entry in block["patterns"]:
        raw = entry["pattern"]
        pairs.append(
            (str(entry["name"]), re.compile("".join(raw) if isinstance(raw, list) else raw, flags))
        )
    return tuple(pairs)


@cache
def word_map(file: str, name: str) -> dict[str, str]:
    """The word -> value map of block ``name`` in ``data/<file>`` (a block with "map").

    Example: word_map("dates_sv.json", "english_months")["march"] -> "3"
    """
    mapping = _block(file, name, "map")["map"]
    if not isinstance(mapping, dict):
        raise ConfigError(f"assistant/language/data/{file}: '{name}' \"map\" must be an object")
    return {str(k): str(v) for k, v in mapping.items()}


@cache
def word_table(file: str, name: str) -> dict[str, tuple[str, ...]]:
    """The rows of table ``name`` in ``data/<file>``, keyed by each row's first cell.

    Example: word_table("question_words_sv.json", "asked_detail")["date"] -> ("när", "when")
    """
    table = _block(file, name, "table")["table"]
    if not isinstance(table, list):
        raise ConfigError(f"assistant/language/data/{file}: '{name}' \"table\" must be a list")
    return {str(row[0]): tuple(str(cell) for cell in row[1:]) for row in table}
