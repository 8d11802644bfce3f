"""The models the scorer's fit chooses among, on plain arrays: a standardised L2 logistic
regression with C by grouped cross-validation, a listwise (softmax per question) ranker that must
beat it, the abstention rule (a threshold on the best span's P or on a question-level model), and
the span model cross-fitted by question (what fit.py's ``cross_fit`` fits the rest on).

Does not: build examples from the index or label spans (fit.py), or write weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answer.scorer import Logistic

MAX_FALSE_ABSTENTION = 0.08  # the product target (issue #10)
# The abstention rule is chosen on 5-fold cross-validation repeated with this many shuffles: one
# shuffle of 172 questions moves the count by a few questions, about the margin itself.
CV_REPEATS = 5
C_GRID = (0.01, 0.1, 1.0, 10.0)  # L2 strengths of the logistic regressions
LISTWISE_LAMBDAS = (1.0, 10.0, 30.0)
THRESHOLDS = np.round(np.arange(0.01, 0.95, 0.01), 2)


def logistic(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, names: tuple[str, ...]
) -> dict[str, Any]:
    """A standardised L2 logistic regression, C from C_GRID by grouped 5-fold CV (1-SE rule),
    as the JSON block scorer.Logistic reads."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    mean, scale = X.mean(axis=0), X.std(axis=0)
    # subtle: the scale is written rounded to 6 decimals; a column constant but for float noise
    # (std 1e-17) would be written as 0 and divide by zero where the JSON is read. Such a column
    # is constant: scale 1, as for an exactly constant one.
    scale[scale.round(6) == 0] = 1.0
    Z = (X - mean) / scale
    # C by the one-standard-error rule: the strongest regularisation whose cross-validated log
    # loss is within one standard error of the best. The plain best flipped between 0.01 and 0.1
    # when one training question changed, and every answer with it.
    folds = [
        cross_val_score(
            LogisticRegression(C=c, max_iter=2000),
            Z,
            y,
            groups=groups,
            cv=GroupKFold(5),
            scoring="neg_log_loss",
        )
        for c in C_GRID
    ]
    means = [float(f.mean()) for f in folds]
    top = int(np.argmax(means))
    se = float(folds[top].std(ddof=1)) / math.sqrt(len(folds[top]))
    best_c = next(c for c, m in zip(C_GRID, means, strict=True) if m >= means[top] - se)
    model = LogisticRegression(C=best_c, max_iter=2000).fit(Z, y)
    return {
        "features": list(names),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
        "C": best_c,
    }


