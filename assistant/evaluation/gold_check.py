"""Check a gold set (a folder of *.jsonl cases, evals/gold or evals/heldout) against its corpus: the
schema, ids, tags, abstention, that every quote and section stands in its document, that every
expected fact can be found there, and, for the main set, the coverage minimums.

Facts and documents compare as the evaluation compares them, through normalize_for_match (case,
whitespace, dashes and date forms folded: "31 augusti 2023" = "2023-08-31").
Rules are small functions, each returning its messages; check_gold_dir runs them over a folder.

Does not: read gold cases for evaluation (gold.py), run the system, or print (render_check does
the text; evals/check_gold.py prints it).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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
class Coverage:
    """The coverage minimums of the main gold set (from the brief that set it up)."""

    total: int = 130
    per_document: int = 12
    english: int = 20
    paraphrase: int = 15
    unanswerable: int = 25


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


@dataclass
class GoldCheck:
    """What a check found: errors (the set is invalid), warnings, and counts for the report."""

    folder: Path
    main_set: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int = 0
    abstained: int = 0
    per_file: Counter[str] = field(default_factory=Counter)
    per_language: Counter[str] = field(default_factory=Counter)
    per_tag: Counter[str] = field(default_factory=Counter)
    per_document: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- rules on one case: each takes the case (fields checked) and returns its messages ----------


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
    tags = _tags(case)
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
        _tags(case),
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
    for i, src in enumerate(_answerable(case)[1]):
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
    if "cross-document" in _tags(case) and len(cited_documents(case, corpus)) < 2:
        return ["'cross-document' tag needs sources from >= 2 documents"]
    return []


def facts_found(case: dict[str, Any], corpus: Corpus) -> list[str]:
    """Every alternative of every fact stands in one of the case's documents, as the evaluation
    matches it (normalize_for_match).

    Example: fact ["31 augusti 2023"] is found in a document that says "2023-08-31".
    """
    messages = []
    documents = cited_documents(case, corpus)
    for j, fact in enumerate(_answerable(case)[0]):
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
    names = [s.get("document") for s in _answerable(case)[1] if isinstance(s, dict)]
    return list(dict.fromkeys(n for n in names if n in corpus.spaced))


# --- a folder --------------------------------------------------------------------------------


def check_gold_dir(
    gold_dir: Path, corpus_dir: Path, main_dir: Path, coverage: Coverage | None = Coverage()
) -> GoldCheck:
    """Check every *.jsonl case in gold_dir against the documents of corpus_dir.

    The main set (gold_dir is main_dir) must meet ``coverage``; another set must not reuse an id or
    id prefix of the main set. Raises nothing for a bad case: each becomes an error message.
    Example: check_gold_dir(Path("evals/heldout"), Path("corpus"), Path("evals/gold")).ok -> True
    """
    main_set = gold_dir.resolve() == main_dir.resolve()
    check = GoldCheck(gold_dir, main_set)
    if not corpus_dir.is_dir():
        check.errors.append(f"corpus directory not found: {corpus_dir}")
        return check
    files = sorted(gold_dir.glob("*.jsonl"))
    if not files:
        check.errors.append(f"no *.jsonl files in {gold_dir}")
        return check
    corpus = Corpus.read(corpus_dir)
    main_ids = set() if main_set else _ids_of(main_dir)
    main_prefixes = {ID_RE.match(i).group(1) for i in main_ids if ID_RE.match(i)}  # type: ignore[union-attr]
    seen: dict[str, str] = {}
    prefix_owner: dict[str, str] = {}
    for path in files:
        prefixes: set[str] = set()
        for lineno, case in _lines(path, check):
            check.total += 1
            check.per_file[path.name] += 1
            where = f"{path.name}:{lineno}"
            if set(case) != FIELDS:
                missing, extra = sorted(FIELDS - set(case)), sorted(set(case) - FIELDS)
                check.errors.append(f"{where}: bad fields (missing {missing}, extra {extra})")
                continue
            cid = case["id"]
            where = f"{where} [{cid}]"
            check.errors += [f"{where}: {m}" for m in _id_uses(cid, path.name, seen, prefix_owner)]
            check.errors += [f"{where}: {m}" for m in _reused(cid, main_ids, main_prefixes)]
            match = ID_RE.match(cid) if isinstance(cid, str) else None
            if match:
                prefixes.add(match.group(1))
            check.errors += [f"{where}: {m}" for m in check_case(case, corpus)]
            _count(check, case, corpus)
        if len(prefixes) > 1:
            check.errors.append(
                f"{path.name}: several id prefixes {sorted(prefixes)}; use one per file"
            )
    if main_set and coverage is not None:
        check.errors += coverage_errors(check, list(corpus.spaced), coverage)
    unused = sorted(TAGS - set(check.per_tag))
    if unused:
        check.warnings.append(f"tags never used: {unused}")
    return check


def check_devcorpus(devcorpus_dir: Path) -> GoldCheck:
    """Check the devcorpus questions (devcorpus_dir/questions.jsonl, its own format: "expect" fact
    groups and "documents") against devcorpus_dir/corpus/*.md: ids unique, every named document
    there, an abstain case without facts or documents, an answerable one with both, and every
    alternative of every group standing in one of its documents (normalize_for_match).

    Example: check_devcorpus(Path("evals/devcorpus")).ok -> True
    """
    check = GoldCheck(devcorpus_dir, main_set=False)
    path = devcorpus_dir / "questions.jsonl"
    if not path.is_file():
        check.errors.append(f"no devcorpus questions at {path}")
        return check
    documents = {
        p.name: normalize_for_match(p.read_text(encoding="utf-8"))
        for p in sorted((devcorpus_dir / "corpus").glob("*.md"))
    }
    seen: set[str] = set()
    for lineno, case in _lines(path, check):
        cid = case.get("id")
        where = f"{path.name}:{lineno} [{cid}]"
        check.total += 1
        check.per_file[path.name] += 1
        check.per_tag.update(t for t in case.get("tags", ()) if isinstance(t, str))
        if not isinstance(cid, str) or cid in seen:
            check.errors.append(f"{where}: id missing or used twice")
        seen.add(str(cid))
        expect, named = case.get("expect", []), case.get("documents", [])
        if case.get("abstain") is True:
            check.abstained += 1
            if expect or named:
                check.errors.append(f"{where}: abstain cases need no expect and no documents")
            continue
        if not expect or not named:
            check.errors.append(f"{where}: answerable case needs expect and documents")
        unknown = [d for d in named if d not in documents]
        if unknown:
            check.errors.append(f"{where}: unknown document(s) {unknown}")
        texts = [documents[d] for d in named if d in documents]
        for j, group in enumerate(expect):
            for alternative in group:
                wanted = normalize_for_match(alternative)
                if not any(wanted in text for text in texts):
                    check.errors.append(
                        f"{where}: expect[{j}] alternative {alternative!r} not found in {named}"
                    )
        check.per_document.update(d for d in named if d in documents)
    return check


def coverage_errors(check: GoldCheck, documents: list[str], coverage: Coverage) -> list[str]:
    """The coverage minimums the main set misses.

    Example: 120 cases -> ["coverage: 120 cases < 130", …]
    """
    errors = (
        [f"coverage: {check.total} cases < {coverage.total}"]
        if check.total < coverage.total
        else []
    )
    for d in documents:
        if check.per_document[d] < coverage.per_document:
            errors.append(
                f"coverage: {d} cited by {check.per_document[d]} cases < {coverage.per_document}"
            )
    for tag, minimum in (
        ("english", coverage.english),
        ("paraphrase", coverage.paraphrase),
        ("unanswerable", coverage.unanswerable),
    ):
        if check.per_tag[tag] < minimum:
            errors.append(f"coverage: tag {tag!r} on {check.per_tag[tag]} cases < {minimum}")
    return errors


def render_check(check: GoldCheck, documents: list[str]) -> str:
    """The report evals/check_gold.py prints: counts, then warnings, errors and OK/FAILED."""
    lines = [] if check.main_set else [f"set: {check.folder} (coverage minimums skipped)"]
    answerable = check.total - check.abstained
    lines.append(f"cases: {check.total} ({answerable} answerable, {check.abstained} abstain)")
    lines.append("per file:")
    lines += [f"  {n:4d}  {name}" for name, n in sorted(check.per_file.items())]
    lines.append("per language:")
    lines += [f"  {n:4d}  {name}" for name, n in sorted(check.per_language.items())]
    lines.append("per tag:")
    by_count = sorted(check.per_tag.items(), key=lambda kv: (-kv[1], kv[0]))
    lines += [f"  {n:4d}  {name}" for name, n in by_count]
    lines.append("per document (cases citing it):")
    lines += [f"  {check.per_document[name]:4d}  {name}" for name in sorted(documents)]
    lines += [f"WARNING: {w}" for w in check.warnings]
    lines += [f"ERROR: {e}" for e in check.errors]
    lines.append("OK" if check.ok else f"FAILED: {len(check.errors)} error(s)")
    return "\n".join(lines)


def _lines(path: Path, check: GoldCheck) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a file with their line numbers; a bad line becomes an error."""
    cases = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as e:
            check.errors.append(f"{path.name}:{lineno}: invalid JSON: {e}")
            continue
        if not isinstance(case, dict):
            check.errors.append(f"{path.name}:{lineno}: line is not a JSON object")
            continue
        cases.append((lineno, case))
    return cases


def _id_uses(cid: Any, file: str, seen: dict[str, str], prefix_owner: dict[str, str]) -> list[str]:
    """An id is used once across the set, and an id prefix by one file only."""
    messages = []
    match = ID_RE.match(cid) if isinstance(cid, str) else None
    if match:
        owner = prefix_owner.setdefault(match.group(1), file)
        if owner != file:
            messages.append(f"id prefix '{match.group(1)}' also used in {owner}")
    if isinstance(cid, str):
        if cid in seen:
            messages.append(f"duplicate id (first in {seen[cid]})")
        seen[cid] = file
    return messages


def _reused(cid: Any, main_ids: set[str], main_prefixes: set[str]) -> list[str]:
    """Another set must not reuse an id or id prefix of the main set (evals/gold)."""
    match = ID_RE.match(cid) if isinstance(cid, str) else None
    if cid in main_ids:
        return ["id also used in evals/gold"]
    if match and match.group(1) in main_prefixes:
        return ["id prefix also used in evals/gold"]
    return []


def _ids_of(folder: Path) -> set[str]:
    ids = set()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                cid = json.loads(line).get("id") if line.strip() else None
            except (json.JSONDecodeError, AttributeError):
                continue
            if isinstance(cid, str):
                ids.add(cid)
    return ids


def _count(check: GoldCheck, case: dict[str, Any], corpus: Corpus) -> None:
    check.per_language[case["language"]] += 1
    check.per_tag.update(set(_tags(case)))
    if case["abstain"] is True:
        check.abstained += 1
    elif isinstance(case["sources"], list):
        check.per_document.update(cited_documents(case, corpus))


def _tags(case: dict[str, Any]) -> list[str]:
    tags = case["tags"]
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _answerable(case: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The facts and sources of a case, as lists (empty when they are not)."""
    facts, sources = case["expected_facts"], case["sources"]
    return (facts if isinstance(facts, list) else []), (
        sources if isinstance(sources, list) else []
    )
