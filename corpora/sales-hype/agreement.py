"""Inter-annotator agreement on the blind relabel sample.

    python corpora/sales-hype/agreement.py

Compares the writers' levels (from train/dev/test, before resolutions are applied
by build.py the figures use the raw first labels) with agreement/second_*.jsonl;
prints Spearman, quadratic-weighted kappa, exact and within-one agreement, the
3-class kappa, and writes agreement/disagreements.jsonl (|difference| >= 2).
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix, f1_score

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

from build import load_raw  # noqa: E402
from hypedetect.corpora import level_to_label  # noqa: E402


def main() -> None:
    first = {r["id"]: r for r in load_raw()[0]}
    second = {}
    for path in sorted((HERE / "agreement").glob("second_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                second[row["id"]] = row
    ids = [i for i in second if i in first]
    a = [first[i]["level"] for i in ids]
    b = [second[i]["level"] for i in ids]
    print(f"passages labeled twice (blind): {len(ids)}")
    print(f"Spearman rho: {spearmanr(a, b).statistic:.3f}")
    print(f"quadratic-weighted kappa: {cohen_kappa_score(a, b, weights='quadratic'):.3f}")
    print(f"exact agreement: {sum(x == y for x, y in zip(a, b)) / len(ids):.3f}; "
          f"within one level: {sum(abs(x - y) <= 1 for x, y in zip(a, b)) / len(ids):.3f}")
    la, lb = [level_to_label(x) for x in a], [level_to_label(y) for y in b]
    print(f"3-class Cohen kappa: {cohen_kappa_score(la, lb):.3f}; "
          f"3-class macro-F1 of second vs first: {f1_score(la, lb, average='macro'):.3f}")
    print("confusion (rows first label 0-4, columns second label 0-4):")
    print(confusion_matrix(a, b, labels=range(5)))
    print("second annotators' level counts:", dict(sorted(Counter(b).items())))
    far = [i for i in ids if abs(first[i]["level"] - second[i]["level"]) >= 2]
    with open(HERE / "agreement" / "disagreements.jsonl", "w", encoding="utf-8") as fh:
        for i in far:
            fh.write(json.dumps({"id": i, "first": first[i]["level"], "second": second[i]["level"],
                                 "second_note": second[i].get("note"), "text": first[i]["text"]},
                                ensure_ascii=False) + "\n")
    print(f"disagreements of 2+ levels: {len(far)} (written to agreement/disagreements.jsonl)")


if __name__ == "__main__":
    main()
