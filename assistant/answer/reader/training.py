"""Train the reader's upper layers and head on cached lower-layer states (scripts/train_reader.py).

The frozen lower layers run once per distinct question and sentence (cached on disk, fp16); each
step then runs only the trained upper layers over [question ; sentence] pairs. The loss is listwise
with a "none of these" slot of logit 0: for each question, softmax over its sampled sentences and
that slot; the target is the answering sentence(s), or the slot when the text does not answer.
So a sentence's sigmoid(logit) is P(it answers rather than nothing does).

Does not: ship or load the model at run time (model.py).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from assistant.store.e5.network import E5Encoder, EncoderLayer
from assistant.store.e5.packed import PackedE5
from assistant.store.e5.tokenizer import UnigramTokenizer

from .datasets import Item
from .encoder import UpperReader
from .model import ReaderConfig, pad_pairs


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 20
    squad_train_questions: int = 1200
    negatives_per_question: int = 5  # besides positives and distractors, for SweQUAD texts
    squad_candidates: int = 5
    pairs_per_step: int = 32
    epochs: float = 0.6
    lr_layers: float = 1e-4
    lr_head: float = 5e-3
    warmup_steps: int = 40
    weight_decay: float = 0.01
    eval_every: int = 100


class LowerCache:
    """question/sentence text -> the frozen lower layers' states (fp16), computed once."""

    def __init__(self, config: ReaderConfig, path: Path | None) -> None:
        self.config = config
        self.path = path
        self.tokenizer = UnigramTokenizer(PackedE5().vocabulary)
        self.states: dict[str, torch.Tensor] = {}
        if path and path.exists():
            self.states = torch.load(path)

    def ids(self, text: str, is_question: bool) -> list[int]:
        return self.config.token_ids(self.tokenizer, text, is_question)

    def fill(self, texts: Sequence[tuple[str, bool]], log: Iterator[None] | None = None) -> None:
        keys = {self.config.key(t, q): (t, q) for t, q in texts}
        todo = [(k, self.ids(t, q)) for k, (t, q) in keys.items() if k not in self.states]
        if not todo:
            return
        lower = E5Encoder(PackedE5(), self.config.lower_layers)
        todo.sort(key=lambda kv: len(kv[1]))
        started = time.time()
        budget = 2048  # tokens per forward
        i = 0
        while i < len(todo):
            width = len(todo[min(len(todo) - 1, i + 1)][1])
            n = max(1, min(128, budget // max(width, 1)))
            chunk = todo[i : i + n]
            width = max(len(ids) for _, ids in chunk)
            ids = torch.full((len(chunk), width), 1, dtype=torch.long)
            valid = torch.zeros((len(chunk), width), dtype=torch.bool)
            for r, (_, tok) in enumerate(chunk):
                ids[r, : len(tok)] = torch.tensor(tok)
                valid[r, : len(tok)] = True
            hidden = lower(ids, valid).to(torch.float16)
            for r, (key, tok) in enumerate(chunk):
                self.states[key] = hidden[r, : len(tok)].clone()
            i += n
            if (i // n) % 20 == 0:
                print(f"lower cache {i}/{len(todo)} ({time.time() - started:.0f}s)", flush=True)
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(self.states, self.path)

    def get(self, text: str, is_question: bool) -> torch.Tensor:
        return self.states[self.config.key(text, is_question)]


def pair_batch(
    questions: Sequence[torch.Tensor], sentences: Sequence[torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Lower states of each question followed by its sentence's, padded -> (x [B,T,H], valid,
    question-word mask, sentence-word mask): model.pad_pairs, the runtime's own, on tensors. The
    states keep their dtype (fp16 -> fp32 -> fp16 is exact)."""
    x, valid, qmask, smask = pad_pairs(
        [q.detach().cpu().numpy() for q in questions],
        [s.detach().cpu().numpy() for s in sentences],
    )
    return (
        torch.from_numpy(x).to(questions[0].dtype),
        torch.from_numpy(valid),
        torch.from_numpy(qmask),
        torch.from_numpy(smask),
    )


def _texts(items: Sequence[Item]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for item in items:
        out.append((item.question, True))
        out.extend((s, False) for s in item.sentences)
    return out


def _sample(item: Item, rng: random.Random, cfg: TrainConfig, squad: bool) -> list[int]:
    n = len(item.sentences)
    if squad:
        keep = list(item.positives)
        rest = [i for i in range(n) if i not in item.positives]
        rng.shuffle(rest)
        return keep + rest[: max(0, cfg.squad_candidates - len(keep))]
    keep = list(item.positives | item.distractors)
    rest = [i for i in range(n) if i not in item.positives and i not in item.distractors]
    rng.shuffle(rest)
    return keep + rest[: cfg.negatives_per_question]


def _loss(logits: torch.Tensor, groups: list[tuple[int, int, list[bool]]]) -> torch.Tensor:
    losses = []
    for start, end, positive in groups:
        z = torch.cat([logits.new_zeros(1), logits[start:end]])
        if any(positive):
            mask = torch.tensor([False, *positive])
            target = torch.logsumexp(z[mask], 0)
        else:
            target = z[0]
        losses.append(torch.logsumexp(z, 0) - target)
    return torch.stack(losses).mean()


@torch.inference_mode()
def score_items(
    upper: UpperReader, cache: LowerCache, items: Sequence[Item], batch_pairs: int = 64
) -> list[np.ndarray]:
    """Each item's sentence logits."""
    upper.eval()
    out: list[np.ndarray] = []
    for item in items:
        q = cache.get(item.question, True)
        logits = []
        for a in range(0, len(item.sentences), batch_pairs):
            sents = [cache.get(s, False) for s in item.sentences[a : a + batch_pairs]]
            x, valid, qmask, smask = pair_batch([q] * len(sents), sents)
            logits.append(upper(x.float(), valid, qmask, smask).numpy())
        out.append(np.concatenate(logits) if logits else np.zeros(0))
    return out


def metrics(items: Sequence[Item], logits: Sequence[np.ndarray]) -> dict[str, float]:
    """top-1 on answerable items; for unanswerable ones, the share rejected (P(none) >= 0.5, i.e.
    no sentence's softmax share beats the none slot's) and best-sentence sigmoid below 0.5."""
    hits, answerable, rejected, unanswerable, false_reject = 0, 0, 0, 0, 0
    for item, z in zip(items, logits, strict=True):
        p_none = 1.0 / (1.0 + float(np.exp(z).sum())) if len(z) else 1.0
        if item.positives:
            answerable += 1
            hits += int(int(np.argmax(z)) in item.positives)
            false_reject += int(p_none >= 0.5)
        else:
            unanswerable += 1
            rejected += int(p_none >= 0.5)
    out = {"questions": float(len(items))}
    if answerable:
        out["top1"] = hits / answerable
        out["answerable_rejected"] = false_reject / answerable
    if unanswerable:
        out["unanswerable_rejected"] = rejected / unanswerable
    return out


def train(
    config: ReaderConfig,
    cfg: TrainConfig,
    train_sets: dict[str, list[Item]],
    eval_sets: dict[str, list[Item]],
    cache_path: Path,
    checkpoint: Path,
) -> tuple[UpperReader, dict[str, dict[str, float]], list[dict[str, float]]]:
    """Train and return the upper reader, its final metrics per eval set and the loss log."""
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    cache = LowerCache(config, cache_path)
    every = [i for items in (*train_sets.values(), *eval_sets.values()) for i in items]
    cache.fill(_texts(every))

    packed = PackedE5()
    hd = packed.header
    upper = UpperReader(hd.hidden, hd.heads, hd.ffn, hd.eps, config.upper_layers)
    for i, layer in enumerate(upper.layers):
        assert isinstance(layer, EncoderLayer)
        layer.load_packed(packed, config.lower_layers + i)
    params = [
        {"params": upper.layers.parameters(), "lr": cfg.lr_layers},
        {"params": upper.head.parameters(), "lr": cfg.lr_head},
    ]
    opt = torch.optim.AdamW(params, weight_decay=cfg.weight_decay)

    pool = [(item, name == "squad") for name, items in train_sets.items() for item in items]
    per_epoch = (
        sum(len(_sample(item, random.Random(0), cfg, squad)) for item, squad in pool)
        / cfg.pairs_per_step
    )
    total = max(1, int(per_epoch * cfg.epochs))
    base = [g["lr"] for g in opt.param_groups]
    log: list[dict[str, float]] = []
    step, started = 0, time.time()
    while step < total:
        rng.shuffle(pool)
        # bucket by length: sort chunks of the shuffled pool so padded widths stay close
        for c in range(0, len(pool), 256):
            pool[c : c + 256] = sorted(pool[c : c + 256], key=lambda p: len(p[0].question))
        batch: list[tuple[Item, list[int]]] = []
        n_pairs = 0
        for item, squad in pool:
            picked = _sample(item, rng, cfg, squad)
            batch.append((item, picked))
            n_pairs += len(picked)
            if n_pairs < cfg.pairs_per_step:
                continue
            upper.train()
            qs: list[torch.Tensor] = []
            ss: list[torch.Tensor] = []
            groups: list[tuple[int, int, list[bool]]] = []
            for it, idx in batch:
                start = len(ss)
                q = cache.get(it.question, True)
                for j in idx:
                    qs.append(q)
                    ss.append(cache.get(it.sentences[j], False))
                groups.append((start, len(ss), [j in it.positives for j in idx]))
            x, valid, qmask, smask = pair_batch(qs, ss)
            loss = _loss(upper(x.float(), valid, qmask, smask), groups)
            warm = min(1.0, (step + 1) / cfg.warmup_steps)
            decay = max(0.0, 1.0 - step / total)
            for g, lr in zip(opt.param_groups, base, strict=True):
                g["lr"] = lr * warm * decay
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(upper.parameters(), 1.0)
            opt.step()
            step += 1
            log.append({"step": step, "loss": loss.item(), "seconds": time.time() - started})
            if step % 10 == 0:
                recent = sum(e["loss"] for e in log[-10:]) / 10
                print(
                    f"step {step}/{total} loss {recent:.4f} {time.time() - started:.0f}s",
                    flush=True,
                )
            if step % cfg.eval_every == 0 or step == total:
                torch.save(upper.state_dict(), checkpoint)
                if "swequad_dev" in eval_sets and step == total:
                    dev = eval_sets["swequad_dev"]
                    print("dev", metrics(dev, score_items(upper, cache, dev)), flush=True)
            batch, n_pairs = [], 0
            if step >= total:
                break
    results = {
        name: metrics(items, score_items(upper, cache, items)) for name, items in eval_sets.items()
    }
    return upper, results, log


def describe(cfg: TrainConfig) -> dict[str, float]:
    return {k: float(v) for k, v in asdict(cfg).items()}
