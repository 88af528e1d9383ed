"""The hype classifier: a standard Hugging Face folder, loaded safely, read whole.

A model folder holds ``config.json`` (with ``id2label``), ``model.safetensors``,
tokenizer files and ``calibration.json``. Loading refuses pickled weights and
never runs remote code. Texts longer than the model's budget are split into
sentence-aligned windows that together cover every token; window outputs are
aggregated into one document score.

Objectives (``hypedetect.objective`` in the config):

- ``ordinal``: four sigmoid outputs ``P(level > k)``, k = 0..3 (cumulative link);
- ``levels``: five-way softmax over levels 0–4;
- ``regression``: one output, the level;
- ``3class``: three-way softmax over nuance / mixed / hype (level = 2 x the expected class).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

logger = logging.getLogger(__name__)

OBJECTIVES = ("ordinal", "levels", "regression", "3class")
ORDINAL_LABELS = {0: "level>0", 1: "level>1", 2: "level>2 (hype)", 3: "level>3"}
LEVEL_LABELS = {i: f"level_{i}" for i in range(5)}
THREE_CLASS_LABELS = {0: "nuance", 1: "mixed", 2: "hype"}


class ModelLoadError(RuntimeError):
    """A model folder is missing, incomplete, corrupt or unsafe."""


def check_model_folder(path: Union[str, Path]) -> Path:
    """Validate a model folder before anything is loaded; raise ``ModelLoadError`` naming what is wrong."""
    path = Path(path)
    if not path.is_dir():
        raise ModelLoadError(f"model folder {path} does not exist")
    if not (path / "config.json").is_file():
        raise ModelLoadError(f"model folder {path} has no config.json")
    if not (path / "model.safetensors").is_file():
        pickled = [p.name for p in path.glob("*.bin")] + [p.name for p in path.glob("*.pt")]
        if pickled:
            raise ModelLoadError(
                f"model folder {path} has only pickled weights ({', '.join(pickled)}); "
                "hypedetect loads safetensors only — convert with safetensors.torch.save_file"
            )
        raise ModelLoadError(f"model folder {path} has no model.safetensors")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelLoadError(f"model folder {path}: config.json is not valid JSON ({err})") from None
    if config.get("auto_map"):
        raise ModelLoadError(f"model folder {path} asks for remote code (auto_map); hypedetect never runs it")
    if not any((path / name).is_file() for name in ("tokenizer.json", "vocab.txt")):
        raise ModelLoadError(f"model folder {path} has no tokenizer files (tokenizer.json or vocab.txt)")
    return path


DTYPES = ("auto", "fp32", "bf16", "int8")


def choose_dtype(requested: str = "auto", device: str = "cpu") -> str:
    """Resolve ``"auto"`` for ``device``: ``"bf16"`` where it runs bf16 matrix math natively, else ``"fp32"``.

    ``"int8"`` (CPU only) is dynamic int8 quantization of the linear layers: faster
    on CPUs without native bf16, at a small, measured cost in fidelity (see README).
    """
    if requested == "int8" and device.startswith("cuda"):
        raise ValueError("dtype int8 is for CPU inference; use bf16 or fp32 on cuda")
    if requested in ("bf16", "fp32", "int8"):
        return requested
    if requested != "auto":
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {requested!r}")
    import torch

    if device.startswith("cuda"):
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    cpu = getattr(torch, "cpu", None)
    native = bool(cpu and (cpu._is_avx512_bf16_supported() or cpu._is_amx_tile_supported()))
    return "bf16" if native else "fp32"


@dataclass
class Calibration:
    """Platt scaling of the raw hype logit, fitted on dev (hype vs nuance, mixed excluded)."""

    a: float = 1.0
    b: float = 0.0
    method: str = "platt"
    fitted_on: str = ""
    level_cuts: Optional[Tuple[float, float]] = None

    def __call__(self, raw_logit: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.a * np.asarray(raw_logit, dtype=np.float64) + self.b)))

    @classmethod
    def fit(cls, raw_logit: Sequence[float], is_hype: Sequence[int], fitted_on: str = "") -> "Calibration":
        """Fit ``a``, ``b`` by logistic regression of the binary label on the raw logit."""
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(raw_logit, dtype=np.float64).reshape(-1, 1)
        lr = LogisticRegression(C=1e4, max_iter=1000).fit(x, np.asarray(is_hype))
        return cls(a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]), fitted_on=fitted_on)

    def to_dict(self) -> Dict[str, Any]:
        return {"method": self.method, "a": self.a, "b": self.b, "fitted_on": self.fitted_on,
                "level_cuts": list(self.level_cuts) if self.level_cuts else None}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Calibration":
        if data.get("method", "platt") != "platt":
            raise ModelLoadError(f"unknown calibration method {data.get('method')!r}")
        cuts = data.get("level_cuts")
        return cls(a=float(data["a"]), b=float(data["b"]), fitted_on=str(data.get("fitted_on", "")),
                   level_cuts=(float(cuts[0]), float(cuts[1])) if cuts else None)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def heads_to_scores(logits: np.ndarray, objective: str) -> Dict[str, np.ndarray]:
    """Turn raw model outputs (n, k) into ``raw_logit`` (hype vs nuance), ``level`` (0..4) and 3-class probabilities."""
    logits = np.asarray(logits, dtype=np.float64)
    if objective == "ordinal":
        cum = 1.0 / (1.0 + np.exp(-logits))
        cum = np.minimum.accumulate(cum, axis=1)
        level = cum.sum(axis=1)
        p_nuance, p_hype = 1.0 - cum[:, 1], cum[:, 2]
        p_mixed = np.clip(cum[:, 1] - cum[:, 2], 0.0, 1.0)
    elif objective == "levels":
        p = _softmax(logits)
        level = p @ np.arange(5)
        p_nuance, p_mixed, p_hype = p[:, 0] + p[:, 1], p[:, 2], p[:, 3] + p[:, 4]
    elif objective == "3class":
        p = _softmax(logits)
        level = p @ np.array([0.0, 2.0, 4.0])
        p_nuance, p_mixed, p_hype = p[:, 0], p[:, 1], p[:, 2]
    elif objective == "regression":
        level = np.clip(logits[:, 0], 0.0, 4.0)
        p_hype = 1.0 / (1.0 + np.exp(-(logits[:, 0] - 2.5) * 2.0))
        p_nuance = 1.0 / (1.0 + np.exp((logits[:, 0] - 1.5) * 2.0))
        p_mixed = np.clip(1.0 - p_hype - p_nuance, 0.0, 1.0)
    else:
        raise ValueError(f"unknown objective {objective!r}")
    eps = 1e-6
    raw = np.log(p_hype + eps) - np.log(p_nuance + eps)
    three = np.stack([p_nuance, p_mixed, p_hype], axis=1)
    three = three / np.clip(three.sum(axis=1, keepdims=True), eps, None)
    return {"raw_logit": raw, "level": level, "probs3": three}


def label_from_probs3(probs3: np.ndarray) -> List[str]:
    """The 3-class label with the highest probability."""
    names = np.array(["nuance", "mixed", "hype"])
    return list(names[np.argmax(probs3, axis=1)])


def label_from_level(level: Sequence[float], cuts: Tuple[float, float]) -> List[str]:
    """The 3-class label from the expected level and two cut-points (nuance < c1 ≤ mixed < c2 ≤ hype)."""
    return ["nuance" if x < cuts[0] else "mixed" if x < cuts[1] else "hype" for x in level]


def fit_level_cuts(level: Sequence[float], gold: Sequence[str]) -> Tuple[Tuple[float, float], float]:
    """Cut-points on the expected level that maximise macro-F1 (grid of 0.05); returns (cuts, macro-F1)."""
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(0.8, 3.21, 0.05), 2)
    best = ((1.5, 2.5), -1.0)
    for c1 in grid:
        for c2 in grid[grid > c1 + 0.2]:
            f1 = f1_score(list(gold), label_from_level(level, (c1, c2)), average="macro", zero_division=0)
            if f1 > best[1] + 1e-9:
                best = ((float(c1), float(c2)), float(f1))
    return best


def plan_windows(sentence_lengths: Sequence[int], budget: int) -> List[List[Tuple[int, int, int]]]:
    """Group consecutive sentences into windows of at most ``budget`` tokens.

    Returns, per window, ``(sentence_index, token_start, token_end)`` pieces. A
    sentence longer than ``budget`` is cut into budget-sized pieces, so every token
    of every sentence lands in exactly one window.
    """
    windows: List[List[Tuple[int, int, int]]] = []
    current: List[Tuple[int, int, int]] = []
    used = 0
    for index, length in enumerate(sentence_lengths):
        if length > budget:
            if current:
                windows.append(current)
                current, used = [], 0
            for start in range(0, length, budget):
                windows.append([(index, start, min(length, start + budget))])
            continue
        if used + length > budget and current:
            windows.append(current)
            current, used = [], 0
        current.append((index, 0, length))
        used += length
    if current:
        windows.append(current)
    return windows


def pack_windows(
    docs: Sequence[Sequence[Sequence[int]]], budget: int
) -> Tuple[List[List[int]], List[Tuple[int, int]], List[List[Tuple[int, int]]], List[Tuple[int, int, int]]]:
    """Windows of all docs: ``(sequences, owners, segments, pieces)``.

    ``owners[i]`` is ``(doc, tokens)`` of window ``i``; ``segments[i]`` the token range
    of each sentence piece inside it; ``pieces`` lists ``(doc, sentence, tokens)`` for
    every segment in the same order.
    """
    flat: List[List[int]] = []
    owners: List[Tuple[int, int]] = []
    segments: List[List[Tuple[int, int]]] = []
    pieces: List[Tuple[int, int, int]] = []
    for d, sents in enumerate(docs):
        for window in plan_windows([len(s) for s in sents], budget):
            offset, ranges = 0, []
            for si, a, b in window:
                ranges.append((offset, offset + b - a))
                pieces.append((d, si, b - a))
                offset += b - a
            flat.append([t for (si, a, b) in window for t in sents[si][a:b]])
            owners.append((d, offset))
            segments.append(ranges)
    return flat, owners, segments, pieces


def sentence_pieces(
    docs: Sequence[Sequence[Sequence[int]]], budget: int
) -> Tuple[List[List[int]], List[Tuple[int, int, int]]]:
    """Every sentence on its own, cut into budget-sized pieces: ``(sequences, pieces)``.

    ``pieces`` lists ``(doc, sentence, tokens)`` per sequence, as :func:`pack_windows` does.
    """
    sequences: List[List[int]] = []
    pieces: List[Tuple[int, int, int]] = []
    for d, sents in enumerate(docs):
        for si, sent in enumerate(sents):
            for a in range(0, max(1, len(sent)), budget):
                sequences.append(list(sent[a:a + budget]))
                pieces.append((d, si, len(sequences[-1])))
    return sequences, pieces


def mean_by_sentence(pieces: Sequence[Tuple[int, int, int]], rows: np.ndarray) -> Dict[Tuple[int, int], np.ndarray]:
    """Token-weighted mean of the rows of each ``(doc, sentence)`` (a sentence split across windows has several)."""
    grouped: Dict[Tuple[int, int], List[Tuple[np.ndarray, int]]] = {}
    for (d, si, n), row in zip(pieces, rows):
        grouped.setdefault((d, si), []).append((row, max(1, n)))
    means = {}
    for key, parts in grouped.items():
        weights = np.array([n for _, n in parts], dtype=np.float64)
        means[key] = (np.stack([r for r, _ in parts]) * weights[:, None]).sum(axis=0) / weights.sum()
    return means


def length_batches(lengths: Sequence[int], batch_tokens: int, max_padding: float = 0.1) -> List[List[int]]:
    """Indices grouped into length-sorted batches of at most ``batch_tokens`` padded tokens.

    A batch also closes when padding would exceed ``max_padding`` of it: without
    that, a batch of short sentences padded to its longest member wastes a third of
    the model's work.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: List[List[int]] = []
    current: List[int] = []
    real = 0
    for i in order:
        width = lengths[i]
        if current and (width * (len(current) + 1) > batch_tokens
                        or width * (len(current) + 1) - (real + width) > max_padding * width * (len(current) + 1)):
            batches.append(current)
            current, real = [], 0
        current.append(i)
        real += width
    if current:
        batches.append(current)
    return batches


