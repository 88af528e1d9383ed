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

    def predict_docs(self, docs: Sequence[Any]) -> Dict[str, Any]:
        """Predict from docs the tagger already processed (no second tagging pass)."""
        return _from_level_probs(self.model.predict_proba(span_features(docs)), self.model.classes_)

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


SCHEMES = ("levels", "3class", "binary")


class EvaluationError(ValueError):
    """The corpus or its labels cannot be evaluated as asked (message names what was found)."""


def infer_scheme(values: Sequence[Any], positive: Optional[Any] = None) -> str:
    """Infer the label scheme from the gold values: integers 0–4 are levels, nuance/mixed/hype is 3-class,
    two values (booleans, or any two with ``positive``) are binary. Raise when ambiguous."""
    distinct = {v for v in values if v is not None}
    if not distinct:
        raise EvaluationError("the label column has no values")
    if all(isinstance(v, bool) for v in distinct):
        return "binary"
    if all(isinstance(v, (int, np.integer)) for v in distinct) and distinct <= set(range(5)):
        return "levels"
    if all(isinstance(v, str) for v in distinct) and {v.lower() for v in distinct} <= set(LABELS3):
        return "3class" if len(distinct) > 2 or "mixed" in {v.lower() for v in distinct} else "binary"
    if len(distinct) == 2 and positive is not None:
        return "binary"
    raise EvaluationError(
        f"cannot infer the label scheme from values {sorted(map(str, distinct))[:10]}: use --scheme "
        "(levels | 3class | binary) and, for binary, --positive VALUE naming the hype value")


def gold_from_labels(values: Sequence[Any], scheme: str, positive: Optional[Any] = None) -> Dict[str, Any]:
    """Map gold values to ``label3`` (nuance/mixed/hype, or nuance/hype for binary) and ``level`` (or None)."""
    if scheme == "levels":
        bad = sorted({str(v) for v in values if not (isinstance(v, (int, np.integer)) and 0 <= int(v) <= 4)})
        if bad:
            raise EvaluationError(f"levels must be integers 0-4; found {bad[:10]}")
        levels = [int(v) for v in values]
        return {"label3": ["nuance" if v <= 1 else "mixed" if v == 2 else "hype" for v in levels], "level": levels}
    if scheme == "3class":
        bad = sorted({str(v) for v in values if str(v).lower() not in LABELS3})
        if bad:
            raise EvaluationError(f"3-class labels must be nuance, mixed or hype; found {bad[:10]}")
        return {"label3": [str(v).lower() for v in values], "level": None}
    if scheme == "binary":
        distinct = {v for v in values}
        if positive is None:
            positive = True if distinct <= {True, False} else "hype" if "hype" in distinct else None
        if positive is None:
            raise EvaluationError(f"binary labels need --positive naming the hype value; found {sorted(map(str, distinct))[:10]}")
        matches = [v == positive or str(v) == str(positive) for v in values]
        if not any(matches):
            raise EvaluationError(f"--positive {positive!r} matches no label; found {sorted(map(str, distinct))[:10]}")
        if len(distinct) > 2:
            raise EvaluationError(f"binary scheme needs exactly two label values; found {sorted(map(str, distinct))[:10]}")
        return {"label3": ["hype" if m else "nuance" for m in matches], "level": None}
    raise EvaluationError(f"unknown scheme {scheme!r}; use one of {SCHEMES}")


def system_metrics(pred: Dict[str, Any], gold: Dict[str, Any], scheme: str) -> Dict[str, float]:
    """Metrics of one system's predictions for the scheme (binary: labels at P(hype) ≥ 0.5)."""
    label = list(pred["label"])
    if scheme == "binary":
        label = ["hype" if p >= 0.5 else "nuance" for p in pred["hype"]]
    out = core_metrics(hype=pred["hype"], label=label, gold_label=gold["label3"],
                       level=pred.get("level") if gold["level"] is not None else None, gold_level=gold["level"])
    if scheme == "binary":
        from sklearn.metrics import f1_score

        out["macro_f1"] = float(f1_score(gold["label3"], label, labels=["nuance", "hype"], average="macro",
                                         zero_division=0))
    return out


def _take(columns: Dict[str, Any], idx: Sequence[int]) -> Dict[str, Any]:
    """The rows ``idx`` of every column (``None`` columns stay ``None``)."""
    return {k: ([v[i] for i in idx] if v is not None else None) for k, v in columns.items()}


