"""The learned evidence scorer: two logistic regressions fitted on the training split by
scripts/fit_scorer.py (see there for the split and the data), read from data/scorer.json.

- the span model: P(a span answers the question) from the features of features.py;
- the abstention model: P(the best span is a right answer) from QUESTION_FEATURES.
Both are fitted twice: with the reader's P (assistant/answer/reader/; off by default, the
evaluation's "with the reader model" variant) and without it. The assistant abstains when the P named by ``abstain_on`` (the abstention model's, or simply the
best span's, whichever decided more training questions right) is below ``answer_threshold``.

Does not: compute features (features.py) or fit anything at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from assistant.answer.features import FEATURES, QUESTION_FEATURES
from assistant.errors import ConfigError

PROBABILITY_DECIMALS = 6  # a probability's decimals that may order spans


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic regression on standardised features. Example: model.probability(X) -> P"""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0)
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        # subtle: rounded so that float noise (another CPU's BLAS) cannot reorder a near-tie; the
        # selectors' stable sorts then keep candidate order
        return np.round(1.0 / (1.0 + np.exp(-z)), PROBABILITY_DECIMALS)

    @classmethod
    def from_json(cls, data: dict[str, Any], names: tuple[str, ...]) -> Logistic:
        if tuple(data["features"]) != names:
            raise ConfigError(
                "assistant/answer/data/scorer.json was fitted on other features than features.py "
                "computes: run `python scripts/fit_scorer.py` to refit it"
            )
        mean, scale, coef = (np.array(data[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
        return cls(mean, scale, coef, float(data["intercept"]))


@dataclass(frozen=True)
class EvidenceScorer:
    """Example: EvidenceScorer.bundled().span.probability(matrix) -> P(span answers), 0..1."""

    span: Logistic
    question: Logistic
    abstain_on: str  # "question": the abstention model's P; "span": the best span's P
    answer_threshold: float  # abstain when that P is below this
    span_floor: float  # a part's or a further claim's span needs at least this P
    extra_ratio: float  # a further claim needs at least this share of the best claim's P

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceScorer:
        return cls(
            Logistic.from_json(data["span"], FEATURES),
            Logistic.from_json(data["question"], QUESTION_FEATURES),
            str(data.get("abstain_on", "question")),
            float(data["answer_threshold"]),
            float(data["span_floor"]),
            float(data["extra_ratio"]),
        )

    @classmethod
    @cache
    def bundled(cls, reader: bool = False) -> EvidenceScorer:
        """The fitted scorer; ``reader=False`` (the default answerer): the one fitted with the
        reader's columns at 0; ``reader=True``: the one fitted with the reader's P."""
        raw = resources.files("assistant.answer").joinpath("data/scorer.json").read_text("utf-8")
        data = json.loads(raw)
        if not reader:
            if "without_reader" not in data:
                raise ConfigError(
                    "assistant/answer/data/scorer.json has no scorer fitted without the reader: "
                    "run `python scripts/fit_scorer.py` to refit it"
                )
            data = data["without_reader"]
        return cls.from_json(data)
