"""The fixed train/test split of every evaluation set: by a hash of the case id, so it never moves
when cases are added or reordered. Weights and thresholds are fitted on train only.

Does not: read cases or decide which sets exist (gold.py).
"""

from __future__ import annotations

import hashlib

TRAIN_SHARE = 0.6


def in_train(case_id: str) -> bool:
    """Whether a case is in the training split: the first byte of sha1(id) below 0.6 × 256.

    Example: in_train("vb-001") is the same on every machine and in every run.
    """
    return hashlib.sha1(case_id.encode("utf-8")).digest()[0] < TRAIN_SHARE * 256


def split_name(case_id: str) -> str:
    """Example: split_name("dev-001") -> "train" or "test", fixed by the id."""
    return "train" if in_train(case_id) else "test"
