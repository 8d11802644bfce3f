"""The learned evidence scorer: a logistic regression over the features of features.py, with the
abstention threshold chosen on the same training split. Weights live in data/scorer.json, written
by scripts/fit_scorer.py (see there for the split and what it was fitted on).

Does not: compute features (features.py) or fit anything at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from assistant.answer.features import FEATURES
from assistant.errors import ConfigError


@dataclass(frozen=True)
class EvidenceScorer:
    """Example: EvidenceScorer.bundled().probability(matrix) -> array of P(span answers), 0..1."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # below this best probability the assistant abstains
    extra_ratio: float  # a further claim needs at least this share of the best claim's probability

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0)
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def from_json(cls, data: dict[str, object]) -> EvidenceScorer:
        names = tuple(data["features"])  # type: ignore[arg-type,var-annotated]
        if names != FEATURES:
            raise ConfigError(
                "scorer.json was fitted on other features than features.py computes: "
                "run `python scripts/fit_scorer.py` to refit it"
            )
        return cls(
            np.array(data["mean"], dtype=np.float64),
            np.array(data["scale"], dtype=np.float64),
            np.array(data["coef"], dtype=np.float64),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
            float(data["extra_ratio"]),  # type: ignore[arg-type]
        )

    @classmethod
    @cache
    def bundled(cls) -> EvidenceScorer:
        raw = resources.files("assistant.answer").joinpath("data/scorer.json").read_text("utf-8")
        return cls.from_json(json.loads(raw))
