"""One evaluation run end to end: gold set -> every system (and its fixed train/test splits), the
held-out set and the devcorpus -> ours and the naive baseline, and the drafting gold cases -> our
draft_decision -> report (with the regressions since the previous one) -> report files.

Does not: print (terminal.py), gate or touch the ratchet baseline (gate.py), or decide exit codes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.drafting_cases import DraftingResult, evaluate_drafting
from assistant.evaluation.files import write_report
from assistant.evaluation.gold import (
    drafting_dir_for,
    heldout_dir_for,
    load_drafting_gold,
    load_gold,
)
from assistant.evaluation.index_facts import index_facts, unfindable_quotes
from assistant.evaluation.report import (
    EvalReport,
    find_improvements,
    find_regressions,
    latest_report,
)
from assistant.evaluation.runner import (
    baseline_system,
    evaluate_system,
    our_systems,
)
from assistant.evaluation.sets import devcorpus_rows, gold_split_rows, same_system_on


def run(
    settings: Settings,
    gold_dir: Path,
    reports_dir: Path,
    quick: bool = False,
    drafting_dir: Path | None = None,
    devcorpus: bool = True,
    reader_alone: bool = True,
) -> EvalReport:
    """Every gold case through ours (and, unless quick, the ablations and the baseline), every
    drafting gold case through our draft_decision; writes the report. drafting_dir defaults to
    gold_drafting/ next to gold_dir; without drafting cases the report notes it and has no drafting.
    Next to gold_dir: splits.json gives the gold train/test rows, heldout/ its own rows, and unless
    devcorpus is False, devcorpus/ is indexed into a temporary folder and gets its own rows. A full
    run (not quick) with reader_alone also measures the reader model alone (evaluation/reading.py).

    Example: run(Settings(), Path("evals/gold"), Path("evals/reports"), quick=True).ours.metrics["hit@5"] -> 0.9…
    """
    from assistant.answer.verify import CitationVerifier
    from assistant.drafting import draft_decision
    from assistant.evaluation.reading import reading_rows
    from assistant.service import Assistant

    # subtle: OpenMP threads that spin-wait make one-question embeddings 5-10x slower on a busy 2-core
    # machine (450 ms instead of 30). Sleeping waits keep the run fast and the latencies honest; it
    # only takes effect if set before the model loads. (Belongs in embeddings.py; see evals/README.md.)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    started = time.perf_counter()
    cases = load_gold(gold_dir)
    drafting_dir = Path(drafting_dir) if drafting_dir is not None else drafting_dir_for(gold_dir)
    drafting_cases = load_drafting_gold(drafting_dir)
    assistant = Assistant(settings)
    verifier = CitationVerifier(settings.corpus_dir)
    systems = our_systems(assistant, cases, quick)
    results = {s.name: evaluate_system(s, cases, verifier.verify) for s in systems}
    naive = None if quick else baseline_system(settings, assistant.embedder)
    if naive is not None:
        results[naive.name] = evaluate_system(naive, cases, verifier.verify)
    rows = gold_split_rows(results, cases, Path(gold_dir).parent / "splits.json")
    heldout_dir = heldout_dir_for(gold_dir)
    if heldout_dir is not None:
        # The honest number: cases written without ever seeing the system's output, never tuned on.
        heldout_cases = load_gold(heldout_dir)
        for key, system in (("ours", systems[0]), ("llamaindex", naive)):
            if system is not None:
                row = evaluate_system(
                    same_system_on("heldout", system, key), heldout_cases, verifier.verify
                )
                rows[row.name] = row
    notes = []
    model = assistant.manifest().get("model", settings.embedding_model)
    devcorpus_dir = Path(gold_dir).parent / "devcorpus"
    if devcorpus and devcorpus_dir.is_dir():
        dev_rows, note = devcorpus_rows(
            settings,
            devcorpus_dir,
            Path(gold_dir).parent / "splits.json",
            model,
            quick,
            lambda corpus: CitationVerifier(corpus).verify,
        )
        rows.update(dev_rows)
        notes.append(note)
    elif devcorpus_dir.is_dir():
        notes.append("devcorpus left out (--no-devcorpus): its rows are not measured")
    drafting: DraftingResult | None = None
    if drafting_cases:
        drafting = evaluate_drafting(
            lambda org, strategy, body: draft_decision(assistant, org, strategy, body),
            drafting_cases,
            verifier.verify,
            str(drafting_dir),
        )
    ordered = {k: v for k, v in results.items() if k == "ours"}
    ordered.update({k: v for k, v in rows.items() if k.startswith("ours@")})
    ordered.update({k: v for k, v in results.items() if k != "ours"})
    ordered.update({k: v for k, v in rows.items() if not k.startswith("ours@")})
    report = EvalReport(
        created=time.strftime("%Y-%m-%dT%H:%M:%S"),
        model=model,
        gold_cases=len(cases),
        quick=quick,
        seconds=0.0,
        systems=ordered,
        index=index_facts(settings, assistant),
        notes=notes + unfindable_quotes(cases, assistant.chunks()),
        drafting=drafting,
        reading=reading_rows() if reader_alone and not quick else {},
    )
    if drafting is None:
        report.notes.append(f"no drafting gold cases in '{drafting_dir}': drafting not measured")
    previous = latest_report(reports_dir)
    if previous is not None:
        report.previous = previous[0]
        report.regressions = find_regressions(previous[1], report)
        report.improvements = find_improvements(previous[1], report)
    report.seconds = time.perf_counter() - started
    write_report(report, reports_dir)
    return report
