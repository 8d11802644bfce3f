"""Store scale-up: the query side of an index with about 50k chunks, without embedding 50k chunks.

Run after `python benchmarks/scale.py --sizes 3000 --keep DIR`:
    python benchmarks/scale_store.py DIR/scale-3000 --copies 4
Writes the "store_x<copies>" entry of benchmarks/results-scale.json and prints it.

How: the kept 3,000-document corpus is copied ``copies`` times into sub-folders (copy1/…, each a
kommun's files again under another folder), every chunk is repeated with the copy's document name
and its own id, and one generation of all of them is written by the store as ingest writes it
(Chroma in batches, chunk table, vectors, manifest) and its BM25 index built as `assistant ingest`
builds it. Copies reuse their original's vectors: nothing is embedded, so this measures what
grows with the chunk count (start-up, search, memory), not ingest, which scale.py measures.

Measured: cold `assistant ask` (a new process, min of 3, wall and CPU, and its peak RSS), warm ask
p50/p95 over the planted questions, index size. Planted-fact hit@1 is not measured here: every
fact now stands in ``copies`` + 1 files. Targets (issue #11, at ~50k chunks): cold ask <= 3 s,
warm p95 <= 300 ms, peak RSS <= 1.5 GB. Not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale import cold_ask  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results-scale.json"


def build(work: Path, copies: int) -> Path:
    """A new work folder beside ``work`` with the corpus ``copies`` + 1 times and its index."""
    from assistant.config import Settings
    from assistant.service import Assistant
    from assistant.store.chroma import IndexStore

    big = work.with_name(f"{work.name}-x{copies + 1}")
    shutil.rmtree(big, ignore_errors=True)
    shutil.copytree(work / "corpus", big / "corpus")
    for k in range(1, copies + 1):
        shutil.copytree(work / "corpus", big / "corpus" / f"copy{k}")
    source = IndexStore(work / "index").load()
    chunks = list(source.chunks)
    for k in range(1, copies + 1):
        chunks += [
            replace(
                c,
                id=f"{c.id}-c{k}",
                document=f"copy{k}/{c.document}",
                duplicate_of=f"{c.duplicate_of}-c{k}" if c.duplicate_of else None,
            )
            for c in source.chunks
        ]
    files = {
        f"copy{k}/{name}" if k else name: entry
        for k in range(copies + 1)
        for name, entry in source.manifest.get("files", {}).items()
    }
    IndexStore(big / "index").write(
        chunks, dict(source.vectors), {**source.manifest, "files": files}
    )
    Assistant(Settings(corpus_dir=big / "corpus", index_dir=big / "index")).retriever  # noqa: B018
    return big


def warm(work: Path, questions: list[str]) -> dict[str, float]:
    from assistant.config import Settings
    from assistant.service import Assistant

    assistant = Assistant(Settings(corpus_dir=work / "corpus", index_dir=work / "index"))
    assistant.ask(questions[0])
    times = []
    for question in questions:
        started = time.perf_counter()
        assistant.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "warm_ask_p50_ms": round(statistics.median(times), 1),
        "warm_ask_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "questions": len(times),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="a size kept by scale.py --keep (scale-3000)")
    parser.add_argument("--copies", type=int, default=3, help="extra copies of the corpus")
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:  # args.work is the built folder here
        source = args.work.with_name(args.work.name.rsplit("-x", 1)[0])
        planted = json.loads((source / "planted.json").read_text())
        print(json.dumps(warm(args.work, [p["question"] for p in planted])))
        return
    planted = json.loads((args.work / "planted.json").read_text())
    started = time.perf_counter()
    big = build(args.work, args.copies)
    from assistant.store.chroma import IndexStore

    snapshot = IndexStore(big / "index").load()
    row = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "from": args.work.name,
        "chunks": len(snapshot.chunks),
        "canonical_chunks": sum(1 for c in snapshot.chunks if c.duplicate_of is None),
        "build_s": round(time.perf_counter() - started, 1),
        "index_mib": round(
            sum(p.stat().st_size for p in (big / "index").rglob("*") if p.is_file()) / 2**20, 1
        ),
    }
    del snapshot
    row["cold_ask"] = cold_ask(big, planted[0]["question"])
    # in a process of its own, so its peak RSS is the asking process's, not this one's
    warm_run = subprocess.run(
        [sys.executable, __file__, str(big), "--warm"], check=True, capture_output=True, text=True
    )
    row["warm"] = json.loads(warm_run.stdout.strip().splitlines()[-1])
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"store_x{args.copies + 1}"] = row
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(row, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