def softmax_weights(Zs: list[np.ndarray], ys: list[np.ndarray], lam: float) -> np.ndarray:
    """Weights w that rank a question's right spans first: minimise, over the questions with a
    right span, -log(sum of softmax(Z w) over its right spans) + lam * |w|^2 (L-BFGS)."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = lam * float(w @ w), 2 * lam * w
        for Z, y in zip(Zs, ys, strict=True):
            e = np.exp(Z @ w - (Z @ w).max())
            pos = y > 0
            total -= float(np.log(e[pos].sum()) - np.log(e.sum()))
            grad -= (e * pos / e[pos].sum() - e / e.sum()) @ Z
        return total, grad

    start = np.zeros(Zs[0].shape[1])
    return np.asarray(minimize(loss, start, jac=True, method="L-BFGS-B").x)


def top1(scores: list[np.ndarray], labels: list[np.ndarray]) -> float:
    """Share of the questions with a right span whose best-scored span is right.

    Example: top1([array([.9, .1]), array([.2, .8])], [array([1, 0]), array([1, 0])]) -> 0.5
    """
    hits = [bool(y[int(np.argmax(s))]) for s, y in zip(scores, labels, strict=True) if y.any()]
    return sum(hits) / max(len(hits), 1)


Weights = Callable[[list[np.ndarray], list[np.ndarray]], np.ndarray]


def ranking(
    matrices: list[np.ndarray], labels: list[np.ndarray], pointwise: dict[str, Any], listwise: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The span model that puts a right span first most often, by grouped 5-fold cross-validation
    on train: the pointwise logistic regression, or a softmax-per-question (listwise) model
    calibrated to a probability by a logistic fit of its score (Platt), so both have one form.
    The listwise model must earn its place: at least 2 % more questions right."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    mean, scale = np.asarray(pointwise["mean"]), np.asarray(pointwise["scale"])
    Zs = [(matrix - mean) / scale for matrix in matrices]
    ys = labels
    folds = list(GroupKFold(5).split(np.arange(len(Zs)), groups=np.arange(len(Zs))))

    def cv(score_fold: Weights) -> float:
        scores: list[np.ndarray] = [np.zeros(0)] * len(Zs)
        for train_i, test_i in folds:
            w = score_fold([Zs[i] for i in train_i], [ys[i] for i in train_i])
            for i in test_i:
                scores[i] = Zs[i] @ w
        return top1(scores, ys)

    def point_fold(Z: list[np.ndarray], y: list[np.ndarray]) -> np.ndarray:
        model = LogisticRegression(C=float(pointwise["C"]), max_iter=2000)
        return np.asarray(model.fit(np.vstack(Z), np.concatenate(y)).coef_[0])

    def list_fold(lam: float) -> Weights:
        def fold(Z: list[np.ndarray], y: list[np.ndarray]) -> np.ndarray:
            answerable = [(z, t) for z, t in zip(Z, y, strict=True) if t.any()]
            return softmax_weights([z for z, _ in answerable], [t for _, t in answerable], lam)

        return fold

    report: dict[str, Any] = {"pointwise": round(cv(point_fold), 4)}
    for lam in LISTWISE_LAMBDAS:
        report[f"listwise_{lam:g}"] = round(cv(list_fold(lam)), 4)
    best = max((k for k in report if k.startswith("listwise")), key=lambda k: report[k])
    if not listwise or report[best] < report["pointwise"] + 0.02:
        return pointwise, {**report, "chosen": "pointwise"}
    lam = float(best.split("_")[1])
    w = list_fold(lam)(Zs, ys)
    raw = np.concatenate([z @ w for z in Zs])
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(raw[:, None], np.concatenate(ys))
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    model = {
        **pointwise,
        "coef": (a * w).round(6).tolist(),
        "intercept": round(b, 6),
        "C": None,
        "listwise_lambda": lam,
    }
    return model, {**report, "chosen": best}


@dataclass(frozen=True)
class Decisions:
    """Per training question: is its best span a right answer, is it unanswerable."""

    right: np.ndarray  # bool
    unanswerable: np.ndarray  # bool

    def decided(self, p: np.ndarray, t: float, idx: np.ndarray) -> np.ndarray:
        """Per question of ``idx``: answered right, or abstained on an unanswerable one."""
        return (self.right[idx] & (p[idx] >= t)) | (self.unanswerable[idx] & (p[idx] < t))

    def correct(self, p: np.ndarray, t: float, idx: np.ndarray) -> int:
        return int(self.decided(p, t, idx).sum())

    def threshold(self, p: np.ndarray, idx: np.ndarray) -> float:
        """The threshold with the most right decisions (answered right, or abstained on an
        unanswerable question) among those abstaining on at most MAX_FALSE_ABSTENTION of the
        answerable training questions ``idx``.

        Example: right [T, T, F], unanswerable [F, F, T], p [.9, .8, .3] -> 0.31
        """
        answerable = p[idx][~self.unanswerable[idx]]
        grid = [
            float(t)
            for t in THRESHOLDS
            if (answerable < t).sum() / max(len(answerable), 1) <= MAX_FALSE_ABSTENTION
        ]
        return max(grid, key=lambda t: (self.correct(p, t, idx), -t)) if grid else 0.0


def abstention(
    decisions: Decisions, Qm: np.ndarray, question_c: float, p_right: np.ndarray
) -> dict[str, Any]:
    """Abstain on the abstention model's P, or on the best span's P alone: whichever decides more
    questions right in grouped 5-fold cross-validation (model and threshold fitted on four folds,
    counted on the fifth). The abstention model must earn its place: 2 % more questions right,
    and a paired win of at least two standard errors over the questions (a gain of a few
    questions that other shuffles or questions would not repeat goes to the simpler rule)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    n = len(Qm)
    p_best = np.array([float(row[0]) for row in Qm])  # QUESTION_FEATURES[0] is the best span's P
    everyone = np.arange(n)
    cv_span = cv_question = 0
    gain = np.zeros(n)  # per question: (abstention model right) - (span rule right)
    folds = [
        split
        for seed in range(CV_REPEATS)
        for split in KFold(5, shuffle=True, random_state=seed).split(everyone)
    ]
    for fit_i, held_i in folds:
        span_right = decisions.decided(p_best, decisions.threshold(p_best, fit_i), held_i)
        cv_span += int(span_right.sum())
        mean, scale = Qm[fit_i].mean(axis=0), Qm[fit_i].std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=question_c, max_iter=2000)
        model.fit((Qm[fit_i] - mean) / scale, decisions.right[fit_i].astype(float))
        p_fold = model.predict_proba((Qm - mean) / scale)[:, 1]
        question_right = decisions.decided(p_fold, decisions.threshold(p_fold, fit_i), held_i)
        cv_question += int(question_right.sum())
        gain[held_i] += question_right.astype(float) - span_right.astype(float)
    by_span = decisions.threshold(p_best, everyone)
    by_question = decisions.threshold(p_right, everyone)
    right_span = decisions.correct(p_best, by_span, everyone)
    right_question = decisions.correct(p_right, by_question, everyone)
    gain /= CV_REPEATS
    margin = max(1, round(0.02 * n))
    two_se = 2.0 * float(gain.std(ddof=1)) * math.sqrt(len(gain)) if len(gain) > 1 else 0.0
    on_question = float(gain.sum()) >= max(margin, two_se)
    return {
        "abstain_on": "question" if on_question else "span",
        "answer_threshold": by_question if on_question else by_span,
        "train_right_by_span": int(right_span),
        "train_right_by_question_model": int(right_question),
        "cv_right_by_span": round(float(cv_span / CV_REPEATS), 1),
        "cv_right_by_question_model": round(float(cv_question / CV_REPEATS), 1),
        "cv_gain_two_standard_errors": round(two_se, 1),
        "right_at_threshold": int(right_question if on_question else right_span),
    }


CROSS_FOLDS = 5  # folds of the cross-fitted span probabilities (by question)


def cross_fitted(
    matrices: list[np.ndarray], labels: list[np.ndarray], span_json: dict[str, Any]
) -> list[Logistic]:
    """Per training question (its spans' feature rows and labels), the span model fitted as
    ``span_json`` was (its standardisation and C) on the other folds' questions only: its spans
    scored as a new question's would be.

    Example: cross_fitted(matrices, labels, span_json)[i].probability(matrices[i]) -> P, out of fold
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    mean, scale = np.asarray(span_json["mean"]), np.asarray(span_json["scale"])
    models: list[Logistic] = [Logistic(mean, scale, np.zeros(len(mean)), 0.0)] * len(matrices)
    folds = KFold(CROSS_FOLDS, shuffle=True, random_state=0).split(np.arange(len(matrices)))
    for fit_i, held_i in folds:
        rows = [i for i in fit_i if len(labels[i])]
        X = (np.vstack([matrices[i] for i in rows]) - mean) / scale
        y = np.concatenate([labels[i] for i in rows])
        model = LogisticRegression(C=float(span_json["C"]), max_iter=2000).fit(X, y)
        fold = Logistic(mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))
        for i in held_i:
            models[i] = fold
    return models
