#!/usr/bin/env python3
"""Validate the gold evaluation set in evals/gold/*.jsonl.

Stdlib only. Run from anywhere:  python evals/check_gold.py

Another folder (e.g. the held-out set):  python evals/check_gold.py --dir evals/heldout
runs the same checks on that folder's *.jsonl, skips the coverage minimums (they are meant
for the main set) and also fails if an id or id prefix is already used in evals/gold.

Checks
  * every line is a JSON object with exactly the schema fields and types
  * ids are unique across all files and share one prefix per file
  * tags come from the fixed vocabulary ("english" iff language == "en",
    "unanswerable" iff abstain, "cross-document" needs >= 2 documents)
  * abstain cases have no facts and no sources
  * every source document exists in corpus/ and every quote occurs in it
    after whitespace normalisation (all whitespace incl. U+00A0 -> one space);
    quotes are 20-200 characters; the section text occurs in the document
  * every alternative of every expected fact occurs (case-insensitive,
    whitespace- and dash-normalised) in at least one of the case's source
    documents, or is a date (ISO "2023-08-31" or Swedish "31 augusti 2023")
    that occurs in one of them in either form
  * coverage minimums from the brief (total, per document, english,
    paraphrase, unanswerable); main set only
  * with --dir: no id or id prefix also used in evals/gold
Prints counts per tag, per document, per file and per language.
Exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "evals" / "gold"
CORPUS_DIR = ROOT / "corpus"

FIELDS = {"id", "question", "language", "tags", "expected_facts", "sources", "abstain"}
SOURCE_FIELDS = {"document", "section", "quote"}
LANGUAGES = {"sv", "en"}
TAGS = {
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
ID_RE = re.compile(r"^([a-z]+)-(\d{3})$")
QUOTE_MIN, QUOTE_MAX = 20, 200

# Coverage minimums from the brief.
MIN_TOTAL = 130
MIN_PER_DOCUMENT = 12
MIN_ENGLISH = 20
MIN_PARAPHRASE = 15
MIN_UNANSWERABLE = 25

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
MONTH_NUM = {m: i + 1 for i, m in enumerate(MONTHS)}
ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
SV_DATE_RE = re.compile(r"(?<!\d)(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})(?!\d)")
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def ws_norm(text: str) -> str:
    """Collapse every run of whitespace (incl. NBSP) into a single space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def fact_norm(text: str) -> str:
    """Normalisation used for expected facts: NFC, dashes, whitespace, case."""
    text = unicodedata.normalize("NFC", text).translate(DASHES)
    return ws_norm(text).casefold()


def dates_in(text: str) -> set[tuple[int, int, int]]:
    found = set()
    for y, m, d in ISO_DATE_RE.findall(text):
        found.add((int(y), int(m), int(d)))
    for d, mon, y in SV_DATE_RE.findall(text):
        found.add((int(y), MONTH_NUM[mon], int(d)))
    return found


def as_date(fact: str) -> tuple[int, int, int] | None:
    """Return (y, m, d) if the whole fact is a date, else None."""
    f = fact_norm(fact)
    if f.startswith("den "):
        f = f[4:]
    m = ISO_DATE_RE.fullmatch(f)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = SV_DATE_RE.fullmatch(f)
    if m:
        return int(m.group(3)), MONTH_NUM[m.group(2)], int(m.group(1))
    return None


