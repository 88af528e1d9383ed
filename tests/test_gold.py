"""Tagger quality on the hand-annotated gold set (tests/data/gold_spans.jsonl).

Run with -s to see the table. Matching is by character overlap within a label
(see hypedetect.spanscore); exact-boundary figures are printed alongside.
"""
import json
from pathlib import Path

import pytest

from hypedetect.spanscore import score_spans

GOLD = Path(__file__).parent / "data" / "gold_spans.jsonl"


@pytest.fixture(scope="module")
def gold_pairs(tagger):
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 250
    pairs = []
    for row, doc in zip(rows, tagger.pipe(r["text"] for r in rows)):
        pred = [{"start": s.start_char, "end": s.end_char, "label": s.label_, "stance": s._.stance,
                 "id": s.id_ or None} for s in doc.spans["hype"]]
        pairs.append((row["spans"], pred))
    return pairs


def test_gold_set_floors(gold_pairs):
    report = score_spans(gold_pairs)
    exact = score_spans(gold_pairs, mode="exact")
    print("\nlabel         P      R      F1   (exact F1)")
    for label, s in sorted(report.labels.items()):
        print(f"{label:<12} {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}  ({exact.labels[label].f1:.3f})")
    print(f"stance accuracy on matched spans: {report.stance_accuracy:.3f} (n={report.stance_total})")
    print(f"methodology id accuracy on matched spans: {report.id_accuracy:.3f}")
    print("stance confusion (gold, predicted):", report.stance_confusion)
    for name, part in (("even lines (used to tune rules)", gold_pairs[0::2]), ("odd lines (held out)", gold_pairs[1::2])):
        half = score_spans(part)
        print(f"{name}: " + ", ".join(f"{k} F1 {v.f1:.3f}" for k, v in sorted(half.labels.items()))
              + f"; stance {half.stance_accuracy:.3f}")
    assert report.labels["METHODOLOGY"].f1 >= 0.90
    assert report.labels["PROMISE"].f1 >= 0.70
    assert report.stance_accuracy >= 0.85
    assert report.id_accuracy >= 0.95
