"""Per-file ingest cost beyond embedding (issue #24, case 6): ingest of N one-line files from
nothing with the embedding model's call answered by a constant vector, so what is timed is our
own per-file work (reading, parsing, metadata, stored texts) plus Chroma's. CPU time is reported
beside wall time because neighbours on a shared machine move wall time by 50 % or more.

The model call is replaced only here, to isolate what is not embedding; the real end-to-end
number (embedding included) is `python benchmarks/hostile.py --files 500`.

Run: python benchmarks/ingest_overhead.py [--files 2000] [--repeat 2] [--code DIR ...]
     (each --code is a checkout, e.g. `git archive 8b40305 | tar -x -C /tmp/old`; default: this
     one; writes benchmarks/results_ingest_overhead.json)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results_ingest_overhead.json"

_RUN = """
import json, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np
from assistant.config import Settings
from assistant.ingest.pipeline import ingest_corpus
import assistant.store.embeddings as embeddings

count = int(sys.argv[1])
root = Path(tempfile.mkdtemp(prefix="overhead-"))
corpus = root / "corpus"
corpus.mkdir()
for n in range(count):
    (corpus / f"fil-{n:05d}.txt").write_text(
        f"Kommun nummer {n} beslutade om plan {n * 7} för välfärd år {2000 + n % 30}.\\n",
        encoding="utf-8",
    )
settings = Settings(corpus_dir=corpus, index_dir=root / "index")
model = embeddings.load_embedder(settings.embedding_model)
dim = len(model.embed_passages(["x"])[0])
type(model).embed_passages = lambda self, texts: np.full((len(texts), dim), 0.1, np.float32)
import chromadb  # noqa: F401  (its import is not per-file work)
import assistant.ingest.pipeline as pipeline
fill = getattr(pipeline, "fill_vectors", lambda settings: 0)  # since issue #22 a step of its own
wall, cpu = time.perf_counter(), time.process_time()
ingest_corpus(settings)
fill(settings)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
shutil.rmtree(root, ignore_errors=True)
print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                  "wall_ms_per_file": round(1000 * wall / count, 2),
                  "cpu_ms_per_file": round(1000 * cpu / count, 2)}))
"""


def measure(code: Path, count: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(count)],
        capture_output=True,
        text=True,
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        timeout=1800,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--code", type=Path, nargs="*", default=[ROOT])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = []
    for round_ in range(args.repeat):  # interleaved, so a busy spell hits every checkout alike
        for code in args.code:
            row = {"code": str(code.resolve()), "round": round_ + 1, "files": args.files}
            row |= measure(code.resolve(), args.files)
            row["load_average"] = round(os.getloadavg()[0], 2)
            rows.append(row)
            print(json.dumps(row), flush=True)
    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "rows": rows}
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
