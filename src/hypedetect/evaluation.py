"""Metrics for hype scores (scikit-learn based) and the two baselines.

Every metric here is computed by scikit-learn or SciPy; expected calibration error
uses scikit-learn's binning (``calibration_curve``) weighted by bin counts.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

logger = logging.getLogger(__name__)

LABELS3 = ("nuance", "mixed", "hype")


def expected_calibration_error(y_true: Sequence[int], prob: Sequence[float], n_bins: int = 10) -> float:
    """ECE with equal-width bins: sum over bins of |accuracy − confidence| weighted by bin share."""
    from sklearn.calibration import calibration_curve

    y, p = np.asarray(y_true), np.asarray(prob, dtype=np.float64)
    if len(y) == 0:
        return float("nan")
    frac_pos, mean_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(bins[1:-1], p), minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(np.abs(frac_pos - mean_pred) * counts / counts.sum()))


def core_metrics(
    *,
    hype: Sequence[float],
    label: Sequence[str],
    gold_label: Sequence[str],
    level: Optional[Sequence[float]] = None,
    gold_level: Optional[Sequence[int]] = None,
) -> Dict[str, float]:
    """ROC-AUC, PR-AUC, Brier and ECE (hype vs nuance, mixed excluded), accuracy and macro-F1
    (3-class), and Spearman against gold levels when both are given."""
    from scipy.stats import spearmanr
    from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, f1_score,
                                 roc_auc_score)

    gold_label = list(gold_label)
    binary = [i for i, g in enumerate(gold_label) if g in ("hype", "nuance")]
    y = np.array([gold_label[i] == "hype" for i in binary], dtype=int)
    p = np.array([hype[i] for i in binary], dtype=np.float64)
    out: Dict[str, float] = {"n": float(len(gold_label)), "n_binary": float(len(binary))}
    if len(set(y)) == 2:
        out["roc_auc"] = float(roc_auc_score(y, p))
        out["pr_auc"] = float(average_precision_score(y, p))
        out["brier"] = float(brier_score_loss(y, p))
        out["ece"] = expected_calibration_error(y, p)
    out["accuracy"] = float(accuracy_score(gold_label, list(label)))
    out["macro_f1"] = float(f1_score(gold_label, list(label), labels=list(LABELS3), average="macro", zero_division=0))
    if level is not None and gold_level is not None:
        out["spearman"] = float(spearmanr(level, gold_level).statistic)
    return out


def label_from_level(level: Sequence[float]) -> List[str]:
    """3-class label from a continuous level (nuance < 1.5 ≤ mixed < 2.5 ≤ hype)."""
    return ["nuance" if x < 1.5 else "mixed" if x < 2.5 else "hype" for x in level]


@dataclass
class TfidfBaseline:
    """TF-IDF (word 1–2 grams) + logistic regression over the five levels."""

    pipeline: Any = None

    def fit(self, texts: Sequence[str], levels: Sequence[int]) -> "TfidfBaseline":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.pipeline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(C=10.0, max_iter=2000),
        )
        self.pipeline.fit(list(texts), list(levels))
        return self

    def predict(self, texts: Sequence[str]) -> Dict[str, Any]:
        return _from_level_probs(self.pipeline.predict_proba(list(texts)), self.pipeline.classes_)


FEATURE_LABELS = ("PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT", "METHODOLOGY")
FEATURE_STANCES = ("asserted", "negated", "reported")


def span_features(docs: Sequence[Any]) -> np.ndarray:
    """Per-doc counts of tagger spans by (label, stance), per 100 words, plus log length."""
    rows = []
    for doc in docs:
        words = max(1, sum(not t.is_punct and not t.is_space for t in doc))
        counts = {(lab, st): 0 for lab in FEATURE_LABELS for st in FEATURE_STANCES}
        for span in doc.spans.get("hype", []):
            counts[(span.label_, span._.stance)] += 1
        rows.append([100.0 * counts[k] / words for k in sorted(counts)] + [np.log(words)])
    return np.asarray(rows)


@dataclass
class LexiconBaseline:
    """Logistic regression over the tagger's span counts (a lexicon score learned on train)."""

    nlp: Any
    model: Any = None
    classes: Any = None

    def _features(self, texts: Sequence[str]) -> np.ndarray:
        return span_features(list(self.nlp.pipe(texts, batch_size=64)))

    def fit(self, texts: Sequence[str], levels: Sequence[int]) -> "LexiconBaseline":
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        self.model.fit(self._features(texts), list(levels))
        return self

    def predict(self, texts: Sequence[str]) -> Dict[str, Any]:
        return _from_level_probs(self.model.predict_proba(self._features(texts)), self.model.classes_)


def _from_level_probs(probs: np.ndarray, classes: Sequence[int]) -> Dict[str, Any]:
    full = np.zeros((len(probs), 5))
    for j, c in enumerate(classes):
        full[:, int(c)] = probs[:, j]
    p_nuance, p_hype = full[:, 0] + full[:, 1], full[:, 3] + full[:, 4]
    three = np.stack([p_nuance, full[:, 2], p_hype], axis=1)
    return {
        "hype": p_hype / np.clip(p_hype + p_nuance, 1e-9, None),
        "level": full @ np.arange(5),
        "label": [LABELS3[i] for i in np.argmax(three, axis=1)],
    }


@dataclass
class SystemResult:
    """Scores of one system on one corpus split."""

    name: str
    metrics: Dict[str, float] = field(default_factory=dict)
