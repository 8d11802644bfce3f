"""The first look at a question: is it text one can search with at all? (Before parse.py.)

Does not: understand the question (parse.py) or word the error for a face (cli/, ui/ do).
"""

from __future__ import annotations

import unicodedata

from assistant.errors import BadQuestion


def checked(question: str, max_chars: int) -> str:
    """The question as one line of plain text (whitespace collapsed), or BadQuestion naming
    what is wrong with it and what to do.

    Example: checked("  När ska\n återkoppling skickas? ", 2000) -> "När ska återkoppling skickas?"
    """
    question = "" if question is None else question
    if not isinstance(question, str):
        raise BadQuestion(f"the question must be text, not {type(question).__name__}")
    surrogates = sum(1 for ch in question if 0xD800 <= ord(ch) <= 0xDFFF)
    if surrogates:
        # argv bytes that are not UTF-8 arrive as U+DC80..U+DCFF; a broken client sends others
        raise BadQuestion(
            f"the question '{_shown(question)}' holds {surrogates} character(s) that are not "
            "valid text (bytes that are not UTF-8?): set the terminal or client to UTF-8 and "
            "ask again"
        )
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in question):
        raise BadQuestion(
            f"the question '{_shown(question)}' holds control characters: type it again as "
            "plain text"
        )
    text = " ".join((question or "").split())
    if not text:
        raise BadQuestion(
            'the question is empty: type a question, e.g. "När ska återkoppling skickas?"'
        )
    if len(text) > max_chars:
        raise BadQuestion(
            f"the question is {len(text)} characters long (limit {max_chars}): "
            "ask about one thing at a time"
        )
    if not any(ch.isalnum() for ch in text):
        raise BadQuestion(f"the question '{text}' has no words in it")
    return text


def _shown(question: str) -> str:
    """The question with surrogates and control characters escaped, for a one-line message."""
    out = []
    for ch in question[:80]:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)