def resolve_dir(arg: str) -> Path:
    """A --dir argument: absolute, relative to the cwd, or relative to the repo root."""
    p = Path(arg)
    if p.is_absolute() or p.is_dir():
        return p.resolve()
    return (ROOT / p).resolve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate a gold evaluation set.")
    parser.add_argument(
        "--dir",
        default=None,
        help="folder of *.jsonl cases (default evals/gold, with coverage minimums)",
    )
    args = parser.parse_args(argv)
    gold_dir = GOLD_DIR if args.dir is None else resolve_dir(args.dir)
    main_set = gold_dir == GOLD_DIR
    errors: list[str] = []
    warnings: list[str] = []

    def err(msg: str) -> None:
        errors.append(msg)

    if not CORPUS_DIR.is_dir():
        print(f"ERROR: corpus directory not found: {CORPUS_DIR}")
        return 2
    docs_raw = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))}
    docs_ws = {n: ws_norm(t) for n, t in docs_raw.items()}
    docs_fact = {n: fact_norm(t) for n, t in docs_raw.items()}
    docs_dates = {n: dates_in(docs_fact[n]) for n in docs_raw}

    files = sorted(gold_dir.glob("*.jsonl"))
    if not files:
        print(f"ERROR: no *.jsonl files in {gold_dir}")
        return 2

    # ids and id prefixes of the main set, which another set must not reuse
    main_ids: set[str] = set()
    main_prefixes: set[str] = set()
    if not main_set:
        for gpath in sorted(GOLD_DIR.glob("*.jsonl")):
            for gline in gpath.read_text(encoding="utf-8").splitlines():
                try:
                    gid = json.loads(gline).get("id") if gline.strip() else None
                except (json.JSONDecodeError, AttributeError):
                    continue
                if isinstance(gid, str):
                    main_ids.add(gid)
                    if ID_RE.match(gid):
                        main_prefixes.add(ID_RE.match(gid).group(1))

    seen_ids: dict[str, str] = {}
    prefix_owner: dict[str, str] = {}
    tag_counts: Counter[str] = Counter()
    doc_counts: Counter[str] = Counter()
    file_counts: Counter[str] = Counter()
    lang_counts: Counter[str] = Counter()
    total = 0
    abstain_count = 0

    for path in files:
        file_prefixes: set[str] = set()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                case = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"{where}: invalid JSON: {e}")
                continue
            if not isinstance(case, dict):
                err(f"{where}: line is not a JSON object")
                continue
            total += 1
            file_counts[path.name] += 1
            keys = set(case)
            if keys != FIELDS:
                missing, extra = FIELDS - keys, keys - FIELDS
                err(f"{where}: bad fields (missing {sorted(missing)}, extra {sorted(extra)})")
                continue

            cid = case["id"]
            where = f"{path.name}:{lineno} [{cid}]"
            # id
            if not isinstance(cid, str) or not ID_RE.match(cid):
                err(f"{where}: id must look like 'abc-001'")
            else:
                prefix = ID_RE.match(cid).group(1)
                file_prefixes.add(prefix)
                owner = prefix_owner.setdefault(prefix, path.name)
                if owner != path.name:
                    err(f"{where}: id prefix '{prefix}' also used in {owner}")
            if cid in seen_ids:
                err(f"{where}: duplicate id (first in {seen_ids[cid]})")
            id_match = ID_RE.match(cid) if isinstance(cid, str) else None
            if cid in main_ids:
                err(f"{where}: id also used in evals/gold")
            elif id_match and id_match.group(1) in main_prefixes:
                err(f"{where}: id prefix also used in evals/gold")
            seen_ids[cid] = path.name

            # question / language
            q = case["question"]
            if not isinstance(q, str) or not q.strip():
                err(f"{where}: question must be a non-empty string")
            lang = case["language"]
            if lang not in LANGUAGES:
                err(f"{where}: language must be one of {sorted(LANGUAGES)}")
            lang_counts[lang] += 1

            # tags
            tags = case["tags"]
            if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
                err(f"{where}: tags must be a non-empty list of strings")
                tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
            bad = [t for t in tags if t not in TAGS]
            if bad:
                err(f"{where}: unknown tags {bad}")
            if len(set(tags)) != len(tags):
                err(f"{where}: duplicate tags")
            if (lang == "en") != ("english" in tags):
                err(f"{where}: tag 'english' must be present exactly when language is 'en'")
            tag_counts.update(set(tags))

            # abstain / facts / sources
            abstain = case["abstain"]
            facts = case["expected_facts"]
            sources = case["sources"]
            if not isinstance(abstain, bool):
                err(f"{where}: abstain must be a boolean")
                continue
            if not isinstance(facts, list) or not isinstance(sources, list):
                err(f"{where}: expected_facts and sources must be lists")
                continue
            if abstain:
                abstain_count += 1
                if facts or sources:
                    err(f"{where}: abstain cases need expected_facts == [] and sources == []")
                if "unanswerable" not in tags:
                    err(f"{where}: abstain case without 'unanswerable' tag")
                continue
            if "unanswerable" in tags:
                err(f"{where}: 'unanswerable' tag on a case with abstain false")
            if not facts:
                err(f"{where}: answerable case needs at least one expected fact")
            if not sources:
                err(f"{where}: answerable case needs at least one source")

            case_docs: list[str] = []
            for i, src in enumerate(sources):
                swhere = f"{where} source[{i}]"
                if not isinstance(src, dict) or set(src) != SOURCE_FIELDS:
                    err(f"{swhere}: source must have exactly {sorted(SOURCE_FIELDS)}")
                    continue
                doc, section, quote = src["document"], src["section"], src["quote"]
                if doc not in docs_raw:
                    err(f"{swhere}: unknown document {doc!r}")
                    continue
                if doc not in case_docs:
                    case_docs.append(doc)
                if not isinstance(quote, str) or not isinstance(section, str):
                    err(f"{swhere}: quote and section must be strings")
                    continue
                nq = ws_norm(quote)
                if not (QUOTE_MIN <= len(nq) <= QUOTE_MAX):
                    err(f"{swhere}: quote length {len(nq)} outside {QUOTE_MIN}-{QUOTE_MAX}")
                if nq not in docs_ws[doc]:
                    err(f"{swhere}: quote not found in {doc}: {quote!r}")
                if not section.strip():
                    err(f"{swhere}: empty section")
                elif ws_norm(section) not in docs_ws[doc]:
                    err(f"{swhere}: section text not found in {doc}: {section!r}")
            for d in case_docs:
                doc_counts[d] += 1
            if "cross-document" in tags and len(case_docs) < 2:
                err(f"{where}: 'cross-document' tag needs sources from >= 2 documents")

            for j, fact in enumerate(facts):
                fwhere = f"{where} fact[{j}]"
                if (
                    not isinstance(fact, list)
                    or not fact
                    or not all(isinstance(a, str) and a.strip() for a in fact)
                ):
                    err(f"{fwhere}: fact must be a non-empty list of non-empty strings")
                    continue
                for alt in fact:
                    na = fact_norm(alt)
                    if any(na in docs_fact[d] for d in case_docs):
                        continue
                    dt = as_date(alt)
                    if dt is not None and any(dt in docs_dates[d] for d in case_docs):
                        continue
                    err(
                        f"{fwhere}: alternative {alt!r} not found in source document(s) {case_docs}"
                    )

        if len(file_prefixes) > 1:
            err(f"{path.name}: several id prefixes {sorted(file_prefixes)}; use one per file")

    # coverage (main set only)
    if main_set:
        if total < MIN_TOTAL:
            err(f"coverage: {total} cases < {MIN_TOTAL}")
        for d in docs_raw:
            if doc_counts[d] < MIN_PER_DOCUMENT:
                err(f"coverage: {d} cited by {doc_counts[d]} cases < {MIN_PER_DOCUMENT}")
        for tag, minimum in (
            ("english", MIN_ENGLISH),
            ("paraphrase", MIN_PARAPHRASE),
            ("unanswerable", MIN_UNANSWERABLE),
        ):
            if tag_counts[tag] < minimum:
                err(f"coverage: tag {tag!r} on {tag_counts[tag]} cases < {minimum}")
    unused = sorted(TAGS - set(tag_counts))
    if unused:
        warnings.append(f"tags never used: {unused}")

    # report
    if not main_set:
        print(f"set: {gold_dir} (coverage minimums skipped)")
    print(f"cases: {total} ({total - abstain_count} answerable, {abstain_count} abstain)")
    print("per file:")
    for name, n in sorted(file_counts.items()):
        print(f"  {n:4d}  {name}")
    print("per language:")
    for name, n in sorted(lang_counts.items()):
        print(f"  {n:4d}  {name}")
    print("per tag:")
    for name, n in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {name}")
    print("per document (cases citing it):")
    for name in sorted(docs_raw):
        print(f"  {doc_counts[name]:4d}  {name}")
    for w in warnings:
        print(f"WARNING: {w}")
    for e in errors:
        print(f"ERROR: {e}")
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