def pad_batch(sequences: Sequence[Sequence[int]], *, cls_id: int, sep_id: int, pad_id: int = 0) -> Tuple[Any, Any]:
    """``input_ids`` and ``attention_mask`` tensors for ``[CLS] seq [SEP]`` rows, padded to the longest row."""
    import torch

    width = max(len(seq) for seq in sequences) + 2
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        full = [cls_id, *seq, sep_id]
        ids[row, :len(full)] = torch.tensor(full)
        mask[row, :len(full)] = 1
    return ids, mask


AGGREGATIONS = ("mean", "max")


def aggregate(window_outputs: np.ndarray, weights: Sequence[float], how: str, objective: str) -> np.ndarray:
    """Combine per-window outputs into one document output.

    ``mean``: token-weighted mean of the raw outputs; ``max``: the outputs of the
    window with the highest hype-vs-nuance logit.
    """
    if how == "mean":
        w = np.asarray(weights, dtype=np.float64)
        if w.sum() <= 0:
            w = np.ones_like(w)
        return (window_outputs * w[:, None]).sum(axis=0) / w.sum()
    if how == "max":
        return window_outputs[int(np.argmax(heads_to_scores(window_outputs, objective)["raw_logit"]))]
    raise ValueError(f"unknown aggregation {how!r}")


