"""Span-level scoring against gold annotations: per-label precision/recall/F1 and stance accuracy.

Used by the tagger's gold-set test and by ``hypedetect.evaluation``. Matching is
one-to-one per label: a predicted span matches a gold span of the same label when
their character ranges overlap (``mode="overlap"``) or coincide (``mode="exact"``);
the longest overlaps are paired first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

SpanDict = Mapping[str, object]


@dataclass
class LabelScore:
    """Counts and scores for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class SpanReport:
    """Per-label scores, stance accuracy on matched spans, and id accuracy on matched METHODOLOGY spans."""

    labels: Dict[str, LabelScore] = field(default_factory=dict)
    stance_correct: int = 0
    stance_total: int = 0
    id_correct: int = 0
    id_total: int = 0
    stance_confusion: Dict[Tuple[str, str], int] = field(default_factory=dict)

    @property
    def stance_accuracy(self) -> float:
        return self.stance_correct / self.stance_total if self.stance_total else 0.0

    @property
    def id_accuracy(self) -> float:
        return self.id_correct / self.id_total if self.id_total else 0.0

    def as_dict(self) -> Dict[str, object]:
        """JSON-safe summary."""
        return {
            "labels": {k: {"precision": v.precision, "recall": v.recall, "f1": v.f1, "tp": v.tp, "fp": v.fp,
                           "fn": v.fn} for k, v in sorted(self.labels.items())},
            "stance_accuracy": self.stance_accuracy,
            "stance_total": self.stance_total,
            "id_accuracy": self.id_accuracy,
        }


def _pairs(gold: Sequence[SpanDict], pred: Sequence[SpanDict], mode: str) -> List[Tuple[int, int]]:
    scored = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if mode == "exact":
                ok = g["start"] == p["start"] and g["end"] == p["end"]
                overlap = int(g["end"]) - int(g["start"]) if ok else 0
            else:
                overlap = min(int(g["end"]), int(p["end"])) - max(int(g["start"]), int(p["start"]))
            if overlap > 0:
                scored.append((overlap, i, j))
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in sorted(scored, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def score_spans(
    examples: Iterable[Tuple[Sequence[SpanDict], Sequence[SpanDict]]], *, mode: str = "overlap"
) -> SpanReport:
    """Score ``(gold_spans, predicted_spans)`` pairs; spans are dicts with start, end, label, stance, id."""
    report = SpanReport()
    for gold, pred in examples:
        for label in {str(s["label"]) for s in gold} | {str(s["label"]) for s in pred}:
            g = [s for s in gold if s["label"] == label]
            p = [s for s in pred if s["label"] == label]
            pairs = _pairs(g, p, mode)
            score = report.labels.setdefault(label, LabelScore())
            score.tp += len(pairs)
            score.fp += len(p) - len(pairs)
            score.fn += len(g) - len(pairs)
            for i, j in pairs:
                report.stance_total += 1
                key = (str(g[i]["stance"]), str(p[j]["stance"]))
                report.stance_confusion[key] = report.stance_confusion.get(key, 0) + 1
                report.stance_correct += key[0] == key[1]
                if label == "METHODOLOGY":
                    report.id_total += 1
                    report.id_correct += g[i].get("id") == p[j].get("id")
    return report
