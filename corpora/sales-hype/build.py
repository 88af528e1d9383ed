"""Build corpora/sales-hype/{train,dev,test}.jsonl from the writers' raw files.

    python corpora/sales-hype/build.py            # validate, split, write, print composition
    python corpora/sales-hype/build.py --sample-agreement 320   # also write the blind relabel sample

Steps: validate every raw passage (fields, 40–600 words, genre, hard-case type,
methodology ids), resolve span offsets from the writers' (text, occurrence)
pairs, apply agreement resolutions, give each passage a content-derived id,
join persona+topic groups that share near-duplicate text, and assign whole groups
to train/dev/test (70/15/15) with level stratification. Deterministic.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from hypedetect.corpora import (  # noqa: E402
    GENRES, HARD_CASES, level_to_label, near_duplicates, repeated_sentences,
)
from hypedetect.tagging import methodology_index  # noqa: E402

LABELS = {"METHODOLOGY", "PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT"}
STANCES = {"asserted", "negated", "reported"}
TARGET = {"train": 0.70, "dev": 0.15, "test": 0.15}


def resolve_spans(text, spans, problems, pid):
    out = []
    for span in spans or []:
        needle, nth = span.get("text", ""), int(span.get("occurrence") or 1)
        pos, start = -1, 0
        for _ in range(nth):
            pos = text.find(needle, start)
            if pos < 0:
                break
            start = pos + 1
        if pos < 0 or not needle.strip():
            lower = text.lower().find(needle.lower()) if needle.strip() else -1
            if lower < 0:
                problems["span text not found"] += 1
                continue
            pos = lower
        label, stance = span.get("label"), span.get("stance")
        if label not in LABELS or stance not in STANCES:
            problems["bad span label/stance"] += 1
            continue
        sid = span.get("id") if label == "METHODOLOGY" else None
        if label == "METHODOLOGY" and sid not in methodology_index():
            problems["unknown span methodology id"] += 1
            continue
        out.append({"start": pos, "end": pos + len(needle), "label": label, "stance": stance, "id": sid})
    return sorted(out, key=lambda s: (s["start"], s["end"], s["label"]))


def load_raw():
    rows, problems = [], Counter()
    for path in sorted((HERE / "raw").glob("w*_*.jsonl")):
        writer = path.name.split("_")[0]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError:
                problems["unparsable line"] += 1
                continue
            text = raw.get("text", "").strip()
            words = len(text.split())
            if not 40 <= words <= 600:
                problems["length outside 40-600 words"] += 1
                continue
            if raw.get("level") not in (0, 1, 2, 3, 4):
                problems["bad level"] += 1
                continue
            if raw.get("genre") not in GENRES:
                problems[f"unknown genre {raw.get('genre')}"] += 1
                continue
            hard = raw.get("hard_case") or None
            if hard is not None and hard not in HARD_CASES:
                problems[f"unknown hard_case {hard}"] += 1
                hard = None
            year = int(raw.get("year", 0))
            if not 2005 <= year <= 2026:
                problems["year outside 2005-2026"] += 1
                continue
            pid = "sh-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
            mids = [m for m in raw.get("methodologies", []) if m in methodology_index()]
            problems["unknown methodology ids dropped"] += len(raw.get("methodologies", [])) - len(mids)
            rows.append({
                "id": pid, "text": text, "level": int(raw["level"]), "label": level_to_label(int(raw["level"])),
                "genre": raw["genre"], "year": year, "persona": str(raw.get("persona", "")).strip(),
                "topic": str(raw.get("topic", "")).strip(), "writer": writer,
                "methodologies": sorted(set(mids)), "hard_case": hard,
                "spans": resolve_spans(text, raw.get("spans"), problems, pid),
            })
    seen, unique = set(), []
    for row in rows:
        if row["id"] in seen:
            problems["exact duplicate text"] += 1
            continue
        seen.add(row["id"])
        unique.append(row)
    return unique, problems


def apply_resolutions(rows):
    path = HERE / "agreement" / "resolutions.jsonl"
    if not path.exists():
        return 0
    final = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}
    changed = 0
    for row in rows:
        res = final.get(row["id"])
        if res and res["final"] != row["level"]:
            row["level"], row["label"] = res["final"], level_to_label(res["final"])
            changed += 1
    return changed


def group_keys(rows):
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    key_of = {r["id"]: f"{r['persona']}|{r['topic']}" for r in rows}
    for a, b, _ in near_duplicates(rows, threshold=0.3, across="id"):
        parent[find(key_of[a])] = find(key_of[b])
    return {r["id"]: find(key_of[r["id"]]) for r in rows}


def assign_splits(rows):
    groups = defaultdict(list)
    keys = group_keys(rows)
    for row in rows:
        groups[keys[row["id"]]].append(row)
    order = sorted(groups, key=lambda k: hashlib.sha1(k.encode()).hexdigest())
    order.sort(key=lambda k: -len(groups[k]))
    total = Counter(r["level"] for r in rows)
    have = {s: Counter() for s in TARGET}
    for key in order:
        members = groups[key]
        add = Counter(r["level"] for r in members)

        def cost(split):
            c = 0.0
            for s in TARGET:
                for lv in range(5):
                    want = TARGET[s] * total[lv]
                    got = have[s][lv] + (add[lv] if s == split else 0)
                    c += (got - want) ** 2 / max(1.0, want)
            return c

        best = min(TARGET, key=cost)
        have[best].update(add)
        for r in members:
            r["split"] = best
    return rows


def sample_agreement(rows, n, seed=13):
    rng = random.Random(seed)
    by = defaultdict(list)
    for r in rows:
        by[(r["writer"], r["level"])].append(r)
    picked = []
    keys = sorted(by)
    while len(picked) < n and any(by.values()):
        for k in keys:
            if by[k] and len(picked) < n:
                picked.append(by[k].pop(rng.randrange(len(by[k]))))
    rng.shuffle(picked)
    return [{"id": r["id"], "text": r["text"]} for r in picked]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-agreement", type=int, default=0)
    parser.add_argument("--check-only", action="store_true")
    parser.add_argument("--tables", action="store_true", help="print the datasheet's composition tables (Markdown)")
    args = parser.parse_args()
    rows, problems = load_raw()
    changed = apply_resolutions(rows)
    rows = assign_splits(sorted(rows, key=lambda r: r["id"]))
    if args.sample_agreement:
        out = HERE / "agreement" / "sample.jsonl"
        out.parent.mkdir(exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            for r in sample_agreement(rows, args.sample_agreement):
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"wrote {out}")
    if not args.check_only:
        for split in TARGET:
            with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as fh:
                for r in rows:
                    if r["split"] == split:
                        fh.write(json.dumps({k: v for k, v in r.items() if k != "split"}, ensure_ascii=False) + "\n")
    n = len(rows)
    print(f"passages: {n}; dropped/repairs: {dict(problems)}; levels changed by resolution: {changed}")
    print("splits:", dict(Counter(r["split"] for r in rows)))
    print("levels:", {k: f"{v / n:.1%}" for k, v in sorted(Counter(r['level'] for r in rows).items())})
    print("cross-split near-dups (>=0.5):", near_duplicates(rows, threshold=0.5, across="split")[:5])
    print("sentences repeated >3 times:", list(repeated_sentences(rows).items())[:5])
    if args.tables:
        print_tables(rows)


def _table(rows, key, title):
    values = sorted({key(r) for r in rows})
    print(f"\n{title}\n\n| {title.split(' ')[0]} | " + " | ".join(f"L{l}" for l in range(5)) + " | total |")
    print("|---|" + "---|" * 6)
    for v in values:
        c = Counter(r["level"] for r in rows if key(r) == v)
        print(f"| {v} | " + " | ".join(str(c.get(l, 0)) for l in range(5)) + f" | {sum(c.values())} |")


def print_tables(rows):
    n = len(rows)
    words = sorted(len(r["text"].split()) for r in rows)
    print(f"\npassages {n}; words min {words[0]}, median {words[n // 2]}, max {words[-1]}, total {sum(words)}")
    print(f"personas {len({r['persona'] for r in rows})}; topics {len({r['topic'] for r in rows})}; "
          f"methodologies {len({m for r in rows for m in r['methodologies']})}; "
          f"with spans {sum(bool(r['spans']) for r in rows)} ({sum(len(r['spans']) for r in rows)} spans); "
          f"hard cases {sum(r['hard_case'] is not None for r in rows)} ({sum(r['hard_case'] is not None for r in rows) / n:.1%})")
    _table(rows, lambda r: r["split"], "split by level")
    _table(rows, lambda r: r["genre"], "genre by level")
    era = lambda r: "2005-2009" if r["year"] < 2010 else "2010-2014" if r["year"] < 2015 else "2015-2019" if r["year"] < 2020 else "2020-2026"
    _table(rows, era, "era by level")
    _table(rows, lambda r: r["hard_case"] or "(none)", "hard_case by level")
    _table(rows, lambda r: r["writer"], "writer by level")
    labels = Counter((s["label"], s["stance"]) for r in rows for s in r["spans"])
    print("\n| span label | asserted | negated | reported |\n|---|---|---|---|")
    for lab in sorted({k[0] for k in labels}):
        print(f"| {lab} | " + " | ".join(str(labels.get((lab, st), 0)) for st in ("asserted", "negated", "reported")) + " |")
    meth = Counter(m for r in rows for m in r["methodologies"])
    print("\nmost frequent methodologies:", ", ".join(f"{k} {v}" for k, v in meth.most_common(15)))


if __name__ == "__main__":
    main()