SENTENCE_HEAD_FILE = "sentence_head.safetensors"


def load_sentence_head(path: Path) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """The sentence head ``(weight (hidden, outputs), bias)`` of a model folder, if it has one (safetensors)."""
    file = Path(path) / SENTENCE_HEAD_FILE
    if not file.is_file():
        return None
    from safetensors.numpy import load_file

    try:
        tensors = load_file(str(file))
        return tensors["weight"].astype(np.float32), tensors["bias"].astype(np.float32)
    except Exception as err:  # noqa: BLE001
        raise ModelLoadError(f"model folder {path}: {SENTENCE_HEAD_FILE} is unreadable ({err})") from None


def save_sentence_head(path: Path, weight: np.ndarray, bias: np.ndarray) -> Path:
    """Write a sentence head into a model folder."""
    from safetensors.numpy import save_file

    file = Path(path) / SENTENCE_HEAD_FILE
    save_file({"weight": np.ascontiguousarray(weight, dtype=np.float32),
               "bias": np.ascontiguousarray(bias, dtype=np.float32)}, str(file))
    return file


def sentence_head_outputs(head: Optional[Tuple[np.ndarray, np.ndarray]], pooled: np.ndarray) -> np.ndarray:
    """Model-output-space predictions of the sentence head for mean-pooled sentence states."""
    if head is None:
        raise ValueError("model has no sentence head")
    weight, bias = head
    return pooled.astype(np.float64) @ weight + bias