def bootstrap_samples(preds: Dict[str, Dict[str, Any]], gold: Dict[str, Any], scheme: str, *, rounds: int = 1000,
                      seed: int = 0) -> Dict[str, List[Dict[str, float]]]:
    """Every system's metrics on the same ``rounds`` resamples of the passages (one list per system)."""
    rng = np.random.default_rng(seed)
    n = len(gold["label3"])
    samples: Dict[str, List[Dict[str, float]]] = {name: [] for name in preds}
    for _ in range(rounds):
        idx = rng.integers(0, n, n)
        g = _take(gold, idx)
        for name, pred in preds.items():
            samples[name].append(system_metrics(_take(pred, idx), g, scheme))
    return samples


def _intervals(values: Dict[str, List[float]], alpha: float) -> Dict[str, List[float]]:
    return {k: [float(np.quantile(v, alpha / 2)), float(np.quantile(v, 1 - alpha / 2))] for k, v in values.items()}


def _finite(key: str, *values: Optional[float]) -> bool:
    return key not in ("n", "n_binary") and all(v is not None and np.isfinite(v) for v in values)


def sample_intervals(samples: Sequence[Dict[str, float]], alpha: float = 0.05) -> Dict[str, List[float]]:
    """Percentile intervals of one system's bootstrap samples."""
    values: Dict[str, List[float]] = {}
    for metrics in samples:
        for key, value in metrics.items():
            if _finite(key, value):
                values.setdefault(key, []).append(value)
    return _intervals(values, alpha)


def paired_intervals(samples: Dict[str, List[Dict[str, float]]], reference: str,
                     alpha: float = 0.05) -> Dict[str, Dict[str, List[float]]]:
    """Percentile intervals of ``reference`` minus every other system, resample by resample."""
    out = {}
    for name in samples:
        if name == reference:
            continue
        values: Dict[str, List[float]] = {}
        for mine, theirs in zip(samples[reference], samples[name]):
            for key, value in mine.items():
                if _finite(key, value, theirs.get(key)):
                    values.setdefault(key, []).append(value - theirs[key])
        out[name] = _intervals(values, alpha)
    return out


def bootstrap_ci(pred: Dict[str, Any], gold: Dict[str, Any], scheme: str, *, rounds: int = 1000, seed: int = 0,
                 alpha: float = 0.05) -> Dict[str, List[float]]:
    """Percentile bootstrap confidence intervals for every metric (resampling passages)."""
    return sample_intervals(bootstrap_samples({"": pred}, gold, scheme, rounds=rounds, seed=seed)[""], alpha)


def paired_bootstrap(preds: Dict[str, Dict[str, Any]], gold: Dict[str, Any], scheme: str, reference: str, *,
                     rounds: int = 1000, seed: int = 0, alpha: float = 0.05) -> Dict[str, Dict[str, List[float]]]:
    """95% intervals of ``reference`` minus every other system, per metric, on the same resampled passages.

    Pairing removes the passage-sampling noise the systems share, so an interval that excludes 0 means the
    difference is not an accident of which passages the split happens to hold.
    """
    return paired_intervals(bootstrap_samples(preds, gold, scheme, rounds=rounds, seed=seed), reference, alpha)


