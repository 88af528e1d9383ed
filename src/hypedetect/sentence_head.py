"""Fit the sentence head: per-sentence scores from the same pass that scores the post.

Scoring every sentence on its own doubles the transformer's work. Instead, the
last-layer states of each sentence's tokens (inside its post window) are averaged
and mapped by a linear head to the model's outputs. The head is distilled, by ridge
regression on the training split, from the outputs the model gives each sentence
read alone, and checked on dev. It is saved as ``sentence_head.safetensors`` in the
model folder; a folder without one falls back to separate sentence passes.

Run ``python -m hypedetect.sentence_head MODEL_DIR`` to (re)fit it for a model folder.
"""
from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from .model import HypeModel, mean_by_sentence, pack_windows, save_sentence_head, sentence_pieces

logger = logging.getLogger(__name__)

ALPHAS = (0.1, 1.0, 10.0, 100.0)


def _sentences(texts: Sequence[str]) -> List[List[str]]:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return [[s.text for s in doc.sents if s.text.strip()] for doc in nlp.pipe(texts, batch_size=64)]


def sentence_features(model: HypeModel, texts: Sequence[str], *, batch_docs: int = 64) -> Tuple[np.ndarray, np.ndarray]:
    """``(pooled, alone)``: each sentence's mean in-context state and its outputs when read alone."""
    budget = model.budget
    pooled_rows: List[np.ndarray] = []
    alone_rows: List[np.ndarray] = []
    all_sents = _sentences(texts)
    for start in range(0, len(texts), batch_docs):
        docs = []
        for sents in all_sents[start:start + batch_docs]:
            ids = [t for t in model.tokenize(sents) if t] if sents else []
            docs.append(ids)
        flat, _owners, segments, pieces = pack_windows(docs, budget)
        _, pooled = model.forward_ids(flat, segments=segments)
        alone_seqs, alone_owner = sentence_pieces(docs, budget)
        alone = model.forward_ids(alone_seqs)
        in_context, read_alone = mean_by_sentence(pieces, pooled), mean_by_sentence(alone_owner, alone)
        pooled_rows.extend(in_context[key] for key in sorted(in_context))
        alone_rows.extend(read_alone[key] for key in sorted(read_alone))
    return np.stack(pooled_rows), np.stack(alone_rows)


def _fit(x: np.ndarray, y: np.ndarray, alpha: float) -> Tuple[np.ndarray, np.ndarray]:
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - mean_x, y - mean_y
    weight = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ yc)
    return weight, mean_y - mean_x @ weight


def fidelity(model: HypeModel, head_outputs: np.ndarray, alone_outputs: np.ndarray) -> Dict[str, float]:
    """How closely head scores follow read-alone sentence scores (calibrated P(hype))."""
    from scipy.stats import pearsonr, spearmanr

    a = model.scores(head_outputs)["hype"]
    b = model.scores(alone_outputs)["hype"]
    return {"sentences": int(len(a)), "spearman": float(spearmanr(a, b)[0]), "pearson": float(pearsonr(a, b)[0]),
            "mae": float(np.abs(a - b).mean()), "agreement_at_0.5": float(((a > 0.5) == (b > 0.5)).mean())}


def fit_sentence_head(
    model_dir: Union[str, Path], corpus: Union[str, Path] = "sales-hype", *, progress: Optional[Any] = None
) -> Dict[str, Any]:
    """Fit the head on the train split, pick the ridge penalty on dev, save it, and return dev fidelity."""
    from .corpora import load

    say = progress or logger.info
    started = time.perf_counter()
    model = HypeModel.load(model_dir, dtype="fp32")
    data = load(corpus)
    say("sentence head: reading train sentences in context and alone")
    x_train, y_train = sentence_features(model, data["train"]["text"])
    x_dev, y_dev = sentence_features(model, data["dev"]["text"])
    best: Optional[Tuple[float, float, Tuple[np.ndarray, np.ndarray]]] = None
    for alpha in ALPHAS:
        head = _fit(x_train, y_train, alpha)
        mse = float(((x_dev @ head[0] + head[1] - y_dev) ** 2).mean())
        say(f"sentence head: alpha {alpha:g}: dev output MSE {mse:.4f}")
        if best is None or mse < best[1]:
            best = (alpha, mse, head)
    assert best is not None
    alpha, mse, (weight, bias) = best
    save_sentence_head(Path(model_dir), weight, bias)
    report = {"alpha": alpha, "dev_output_mse": mse, "train_sentences": int(len(x_train)),
              "dev": fidelity(model, x_dev @ weight + bias, y_dev), "seconds": round(time.perf_counter() - started, 1)}
    say("sentence head: dev fidelity " + json.dumps({k: round(v, 3) for k, v in report["dev"].items()}))
    return report


def main(argv: Optional[Sequence[str]] = None) -> None:
    """``python -m hypedetect.sentence_head MODEL_DIR [--corpus NAME]``: fit and record in metrics.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--corpus", default="sales-hype")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = fit_sentence_head(args.model_dir, args.corpus)
    metrics_path = args.model_dir / "metrics.json"
    if metrics_path.is_file():
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        metrics["sentence_head"] = report
        metrics_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
