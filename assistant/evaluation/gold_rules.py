"""The rules a gold case must meet, each a small function returning its messages: the schema's
values, ids, tags, abstention, that every quote and section stands in its corpus document and that
every expected fact can be found there. Facts and documents compare as the evaluation compares
them, through normalize_for_match (case, whitespace, dashes and date forms folded: "31 augusti
2023" = "2023-08-31").

Does not: read a folder, check ids across cases, coverage or the devcorpus (gold_check.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.language.text import normalize_for_match, normalize_ws

FIELDS = frozenset({"id", "question", "language", "tags", "expected_facts", "sources", "abstain"})
SOURCE_FIELDS = frozenset({"document", "section", "quote"})
LANGUAGES = frozenset({"sv", "en"})
TAGS = frozenset(
    {
        "dates",
        "wording",
        "people",
        "bodies",
        "numbers",
        "lists",
        "cross-document",
        "english",
        "paraphrase",
        "org-alias",
        "follow-up",
        "unanswerable",
        "definition",
        "process",
    }
)
ID_RE = re.compile(r"^([a-z]+)-(\d{3})$")
QUOTE_MIN, QUOTE_MAX = 20, 200


@dataclass(frozen=True)
class Corpus:
    """The corpus documents a gold set cites, by file name, in the two forms the rules compare."""

    spaced: dict[str, str]  # whitespace collapsed: quotes and sections are matched here
    matched: dict[str, str]  # normalize_for_match: facts are matched here

    @classmethod
    def read(cls, folder: Path) -> Corpus:
        raw = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
        return cls(
            {n: normalize_ws(t) for n, t in raw.items()},
            {n: normalize_for_match(t) for n, t in raw.items()},
        )


def id_shape(case: dict[str, Any]) -> list[str]:
    """Example: {"id": "al-1"} -> ["id must look like 'abc-001'"]"""
    cid = case["id"]
    return [] if isinstance(cid, str) and ID_RE.match(cid) else ["id must look like 'abc-001'"]


def question_text(case: dict[str, Any]) -> list[str]:
    q = case["question"]
    return [] if isinstance(q, str) and q.strip() else ["question must be a non-empty string"]


def language(case: dict[str, Any]) -> list[str]:
    ok = case["language"] in LANGUAGES
    return [] if ok else [f"language must be one of {sorted(LANGUAGES)}"]


def case_tags(case: dict[str, Any]) -> list[str]:
    """Known tags, each once, "english" exactly when the language is "en".

    Example: {"language": "en", "tags": ["dates"]} -> ["tag 'english' must be present exactly …"]
    """
    messages = []
    tags = case["tags"]
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        messages.append("tags must be a non-empty list of strings")
    tags = tags_of(case)
    bad = [t for t in tags if t not in TAGS]
    if bad:
        messages.append(f"unknown tags {bad}")
    if len(set(tags)) != len(tags):
        messages.append("duplicate tags")
    if (case["language"] == "en") != ("english" in tags):
        messages.append("tag 'english' must be present exactly when language is 'en'")
    return messages


def abstention(case: dict[str, Any]) -> list[str]:
    """An abstain case has no facts, no sources and the tag "unanswerable"; others the reverse."""
    abstain, facts, sources, tags = (
        case["abstain"],
        case["expected_facts"],
        case["sources"],
        tags_of(case),
    )
    if not isinstance(abstain, bool):
        return ["abstain must be a boolean"]
    if not isinstance(facts, list) or not isinstance(sources, list):
        return ["expected_facts and sources must be lists"]
    if abstain:
        return (
            ["abstain cases need expected_facts == [] and sources == []"]
            if facts or sources
            else []
        ) + ([] if "unanswerable" in tags else ["abstain case without 'unanswerable' tag"])
    messages = ["'unanswerable' tag on a case with abstain false"] if "unanswerable" in tags else []
    if not facts:
        messages.append("answerable case needs at least one expected fact")
    if not sources:
        messages.append("answerable case needs at least one source")
    return messages


def source_texts(case: dict[str, Any], corpus: Corpus) -> list[str]:
    """Each source names a corpus document, and its quote (20-200 characters) and section stand in it."""
    messages = []
    for i, src in enumerate(answerable_parts(case)[1]):
        where = f"source[{i}]"
        if not isinstance(src, dict) or set(src) != SOURCE_FIELDS:
            messages.append(f"{where}: source must have exactly {sorted(SOURCE_FIELDS)}")
            continue
        doc, section, quote = src["document"], src["section"], src["quote"]
        if doc not in corpus.spaced:
            messages.append(f"{where}: unknown document {doc!r}")
            continue
        if not isinstance(quote, str) or not isinstance(section, str):
            messages.append(f"{where}: quote and section must be strings")
            continue
        spaced = normalize_ws(quote)
        if not QUOTE_MIN <= len(spaced) <= QUOTE_MAX:
            messages.append(f"{where}: quote length {len(spaced)} outside {QUOTE_MIN}-{QUOTE_MAX}")
        if spaced not in corpus.spaced[doc]:
            messages.append(f"{where}: quote not found in {doc}: {quote!r}")
        if not section.strip():
            messages.append(f"{where}: empty section")
        elif normalize_ws(section) not in corpus.spaced[doc]:
            messages.append(f"{where}: section text not found in {doc}: {section!r}")
    return messages


def cross_document(case: dict[str, Any], corpus: Corpus) -> list[str]:
    if "cross-document" in tags_of(case) and len(cited_documents(case, corpus)) < 2:
        return ["'cross-document' tag needs sources from >= 2 documents"]
    return []


def facts_found(case: dict[str, Any], corpus: Corpus) -> list[str]:
    """Every alternative of every fact stands in one of the case's documents, as the evaluation
    matches it (normalize_for_match).

    Example: fact ["31 augusti 2023"] is found in a document that says "2023-08-31".
    """
    messages = []
    documents = cited_documents(case, corpus)
    for j, fact in enumerate(answerable_parts(case)[0]):
        where = f"fact[{j}]"
        if (
            not isinstance(fact, list)
            or not fact
            or not all(isinstance(a, str) and a.strip() for a in fact)
        ):
            messages.append(f"{where}: fact must be a non-empty list of non-empty strings")
            continue
        for alternative in fact:
            wanted = normalize_for_match(alternative)
            if not any(wanted in corpus.matched[d] for d in documents):
                messages.append(
                    f"{where}: alternative {alternative!r} not found in source document(s) {documents}"
                )
    return messages


CASE_RULES: tuple[Callable[[dict[str, Any]], list[str]], ...] = (
    id_shape,
    question_text,
    language,
    case_tags,
    abstention,
)
CORPUS_RULES: tuple[Callable[[dict[str, Any], Corpus], list[str]], ...] = (
    source_texts,
    cross_document,
    facts_found,
)


def check_case(case: dict[str, Any], corpus: Corpus) -> list[str]:
    """Every rule's messages for one case whose fields are right, in rule order."""
    messages = [m for rule in CASE_RULES for m in rule(case)]
    if any(m.startswith(("abstain must", "expected_facts and")) for m in messages):
        return messages  # the corpus rules need lists to read
    if not case["abstain"]:
        messages += [m for rule in CORPUS_RULES for m in rule(case, corpus)]
    return messages


def cited_documents(case: dict[str, Any], corpus: Corpus) -> list[str]:
    """The corpus documents a case's sources name, each once, in order."""
    names = [s.get("document") for s in answerable_parts(case)[1] if isinstance(s, dict)]
    return list(dict.fromkeys(n for n in names if n in corpus.spaced))


def tags_of(case: dict[str, Any]) -> list[str]:
    tags = case["tags"]
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def answerable_parts(case: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The facts and sources of a case, as lists (empty when they are not)."""
    facts, sources = case["expected_facts"], case["sources"]
    return (facts if isinstance(facts, list) else []), (
        sources if isinstance(sources, list) else []
    )