@dataclass
class SystemReport:
    """One system's figures on the evaluated split."""

    name: str
    metrics: Dict[str, float]
    ci: Dict[str, List[float]]
    confusion: List[List[int]]
    confusion_labels: List[str]
    reliability: Dict[str, List[float]]
    by: Dict[str, Dict[str, Dict[str, float]]] = field(default_factory=dict)
    predictions: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class EvaluationResult:
    """Everything ``evaluate`` measured: systems side by side, span metrics, counts."""

    corpus: str
    split: str
    scheme: str
    n: int
    n_empty: int
    systems: Dict[str, SystemReport]
    spans: Optional[Dict[str, Any]] = None
    paired: Dict[str, Dict[str, List[float]]] = field(default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-safe dict with every figure (predictions excluded)."""
        return {
            "corpus": self.corpus, "split": self.split, "scheme": self.scheme, "n": self.n, "n_empty": self.n_empty,
            "systems": {k: {"metrics": s.metrics, "ci95": s.ci, "confusion": s.confusion,
                            "confusion_labels": s.confusion_labels, "reliability": s.reliability, "by": s.by}
                        for k, s in self.systems.items()},
            "spans": self.spans, "paired_difference_ci95": self.paired,
        }

    def table(self) -> str:
        """A plain-text side-by-side table."""
        keys = [k for k in ("roc_auc", "pr_auc", "accuracy", "macro_f1", "spearman", "brier", "ece")
                if any(k in s.metrics for s in self.systems.values())]
        width = max(len(n) for n in self.systems) + 2
        lines = [f"{self.corpus} [{self.split}] scheme={self.scheme} n={self.n} (empty texts skipped: {self.n_empty})",
                 "system".ljust(width) + "".join(k.rjust(20) for k in keys)]
        for name, s in self.systems.items():
            cells = []
            for k in keys:
                v, ci = s.metrics.get(k), s.ci.get(k)
                cells.append((f"{v:.3f} [{ci[0]:.2f},{ci[1]:.2f}]" if ci else f"{v:.3f}" if v is not None else "-").rjust(20))
            lines.append(name.ljust(width) + "".join(cells))
        reference = next(iter(self.systems), "")
        for name, diffs in self.paired.items():
            lines.append(f"{reference} minus {name}, paired 95% interval: " + ", ".join(
                f"{k} [{diffs[k][0]:+.3f},{diffs[k][1]:+.3f}]" for k in keys if k in diffs))
        if self.spans:
            lines.append("tagger spans (overlap match): " + ", ".join(
                f"{k} F1 {v['f1']:.3f}" for k, v in self.spans["labels"].items())
                + f"; stance accuracy {self.spans['stance_accuracy']:.3f}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """A Markdown report ready for a model card."""
        keys = [k for k in ("roc_auc", "pr_auc", "accuracy", "macro_f1", "spearman", "brier", "ece")
                if any(k in s.metrics for s in self.systems.values())]
        out = [f"**{self.corpus}**, split `{self.split}`, scheme `{self.scheme}`, {self.n} passages "
               f"({self.n_empty} with empty text skipped). 95% bootstrap intervals in brackets.", "",
               "| system | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
        for name, s in self.systems.items():
            out.append(f"| {name} | " + " | ".join(
                (f"{s.metrics[k]:.3f} [{s.ci[k][0]:.3f}, {s.ci[k][1]:.3f}]" if k in s.ci else f"{s.metrics[k]:.3f}")
                if k in s.metrics else "–" for k in keys) + " |")
        reference = next(iter(self.systems), "")
        if self.paired:
            out += ["", f"Paired bootstrap: 95% interval of {reference} minus each system (same resampled passages; "
                    "for brier and ece lower is better, so a negative difference favours "
                    f"{reference}):", "", "| minus | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
            for name, diffs in self.paired.items():
                out.append(f"| {name} | " + " | ".join(
                    f"[{diffs[k][0]:+.3f}, {diffs[k][1]:+.3f}]" if k in diffs else "–" for k in keys) + " |")
        for name, s in self.systems.items():
            for col, groups in s.by.items():
                out += ["", f"{name} by `{col}`:", "", "| value | n | macro_f1 | roc_auc |", "|---|---|---|---|"]
                for value, m in groups.items():
                    out.append(f"| {value} | {int(m['n'])} | {m.get('macro_f1', float('nan')):.3f} | "
                               f"{m.get('roc_auc', float('nan')):.3f} |")
        if self.spans:
            out += ["", "Tagger spans (overlap match):", "", "| label | P | R | F1 |", "|---|---|---|---|"]
            out += [f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |"
                    for k, v in self.spans["labels"].items()]
            out.append(f"\nStance accuracy on matched spans: {self.spans['stance_accuracy']:.3f}")
        return "\n".join(out) + "\n"

    def plots(self, folder: Any) -> List[str]:
        """Write reliability diagrams, confusion matrices and score histograms as PNG; return the paths."""
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as err:
            raise RuntimeError("plots need matplotlib: pip install 'hypedetect[plots]'") from err
        from pathlib import Path

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, s in self.systems.items():
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
            fig, ax = plt.subplots(figsize=(4, 4))
            ax.plot([0, 1], [0, 1], "--", color="grey")
            ax.plot(s.reliability["mean_predicted"], s.reliability["fraction_positive"], "o-")
            ax.set(xlabel="predicted P(hype)", ylabel="observed share hype", title=f"{name}: reliability")
            written.append(str(folder / f"{safe}-reliability.png"))
            fig.savefig(written[-1], dpi=100, bbox_inches="tight")
            plt.close(fig)
            fig, ax = plt.subplots(figsize=(4, 4))
            ax.imshow(np.array(s.confusion), cmap="Blues")
            ax.set(xticks=range(len(s.confusion_labels)), yticks=range(len(s.confusion_labels)),
                   xticklabels=s.confusion_labels, yticklabels=s.confusion_labels, xlabel="predicted", ylabel="gold",
                   title=f"{name}: confusion")
            for i, row in enumerate(s.confusion):
                for j, v in enumerate(row):
                    ax.text(j, i, str(v), ha="center", va="center")
            written.append(str(folder / f"{safe}-confusion.png"))
            fig.savefig(written[-1], dpi=100, bbox_inches="tight")
            plt.close(fig)
            fig, ax = plt.subplots(figsize=(5, 3))
            gold = s.predictions["gold"]
            for cls in sorted(set(gold)):
                ax.hist([p for p, g in zip(s.predictions["hype"], gold) if g == cls], bins=20, range=(0, 1),
                        alpha=0.5, label=cls)
            ax.set(xlabel="P(hype)", ylabel="passages", title=f"{name}: scores by gold class")
            ax.legend()
            written.append(str(folder / f"{safe}-histogram.png"))
            fig.savefig(written[-1], dpi=100, bbox_inches="tight")
            plt.close(fig)
        return written


def _pipeline_predictions(nlp: Any, texts: Sequence[str], progress: Optional[Any]) -> Dict[str, Any]:
    hype, level, label, docs = [], [], [], []
    for doc in nlp.pipe(texts, batch_size=32):
        hype.append(doc._.hype)
        level.append(doc._.hype_level)
        label.append(doc._.hype_label)
        docs.append(doc)
        if progress:
            progress(1)
    return {"hype": hype, "level": level, "label": label, "docs": docs}


def evaluate(
    corpus: Any = "sales-hype",
    *,
    split: str = "test",
    text_col: str = "text",
    label_col: str = "level",
    scheme: Optional[str] = None,
    positive: Optional[Any] = None,
    models: Sequence[Any] = (),
    default_model: bool = True,
    baselines: bool = True,
    by: Sequence[str] = (),
    spans_col: Optional[str] = "spans",
    bootstrap: int = 1000,
    seed: int = 0,
    progress: Optional[Any] = None,
    dtype: str = "auto",
) -> EvaluationResult:
    """Evaluate the shipped model, any model folders and the two baselines on one labeled split.

    ``corpus`` is ``"sales-hype"``, a JSONL/CSV/Parquet file, a ``save_to_disk`` folder, or a hub dataset
    name when online. Rows with an empty text are counted and skipped (reported as ``n_empty``);
    a missing column or an unmappable label raises :class:`EvaluationError` naming what was found.
    ``dtype`` is the inference dtype of every model (``"int8"`` measures the quantized CPU path).
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import confusion_matrix

    from .corpora import load
    from .pipeline import build_pipeline

    dd = _load_any(corpus, load)
    if split not in dd:
        raise EvaluationError(f"split {split!r} not in corpus; found splits {sorted(dd)}")
    table = dd[split]
    missing = [c for c in (text_col, label_col) if c not in table.column_names]
    if missing:
        raise EvaluationError(f"column(s) {missing} not found; found columns {table.column_names}. "
                              "Use --text-col/--label-col.")
    for col in by:
        if col not in table.column_names:
            raise EvaluationError(f"--by column {col!r} not found; found columns {table.column_names}")
    label_feature = table.features[label_col]
    raw_labels = list(table[label_col])
    if hasattr(label_feature, "names") and scheme != "levels":
        raw_labels = [label_feature.names[v] for v in raw_labels]
    texts_all = list(table[text_col])
    keep = [i for i, t in enumerate(texts_all) if isinstance(t, str) and t.strip()]
    n_empty = len(texts_all) - len(keep)
    texts = [texts_all[i] for i in keep]
    values = [raw_labels[i] for i in keep]
    scheme = scheme or infer_scheme(values, positive)
    gold = gold_from_labels(values, scheme, positive)
    systems_pred: Dict[str, Dict[str, Any]] = {}
    tagger_docs = None
    named = [("hype-minilm", None)] if default_model else []
    named += [(str(m), m) for m in models]
    for name, path in named:
        nlp = build_pipeline(classifier=True, model=path, dtype=dtype)
        nlp.get_pipe("hypedetect_classifier").sentence_scores = False
        pred = _pipeline_predictions(nlp, texts, progress)
        tagger_docs = tagger_docs or pred.pop("docs")
        pred.pop("docs", None)
        systems_pred[name] = pred
    if baselines:
        train = _baseline_train(dd, split, text_col, label_col, load)
        tagger = build_pipeline()
        for name, system in (("tfidf_logreg", TfidfBaseline()), ("lexicon_spans", LexiconBaseline(tagger))):
            system.fit(train["text"], train["level"])
            if isinstance(system, LexiconBaseline):
                tagger_docs = tagger_docs or list(tagger.pipe(texts, batch_size=64))
                systems_pred[name] = system.predict_docs(tagger_docs)
            else:
                systems_pred[name] = system.predict(texts)
    by_values = {col: [column[i] for i in keep] for col in by for column in [list(table[col])]}
    systems: Dict[str, SystemReport] = {}
    cm_labels = ["nuance", "hype"] if scheme == "binary" else list(LABELS3)
    # One set of resamples serves every system's intervals and the paired differences.
    samples = bootstrap_samples(systems_pred, gold, scheme, rounds=bootstrap, seed=seed) if bootstrap else {}
    for name, pred in systems_pred.items():
        metrics = system_metrics(pred, gold, scheme)
        labels = (["hype" if p >= 0.5 else "nuance" for p in pred["hype"]] if scheme == "binary" else pred["label"])
        binary = [i for i, g in enumerate(gold["label3"]) if g != "mixed"]
        yb = [int(gold["label3"][i] == "hype") for i in binary]
        pb = [pred["hype"][i] for i in binary]
        frac, mean = calibration_curve(yb, pb, n_bins=10) if len(set(yb)) == 2 else ([], [])
        report = SystemReport(
            name=name, metrics=metrics, ci=sample_intervals(samples[name]) if samples else {},
            confusion=confusion_matrix(gold["label3"], labels, labels=cm_labels).tolist(), confusion_labels=cm_labels,
            reliability={"fraction_positive": list(map(float, frac)), "mean_predicted": list(map(float, mean))},
            predictions={"hype": list(map(float, pred["hype"])), "gold": gold["label3"]},
        )
        for col, col_values in by_values.items():
            groups: Dict[str, Dict[str, float]] = {}
            for value in sorted({str(v) for v in col_values}):
                idx = [i for i, v in enumerate(col_values) if str(v) == value]
                groups[value] = system_metrics(_take(pred, idx), _take(gold, idx), scheme)
            report.by[col] = groups
        systems[name] = report
    span_report = None
    if spans_col and spans_col in table.column_names:
        from .spanscore import score_spans

        docs = tagger_docs or list(build_pipeline().pipe(texts))
        gold_column = list(table[spans_col])
        pairs = []
        for i, doc in zip(keep, docs):
            gold_spans = gold_column[i] or []
            if gold_spans:
                pred_spans = [{"start": s.start_char, "end": s.end_char, "label": s.label_, "stance": s._.stance,
                               "id": s.id_ or None} for s in doc.spans["hype"]]
                pairs.append((gold_spans, pred_spans))
        if pairs:
            span_report = dict(score_spans(pairs).as_dict(), passages=len(pairs))
    name = corpus if isinstance(corpus, str) else str(corpus)
    paired = paired_intervals(samples, next(iter(systems_pred))) if samples and len(systems_pred) > 1 else {}
    return EvaluationResult(corpus=name, split=split, scheme=scheme, n=len(keep), n_empty=n_empty, systems=systems,
                            spans=span_report, paired=paired)


def _load_any(corpus: Any, load: Any) -> Any:
    from pathlib import Path

    if isinstance(corpus, str) and corpus != "sales-hype" and not Path(corpus).exists():
        try:
            from datasets import load_dataset

            return load_dataset(corpus)
        except Exception as err:  # noqa: BLE001  offline or unknown name: one clear message
            raise EvaluationError(f"{corpus!r} is not a file, folder or reachable hub dataset ({type(err).__name__})") from None
    return load(corpus, required=())


def _baseline_train(dd: Any, split: str, text_col: str, label_col: str, load: Any) -> Dict[str, List[Any]]:
    """Train split for the baselines: the corpus' own when it has levels, else sales-hype's."""
    if "train" in dd and split != "train" and label_col in dd["train"].column_names:
        values = list(dd["train"][label_col])
        if values and all(isinstance(v, (int, np.integer)) and 0 <= v <= 4 for v in values):
            return {"text": list(dd["train"][text_col]), "level": [int(v) for v in values]}
    base = load("sales-hype")["train"]
    return {"text": list(base["text"]), "level": list(base["level"])}
