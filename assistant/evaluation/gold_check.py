"""Check a gold set (a folder of *.jsonl cases, evals/gold or evals/heldout) against its corpus:
every case by the rules of gold_rules.py, ids unique across the set (and, for another set, not
reused from the main one), one id prefix per file, and, for the main set, the coverage minimums;
also the devcorpus questions (their own format) against the devcorpus corpus.

Does not: read gold cases for evaluation (gold.py), run the system, or print (render_check does
the text; evals/check_gold.py prints it).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evaluation.gold_rules import (
    FIELDS,
    ID_RE,
    TAGS,
    Corpus,
    check_case,
    cited_documents,
    tags_of,
)
from assistant.language.text import normalize_for_match


@dataclass(frozen=True)
class Coverage:
    """The coverage minimums of the main gold set (from the brief that set it up)."""

    total: int = 130
    per_document: int = 12
    english: int = 20
    paraphrase: int = 15
    unanswerable: int = 25


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
    check.per_tag.update(set(tags_of(case)))
    if case["abstain"] is True:
        check.abstained += 1
    elif isinstance(case["sources"], list):
        check.per_document.update(cited_documents(case, corpus))