def _quiet_transformers() -> None:
    """Library code must not draw progress bars on the user's terminal (loading is quick and local)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


@dataclass
class HypeModel:
    """A loaded hype classifier: tokenizer, torch model, objective, calibration."""

    path: Path
    tokenizer: Any
    model: Any
    objective: str
    calibration: Calibration
    dtype: str
    device: str = "cpu"
    aggregation: str = "mean"
    max_length: int = 512
    meta: Dict[str, Any] = field(default_factory=dict)
    sentence_head: Optional[Tuple[np.ndarray, np.ndarray]] = None

    @classmethod
    def load(
        cls,
        path: Union[str, Path],
        *,
        dtype: str = "auto",
        device: str = "cpu",
        threads: Optional[int] = None,
    ) -> "HypeModel":
        """Load a model folder safely (safetensors only, no remote code)."""
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from .memory import pin_mmap_threshold

        path = check_model_folder(path)
        if threads:
            torch.set_num_threads(threads)
        _quiet_transformers()
        if not device.startswith("cuda"):
            pin_mmap_threshold()
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path), trust_remote_code=False, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(path), trust_remote_code=False, use_safetensors=True, local_files_only=True,
                dtype=torch.float32,
            )
        except Exception as err:  # noqa: BLE001  named, one-line reason for the user
            raise ModelLoadError(f"could not load model from {path}: {type(err).__name__}: {err}") from err
        model.eval().to(device)
        config = model.config.to_dict()
        settings = config.get("hypedetect", {})
        objective = settings.get("objective", "ordinal")
        if objective not in OBJECTIVES:
            raise ModelLoadError(f"model folder {path}: unknown objective {objective!r}")
        calib_path = path / "calibration.json"
        calibration = (
            Calibration.from_dict(json.loads(calib_path.read_text(encoding="utf-8")))
            if calib_path.is_file() else Calibration()
        )
        chosen = choose_dtype(dtype, device)
        if chosen == "int8":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # Per-channel weight scales: with one scale per tensor, a few outlier rows flatten the rest
                # (test macro-F1 0.744 instead of 0.805 for the shipped model).
                model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}, dtype=torch.qint8)
        head = load_sentence_head(path)
        return cls(
            path=path, tokenizer=tokenizer, model=model, objective=objective, calibration=calibration,
            dtype=chosen, device=device, aggregation=settings.get("aggregation", "mean"),
            max_length=min(int(getattr(model.config, "max_position_embeddings", 512)), 512),
            meta={"name": settings.get("name", path.name), "version": settings.get("version", "unknown")},
            sentence_head=head,
        )

    @property
    def budget(self) -> int:
        """Tokens per window, excluding the special tokens."""
        return self.max_length - self.tokenizer.num_special_tokens_to_add(pair=False)

    def tokenize(self, texts: Sequence[str]) -> List[List[int]]:
        """Token ids of each text, without special tokens and without truncation."""
        return self.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                              verbose=False)["input_ids"]

    def forward_ids(
        self,
        sequences: Sequence[Sequence[int]],
        *,
        batch_tokens: int = 4096,
        segments: Optional[Sequence[Sequence[Tuple[int, int]]]] = None,
    ) -> Any:
        """Raw outputs for token-id sequences (each ≤ budget), length-sorted and dynamically padded.

        With ``segments`` (per sequence, ``(start, end)`` token ranges), also returns the
        mean last-layer state of each range: ``(outputs, pooled)``, ``pooled`` aligned
        with the segments flattened in sequence order.
        """
        import torch

        hidden = self.model.config.hidden_size
        if not sequences:
            empty = np.zeros((0, self.model.config.num_labels), dtype=np.float32)
            return (empty, np.zeros((0, hidden), dtype=np.float32)) if segments is not None else empty
        pooled: Optional[np.ndarray] = None
        first: List[int] = []
        if segments is not None:
            counts = [len(seg) for seg in segments]
            first = list(np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)) if counts else []
            pooled = np.zeros((int(sum(counts)), hidden), dtype=np.float32)
        cls_id, sep_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        pad_id = self.tokenizer.pad_token_id or 0
        out = np.zeros((len(sequences), self.model.config.num_labels), dtype=np.float32)
        use_bf16 = self.dtype == "bf16"
        with torch.inference_mode():
            for batch in length_batches([min(len(s), self.budget) + 2 for s in sequences], batch_tokens):
                ids, mask = pad_batch([sequences[i][: self.budget] for i in batch], cls_id=cls_id, sep_id=sep_id,
                                      pad_id=pad_id)
                ids, mask = ids.to(self.device), mask.to(self.device)
                with torch.autocast(device_type="cuda" if self.device.startswith("cuda") else "cpu",
                                    dtype=torch.bfloat16, enabled=use_bf16):
                    result = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=pooled is not None)
                out[batch] = result.logits.float().cpu().numpy()
                if pooled is not None and segments is not None:
                    states = result.hidden_states[-1].float()
                    for row, index in enumerate(batch):
                        for k, (a, b) in enumerate(segments[index]):
                            pooled[first[index] + k] = states[row, 1 + a:1 + b].mean(dim=0).cpu().numpy()
        return (out, pooled) if pooled is not None else out

    def score_token_docs(
        self,
        docs: Sequence[Sequence[Sequence[int]]],
        *,
        sentence_scores: bool = True,
        batch_tokens: int = 4096,
        budget: Optional[int] = None,
        use_head: bool = True,
    ) -> List[Dict[str, Any]]:
        """Score documents given as lists of sentences of token ids.

        Every token is read: sentences are packed into windows of at most ``budget``
        tokens (default: the model's, see :func:`plan_windows`), all windows of all docs
        are batched together, and window outputs are aggregated per doc. Sentence
        scores come from the sentence head in the same pass when the folder has one
        (and ``use_head``), else from reading every sentence again on its own.
        """
        budget = min(budget or self.budget, self.budget)
        if sentence_scores and use_head and self.sentence_head is not None:
            return self._score_with_sentence_head(docs, budget, batch_tokens)
        flat, owners, _, _ = pack_windows(docs, budget)
        alone, pieces = sentence_pieces(docs, budget) if sentence_scores else ([], [])
        outputs = self.forward_ids(flat + alone, batch_tokens=batch_tokens)
        results = self._aggregate_docs(len(docs), outputs[:len(flat)], owners)
        grouped: Dict[Tuple[int, int], List[np.ndarray]] = {}
        for (d, si, _), row in zip(pieces, outputs[len(flat):]):
            grouped.setdefault((d, si), []).append(row)
        for (d, si), rows in grouped.items():
            results[d]["sentences"][si] = float(self.scores(np.mean(rows, axis=0)[None, :])["hype"][0])
        return results

    def _score_with_sentence_head(
        self, docs: Sequence[Sequence[Sequence[int]]], budget: int, batch_tokens: int
    ) -> List[Dict[str, Any]]:
        """One pass: window outputs score the docs, the sentence head scores each sentence in context."""
        flat, owners, segments, pieces = pack_windows(docs, budget)
        outputs, pooled = self.forward_ids(flat, batch_tokens=batch_tokens, segments=segments)
        sentence_outputs = sentence_head_outputs(self.sentence_head, pooled) if len(pieces) else pooled
        results = self._aggregate_docs(len(docs), outputs, owners)
        for (d, si), mean in mean_by_sentence(pieces, sentence_outputs).items():
            results[d]["sentences"][si] = float(self.scores(mean[None, :])["hype"][0])
        return results

    def _aggregate_docs(
        self, n_docs: int, outputs: np.ndarray, owners: Sequence[Tuple[int, int]]
    ) -> List[Dict[str, Any]]:
        by_doc: Dict[int, List[int]] = {}
        for i, (owner, _) in enumerate(owners):
            by_doc.setdefault(owner, []).append(i)
        results: List[Dict[str, Any]] = []
        for d in range(n_docs):
            rows = by_doc.get(d, [])
            if rows:
                doc_out = aggregate(outputs[rows], [owners[i][1] for i in rows], self.aggregation, self.objective)
            else:
                doc_out = np.zeros(outputs.shape[1] if outputs.size else self.model.config.num_labels)
            scores = self.scores(np.asarray(doc_out)[None, :])
            results.append({"output": doc_out, "windows": len(rows), "sentences": {},
                            "hype": float(scores["hype"][0]), "level": float(scores["level"][0]),
                            "label": scores["label"][0], "raw_logit": float(scores["raw_logit"][0])})
        return results

    def scores(self, outputs: np.ndarray) -> Dict[str, Any]:
        """Calibrated P(hype), expected level and label for raw outputs."""
        heads = heads_to_scores(outputs, self.objective)
        cuts = self.calibration.level_cuts
        labels = (label_from_level(heads["level"], cuts) if cuts else label_from_probs3(heads["probs3"]))
        return {"hype": self.calibration(heads["raw_logit"]), "level": heads["level"],
                "label": labels, "raw_logit": heads["raw_logit"]}

    def score_texts(
        self, texts: Sequence[str], *, sentence_scores: bool = False, budget: Optional[int] = None
    ) -> List[Dict[str, Any]]:
        """Score plain texts (each treated as one sentence run, windowed by ``budget`` tokens)."""
        return self.score_token_docs([[ids] for ids in self.tokenize(texts)], sentence_scores=sentence_scores,
                                     budget=budget)
