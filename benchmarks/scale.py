"""Scale benchmark: generated municipal corpora of ~50 / 500 / 3,000 documents (scalecorpus.py).

Run: nice -n 10 python benchmarks/scale.py --sizes 50,500   (then 3000 alone: it takes long)
Writes benchmarks/results-scale.json (sizes already there and not re-run are kept) and prints it.

Per size: ingest from nothing (wall, CPU, pages/s, peak RSS), no-change re-ingest, one file
changed, warm ask p50/p95 over the planted questions, cold `assistant ask` (a new process),
index size on disk, planted-fact hit@1 (the first citation is the kommun's file and the answer
holds the fact) and clean (no citation from another kommun's file), and the naive LlamaIndex
baseline on the same corpus (up to --baseline-max documents: it embeds everything again).
Each measured step runs in its own process so its CPU time and peak RSS are its own.
Targets (issue #11): 500 docs ingest <= 5 min, no-change <= 5 s, one changed <= 15 s;
3,000 docs ingest <= 30 min, warm p95 <= 300 ms, cold ask <= 3 s, RSS <= 1.5 GB;
hit@1 >= 0.99 and clean >= 0.98. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scalecorpus import Planted, generate, pages  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results-scale.json"


def _self_usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}


def child(step: str, work: Path) -> dict:
    """One measured step, run in a fresh process (``--child STEP WORK``)."""
    from assistant.config import Settings

    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index")
    planted = [Planted(**p) for p in json.loads((work / "planted.json").read_text())]
    started = time.perf_counter()
    out: dict = {}
    if step == "ingest":
        from assistant.service import Assistant

        summary = Assistant(settings).ingest()  # as `assistant ingest`: the BM25 index included
        out = {"changed": summary.changed, "chunks": summary.chunks, "dupes": summary.duplicates}
    elif step == "warm":
        from assistant.service import Assistant

        assistant = Assistant(settings)
        assistant.ask(planted[0].question)  # loads index and model: that is the cold part
        times, answers = [], []
        for p in planted:
            t0 = time.perf_counter()
            answers.append(assistant.ask(p.question))
            times.append((time.perf_counter() - t0) * 1000)
        out = {**_percentiles(times), **_score(planted, [_cited(a) for a in answers], answers)}
    elif step == "baseline":
        from assistant.evaluation.baseline import NaiveLlamaIndexBaseline
        from assistant.store.embeddings import load_embedder

        base = NaiveLlamaIndexBaseline(settings.corpus_dir, load_embedder(settings.embedding_model))
        out["build_s"] = round(time.perf_counter() - started, 1)
        answers = [base.ask(p.question) for p in planted]
        out.update(_score(planted, [_cited(a) for a in answers], answers))
    out["wall_s"] = round(time.perf_counter() - started, 2)
    return {**out, **{k: round(v, 1) for k, v in _self_usage().items()}}


def _cited(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.document for c in answer.citations]


def _score(planted: list[Planted], cited: list[list[str]], answers: list) -> dict:
    hits = clean = 0
    misses: list[str] = []
    for p, docs, answer in zip(planted, cited, answers, strict=True):
        texts = answer.answer + " ".join(c.quote for c in answer.citations[:1])
        hit = bool(docs) and docs[0] == p.document and p.fact in texts
        hits += hit
        clean += all(d.startswith(p.slug + "-") for d in docs)
        if not hit and len(misses) < 5:
            misses.append(f"{p.question} -> {answer.answer[:120]!r} {docs[:2]}")
    n = max(len(planted), 1)
    return {
        "hit_at_1": round(hits / n, 3),
        "clean": round(clean / n, 3),
        "questions": len(planted),
        "first_misses": misses,
    }


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {
        "warm_ask_p50_ms": round(statistics.median(ordered), 1),
        "warm_ask_p95_ms": round(p95, 1),
    }


def _run_child(step: str, work: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", step, str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_ask(work: Path, question: str) -> dict[str, float]:
    """A new `assistant ask` process, three times: min wall and CPU time, and its peak RSS."""
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(work / "corpus"),
        "ASSISTANT_INDEX_DIR": str(work / "index"),
    }
    walls, cpus, rss = [], [], 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "assistant", "ask", question],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak RSS
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise subprocess.CalledProcessError(child.returncode, child.args)
        walls.append(time.perf_counter() - t0)
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss / 1024)
    return {
        "cold_ask_wall_s": round(min(walls), 2),
        "cold_ask_cpu_s": round(min(cpus), 2),
        "cold_ask_peak_rss_mib": round(rss, 1),
    }


def _size_mib(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def measure(
    documents: int,
    baseline_max: int,
    save: Callable[[dict], None],
    keep: Path | None = None,
    sections: int = 0,
) -> dict:
    """All steps for one size; ``save`` gets the row after each step, so a run stopped midway
    still leaves what it measured. With ``keep``, corpus and index stay in keep/scale-N."""
    if keep:
        work = keep / (f"scale-{documents}" + (f"x{sections}" if sections else ""))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix=f"scale-{documents}-"))
    row: dict = {}
    try:
        planted = generate(work / "corpus", documents, sections)
        (work / "planted.json").write_text(json.dumps([p.__dict__ for p in planted]))
        files = sorted((work / "corpus").glob("*.txt"))
        row.update(documents=len(files), pages=round(pages(work / "corpus"), 1), complete=False)
        row["sections_added"] = sections
        first = _run_child("ingest", work)
        row["chunks"], row["duplicates"] = first["chunks"], first["dupes"]
        row["ingest"] = {k: first[k] for k in ("wall_s", "cpu_s", "peak_rss_mib")}
        row["ingest"]["pages_per_s"] = round(row["pages"] / max(first["wall_s"], 1e-9), 2)
        save(row)
        row["reingest_no_change"] = _pick(_run_child("ingest", work))
        changed = work / "corpus" / planted[-1].document
        changed.write_text(changed.read_text(encoding="utf-8") + "\nTillägg: ändrad.\n")
        row["reingest_one_changed"] = _pick(_run_child("ingest", work))
        row["index_mib"] = _size_mib(work / "index")
        save(row)
        row["cold_ask"] = cold_ask(work, planted[0].question)
        row["warm"] = _run_child("warm", work)
        save(row)
        if documents <= baseline_max:
            row["baseline"] = _run_child("baseline", work)
        else:
            row["baseline"] = f"not run: over --baseline-max {baseline_max} documents"
        row["complete"] = True
        save(row)
        return row
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def lexical_lookups(terms: int = 100_000) -> dict[str, float]:
    """Compound and one-typo look-ups of a six-word question against a made-up vocabulary of
    ``terms`` words (the vocabulary index, not a scan of it)."""
    import random

    import numpy as np

    from assistant.search.bm25 import LexicalIndex

    rng = random.Random(3)
    letters = "abdefghijklmnoprstuvåäö"
    vocabulary = list(
        dict.fromkeys(
            "".join(rng.choice(letters) for _ in range(rng.randint(4, 16))) for _ in range(terms)
        )
    )
    chunks = 5000
    index = LexicalIndex(
        [f"c{n}" for n in range(chunks)],
        vocabulary,
        np.arange(len(vocabulary) + 1, dtype=np.int64),
        np.arange(len(vocabulary), dtype=np.int32) % chunks,
        np.ones(len(vocabulary), dtype=np.float32),
        np.full(chunks, 50, dtype=np.float32),
    )
    words = ["kompetens", "försörjning", "valfardsstrategin", "strategin", "bottnar", "samverkan"]
    started = time.perf_counter()
    for _ in range(20):
        index.scores(index.expand(index.in_corpus_words(words)))
    per_question = (time.perf_counter() - started) / 20 * 1000
    return {"vocabulary": len(vocabulary), "ms_per_question": round(per_question, 2)}


def _pick(step: dict) -> dict:
    return {k: step[k] for k in ("wall_s", "cpu_s", "peak_rss_mib", "changed")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500", help="comma-separated document counts")
    parser.add_argument("--baseline-max", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep each size's corpus and index here")
    parser.add_argument(
        "--sections", type=int, default=0, help="sections added to every file (longer files)"
    )
    parser.add_argument("--lexical-only", action="store_true", help="only the look-up timing")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results["lexical_lookups_100k_terms"] = lexical_lookups()
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    if args.lexical_only:
        print(json.dumps(results["lexical_lookups_100k_terms"]))
        return
    sizes = results.setdefault("sizes", {})
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    for size in (int(s) for s in args.sizes.split(",")):
        head = {"date": time.strftime("%Y-%m-%d %H:%M"), "commit": commit}

        key = f"{size}" + (f"+{args.sections}sections" if args.sections else "")

        def save(row: dict, key: str = key, head: dict = head) -> None:
            sizes[key] = {**head, **row}
            RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")

        measure(size, args.baseline_max, save, args.keep, args.sections)
        print(json.dumps({key: sizes[key]}, ensure_ascii=False, indent=1), flush=True)


if __name__ == "__main__":
    main()
