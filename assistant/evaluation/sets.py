"""The evaluation sets as report rows: the gold set's fixed train and test splits, the held-out set,
and the devcorpus (its own corpus, indexed into a temporary folder) by split; each row is ours,
and unless quick the naive llama-index baseline beside it.

Rows are named "<system>@<set>" (e.g. "ours@gold-test", "llamaindex@devcorpus-test"); the rows of
the whole gold set keep their plain system names ("ours", "bm25", …, "llamaindex").

Does not: fit anything, open the live index or load the model (pipeline.py hands in the Assistant),
aggregate beyond SystemResult, or write anything outside its temporary folder.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.gold import (
    SPLITS,
    GoldCase,
    load_devcorpus,
    load_splits,
    split_cases,
)
from assistant.evaluation.results import SystemResult
from assistant.evaluation.runner import (
    SystemUnderTest,
    baseline_system,
    evaluate_system,
    our_systems,
)

# Set -> label, in the order rows are shown. The gated sets are the ones nobody fits on.
SET_LABELS = {
    "gold-train": "gold train",
    "gold-test": "gold test",
    "heldout": "held-out (never tuned)",
    "devcorpus": "devcorpus",
    "devcorpus-train": "devcorpus train",
    "devcorpus-test": "devcorpus test",
}
GATED_SETS = ("gold-test", "heldout", "devcorpus-test")
# (set whose fact accuracy is fitted on, set it is reported on) -> the train/test gap
GAPS = (("gold-train", "gold-test"), ("devcorpus-train", "devcorpus-test"))
SYSTEM_LABELS = {"ours": "ours", "llamaindex": "naive llama-index"}


def row_name(system: str, set_name: str) -> str:
    """Example: row_name("ours", "gold-test") -> "ours@gold-test" """
    return f"{system}@{set_name}"


def row_label(system: str, set_name: str) -> str:
    """Example: row_label("llamaindex", "gold-test") -> "naive llama-index · gold test" """
    return f"{SYSTEM_LABELS[system]} · {SET_LABELS[set_name]}"


def set_of(row: str) -> str | None:
    """Example: set_of("ours@gold-test") -> "gold-test"; set_of("ours") -> None (whole gold set)"""
    return row.split("@", 1)[1] if "@" in row else None


def subset_row(
    result: SystemResult, cases: list[GoldCase], system: str, set_name: str
) -> SystemResult:
    """The part of a whole-set result that falls in cases (no re-run: one ask per case per run)."""
    ids = {c.id for c in cases}
    kept = [c for c in result.cases if c.id in ids]
    return SystemResult.from_cases(
        row_name(system, set_name), row_label(system, set_name), kept, 0.0
    )


def gold_split_rows(
    results: dict[str, SystemResult], cases: list[GoldCase], splits_path: Path
) -> dict[str, SystemResult]:
    """Ours (and the baseline, if it ran) on the gold train and test splits recorded in splits_path;
    {} when there is no split file next to the gold folder (e.g. a hand-made gold folder)."""
    recorded = load_splits(splits_path).get("gold")
    if recorded is None:
        return {}
    parts = split_cases(cases, recorded, "gold", splits_path)
    rows = {}
    for split in SPLITS:
        for system in ("ours", "llamaindex"):
            if system in results:
                row = subset_row(results[system], parts[split], system, f"gold-{split}")
                rows[row.name] = row
    return rows


def same_system_on(set_name: str, system: SystemUnderTest, system_key: str) -> SystemUnderTest:
    """A system under another row name (the held-out set goes through the very same ask/search)."""
    return SystemUnderTest(
        row_name(system_key, set_name),
        row_label(system_key, set_name),
        system.ask,
        system.search,
        system.groups,
    )


def devcorpus_rows(
    settings: Settings,
    devcorpus_dir: Path,
    splits_path: Path,
    model: str,
    quick: bool,
    verify_for: Any,
) -> tuple[dict[str, SystemResult], str]:
    """Index devcorpus_dir/corpus into a temporary folder (real Chroma, the given model), run every
    devcorpus question through ours (and unless quick the naive baseline over the same folder),
    and split the rows as splits_path records (one "devcorpus" row if it has no devcorpus block).
    Returns the rows and a note on the index. verify_for(corpus_dir) -> a citation check.
    """
    from assistant.service import Assistant

    cases = load_devcorpus(devcorpus_dir)
    corpus = Path(devcorpus_dir) / "corpus"
    recorded = load_splits(splits_path).get("devcorpus")
    parts = (
        split_cases(cases, recorded, "devcorpus", splits_path)
        if recorded is not None
        else {"": cases}
    )
    rows: dict[str, SystemResult] = {}
    # subtle: chroma may still hold its files open when the folder goes; leftovers are only tmp.
    with tempfile.TemporaryDirectory(
        prefix="assistant-devcorpus-", ignore_cleanup_errors=True
    ) as tmp:
        dev_settings = dataclasses.replace(
            settings,
            corpus_dir=corpus,
            index_dir=Path(tmp) / "index",
            chroma_host="",
            embedding_model=model,
        )
        started = time.perf_counter()
        dev = Assistant(dev_settings)
        dev.ingest()
        seconds = time.perf_counter() - started
        verify = verify_for(corpus)
        systems = {"ours": our_systems(dev, cases, quick=True)[0]}
        if not quick:
            systems["llamaindex"] = baseline_system(dev_settings, dev.embedder)
        for key, system in systems.items():
            whole = evaluate_system(system, cases, verify)
            for split, subset in parts.items():
                set_name = f"devcorpus-{split}" if split else "devcorpus"
                row = subset_row(whole, subset, key, set_name)
                row.seconds = whole.seconds * len(subset) / max(len(cases), 1)
                rows[row.name] = row
        note = (
            f"devcorpus: {len(cases)} questions over {len(dev.chunks())} chunks of "
            f"'{corpus}', indexed into a temporary folder in {seconds:.0f} s"
        )
    return rows, note


def train_test_gaps(systems: dict[str, SystemResult]) -> dict[str, float]:
    """Ours: fact accuracy on train minus on test, per split set that has both rows.

    Example: gold train 0.92, gold test 0.88 -> {"gold": 0.04}
    """
    gaps = {}
    for train, test in GAPS:
        a, b = systems.get(row_name("ours", train)), systems.get(row_name("ours", test))
        if a and b:
            fa, fb = a.metrics.get("fact_accuracy"), b.metrics.get("fact_accuracy")
            if fa is not None and fb is not None:
                gaps[train.split("-")[0]] = fa - fb
    return gaps
