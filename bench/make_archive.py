"""Build a realistic blog archive for benchmarking: ``bench/data/archive.jsonl`` (gitignored).

Usage: python bench/make_archive.py [--out bench/data/archive.jsonl] [--scale 1]

The posts are the corpus passages already in the repo (``corpora/sales-hype`` and
``corpora/transfer``) recombined into posts for benchmarking, not new writing:

- short LinkedIn-style posts: single passages of fewer than 80 words;
- ordinary posts: one passage each;
- long essays: several passages sharing a methodology (else a writer) joined into
  600–3,000 words, so many exceed the 512-token model limit several times over.

Every passage appears once as a post of its own; essays reuse passages. The result
is deterministic (fixed seed, fixed input order) and holds at least 2.0 MB of text.
Each line: ``{"id", "text", "date", "title", "source": "bench"}``.
``build_archive(path, scale=10)`` writes ten variants of every post (ids and texts
differ slightly) for the memory test.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILES = ("corpora/sales-hype/train.jsonl", "corpora/sales-hype/dev.jsonl", "corpora/sales-hype/test.jsonl",
                "corpora/transfer/transfer.jsonl")
DEFAULT_OUT = ROOT / "bench" / "data" / "archive.jsonl"
MIN_BYTES = 2_300_000
SHORT_WORDS = 80
SEED = 13


def load_passages() -> List[Dict]:
    """Corpus passages with ``id``, ``text``, ``year`` and a grouping key (methodology, else writer)."""
    passages = []
    for name in CORPUS_FILES:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text = str(row.get("text") or "").strip()
            if not text:
                continue
            methods = row.get("methodologies") or []
            group = methods[0] if methods else f"writer:{row.get('writer') or 'none'}"
            passages.append({"id": row["id"], "text": text, "year": int(row.get("year") or 2020), "group": group})
    if not passages:
        raise SystemExit("no corpus passages found under corpora/")
    return passages


def _date(key: str, year: int) -> str:
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return f"{year:04d}-{digest[0] % 12 + 1:02d}-{digest[1] % 28 + 1:02d}"


def _title(text: str, words: int = 8) -> str:
    first = text.strip().splitlines()[0].split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "")


def _post(post_id: str, text: str, year: int) -> Dict[str, str]:
    return {"id": post_id, "text": text, "date": _date(post_id, year), "title": _title(text), "source": "bench"}


def _essays(passages: List[Dict], rng: random.Random, budget_bytes: int) -> Iterator[Dict[str, str]]:
    """Essays of 600–3,000 words from passages of one group until ``budget_bytes`` of text is written."""
    groups: Dict[str, List[Dict]] = {}
    for p in passages:
        groups.setdefault(p["group"], []).append(p)
    # Big groups first so long essays stay on one topic.
    names = sorted((g for g in groups if len(groups[g]) >= 4), key=lambda g: (-len(groups[g]), g))
    written, k = 0, 0
    while written < budget_bytes:
        group = groups[names[k % len(names)]]
        # Every fourth essay is a long one (≥ 2,500 words); the rest spread over 600–2,500.
        target = rng.randint(2500, 3000) if k % 4 == 0 else rng.randint(600, 2500)
        parts, words = [], 0
        for p in rng.sample(group, len(group)):
            n = len(p["text"].split())
            if words + n > 3100 and words >= 600:
                continue
            parts.append(p)
            words += n
            if words >= target:
                break
        text = "\n\n".join(p["text"] for p in parts)
        written += len(text.encode("utf-8"))
        yield _post(f"bench-essay-{k:04d}", text, parts[0]["year"])
        k += 1


def make_posts(min_bytes: int = MIN_BYTES) -> List[Dict[str, str]]:
    """All benchmark posts in a fixed shuffled order (so any prefix has the same mix of lengths)."""
    rng = random.Random(SEED)
    passages = load_passages()
    posts = [_post(f"bench-{p['id']}", p["text"], p["year"]) for p in passages]
    single_bytes = sum(len(p["text"].encode("utf-8")) for p in posts)
    posts += list(_essays(passages, rng, max(0, min_bytes - single_bytes)))
    rng.shuffle(posts)
    return posts


def _variant(post: Dict[str, str], copy: int) -> Dict[str, str]:
    if copy == 0:
        return post
    post_id = f"{post['id']}-r{copy}"
    text = f"{post['text']}\n\n(Reposted, part {copy + 1}.)"
    year = int(post["date"][:4])
    return {"id": post_id, "text": text, "date": _date(post_id, year), "title": post["title"], "source": "bench"}


def build_archive(path: Path = DEFAULT_OUT, scale: int = 1, *, posts: Optional[int] = None) -> Path:
    """Write the archive to ``path``; ``scale`` copies of every post (ids differ), ``posts`` keeps the first N."""
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    base = make_posts()
    if posts is not None:
        base = base[:posts]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for copy in range(scale):
            for post in base:
                out.write(json.dumps(_variant(post, copy), ensure_ascii=False) + "\n")
    return path


def read_archive(path: Path) -> Iterator[Dict[str, str]]:
    """Stream the posts of an archive file."""
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def percentile(values: List[int], q: float) -> int:
    """Nearest-rank percentile of ``values`` (``q`` in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def describe(path: Path) -> Dict[str, float]:
    """Size, post count and length distribution of an archive."""
    texts = [p["text"] for p in read_archive(path)]
    words = [len(t.split()) for t in texts]
    stats: Dict[str, float] = {
        "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6, "posts": len(texts),
        "words_min": min(words), "words_p10": percentile(words, 10), "words_median": percentile(words, 50),
        "words_p90": percentile(words, 90), "words_max": max(words),
        "short_lt_80_words": sum(w < SHORT_WORDS for w in words), "over_2500_words": sum(w > 2500 for w in words),
    }
    try:
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(ROOT / "models" / "hype-minilm"), local_files_only=True)
        lengths = [len(ids) for ids in tok(texts, add_special_tokens=False, verbose=False)["input_ids"]]
        stats.update(tokens=sum(lengths), over_512_tokens=sum(n > 510 for n in lengths), tokens_max=max(lengths))
    except Exception as err:  # noqa: BLE001  token counts are a bonus
        print(f"(no token counts: {type(err).__name__}: {err})")
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    path = build_archive(args.out, args.scale)
    s = describe(path)
    print(f"wrote {path}: {s['mb']:.2f} MB of text, {s['posts']} posts")
    print(f"words per post: min {s['words_min']}, p10 {s['words_p10']}, median {s['words_median']}, "
          f"p90 {s['words_p90']}, max {s['words_max']}; {s['short_lt_80_words']} posts < 80 words, "
          f"{s['over_2500_words']} > 2,500 words")
    if "tokens" in s:
        print(f"model tokens: {s['tokens']:,} in all, longest post {s['tokens_max']:,}; "
              f"{s['over_512_tokens']} posts exceed the 512-token model window")


if __name__ == "__main__":
    main()
