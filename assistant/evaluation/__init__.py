"""Evaluation: gold set -> every system's answers and rankings, and our decision drafts ->
metrics -> report files, regressions, ratchet gate. The public API is the five names below
(cli/ uses them).

Modules, in the order data flows (each imports only modules listed before it):
    gold            gold cases from evals/gold/*.jsonl, drafting gold cases from evals/gold_drafting/,
                    devcorpus questions as gold cases, the fixed train/test split (evals/splits.json)
    metrics         per-case metrics as pure functions, and the catalogue of aggregate metrics
    results         one system's per-case results and its aggregates (overall and per tag)
    runner          the systems under test (ours, ablations, naive baseline); scoring one case
    sets            rows per evaluation set: gold train/test, held-out, devcorpus (own temp index)
    drafting_cases  the drafting gold cases through draft_decision: wording, sources, verbatim
    index_facts     index size, ingest timings, gold quotes no single chunk holds
    report          the report as data, the previous report on disk, regressions, unmet targets
    gate            the per-set ratchet baseline, judged case by case: judge, check_gate, raise_baseline
    files           report -> <timestamp>.json, .md, .png
    terminal        report -> rich tables
    pipeline        run(): gold -> systems -> report -> files, end to end
    generated       eval --generate: generated beside extractive answers on a gold subset (not gated)

Does not: build or change the index, edit gold cases, or decide exit codes (cli/ does).
"""

from assistant.evaluation.gate import check_gate, judge, raise_baseline
from assistant.evaluation.pipeline import run
from assistant.evaluation.terminal import print_report

__all__ = ["check_gate", "judge", "print_report", "raise_baseline", "run"]
