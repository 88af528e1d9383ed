"""Labeled corpora as ``datasets.DatasetDict`` objects with typed ``Features``.

``load("sales-hype")`` reads the bundled corpus; ``load(path, ...)`` reads any
JSONL/CSV/Parquet file (or a folder of split files) or a ``save_to_disk`` folder,
with a column mapping. Also home to the corpus checks (level shares, near
duplicates across splits, repeated sentences) used by tests and the build script.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

LEVEL_NAMES = ["0", "1", "2", "3", "4"]
LABEL_NAMES = ["nuance", "mixed", "hype"]
SPLITS = ("train", "dev", "test")
GENRES = (
    "blog_post", "linkedin_post", "vendor_landing_page", "press_release", "newsletter", "webinar_promo",
    "conference_abstract", "forum_answer", "book_excerpt", "cold_email", "internal_memo", "podcast_show_notes",
    "review_critique", "howto_explainer",
)
HARD_CASES = (
    "critique_quotes_hype", "token_disclaimer", "neutral_explainer", "evidence_backed_enthusiasm", "hedged_hype",
    "sarcasm", "vendor_case_study", "mixed_voices",
)
REQUIRED_COLUMNS = ("text",)


def corpus_dir(name: str = "sales-hype") -> Path:
    """Folder of a bundled corpus: the source checkout's ``corpora/<name>``."""
    from .paths import find_in_checkout

    found = find_in_checkout(f"corpora/{name}")
    if found is not None:
        return found
    raise FileNotFoundError(
        f"bundled corpus {name!r} not found: it ships in the source tree under corpora/{name}; "
        "pass a path to load() instead"
    )


def level_to_label(level: int) -> str:
    """Derive the 3-class label from a 0–4 level: nuance ≤ 1, mixed = 2, hype ≥ 3."""
    if not 0 <= int(level) <= 4:
        raise ValueError(f"level must be 0..4, got {level!r}")
    return "nuance" if level <= 1 else "mixed" if level == 2 else "hype"


def features() -> "datasets.Features":  # noqa: F821
    """Typed features of the sales-hype corpus."""
    from datasets import ClassLabel, Features, Value

    try:
        from datasets import List as Seq
    except ImportError:  # datasets < 4
        from datasets import Sequence as Seq

    return Features({
        "id": Value("string"),
        "text": Value("string"),
        "level": Value("int8"),
        "label": ClassLabel(names=LABEL_NAMES),
        "genre": Value("string"),
        "year": Value("int16"),
        "persona": Value("string"),
        "topic": Value("string"),
        "writer": Value("string"),
        "methodologies": Seq(Value("string")),
        "hard_case": Value("string"),
        "spans": Seq({
            "start": Value("int32"),
            "end": Value("int32"),
            "label": Value("string"),
            "stance": Value("string"),
            "id": Value("string"),
        }),
    })


def read_jsonl(path: Union[str, Path]) -> List[Dict[str, Any]]:
    """Read a JSON-lines file into a list of dicts (blank lines skipped)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _read_table(path: Path) -> "datasets.Dataset":  # noqa: F821
    from datasets import Dataset

    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return Dataset.from_list(read_jsonl(path)) if suffix == ".jsonl" else Dataset.from_json(str(path))
    if suffix == ".csv":
        return Dataset.from_csv(str(path))
    if suffix == ".parquet":
        return Dataset.from_parquet(str(path))
    raise ValueError(f"unsupported corpus file {path} (use .jsonl, .json, .csv or .parquet)")


def _read_any(path: Path) -> "datasets.DatasetDict":  # noqa: F821
    from datasets import Dataset, DatasetDict, load_from_disk

    if path.is_dir():
        if (path / "dataset_dict.json").exists() or (path / "dataset_info.json").exists():
            loaded = load_from_disk(str(path))
            return loaded if isinstance(loaded, DatasetDict) else DatasetDict({"train": loaded})
        parts = {}
        for split in SPLITS + ("validation",):
            for suffix in (".jsonl", ".csv", ".parquet"):
                if (path / f"{split}{suffix}").exists():
                    parts["dev" if split == "validation" else split] = _read_table(path / f"{split}{suffix}")
        if not parts:
            raise FileNotFoundError(f"{path} holds no train/dev/test files and is not a save_to_disk folder")
        return DatasetDict(parts)
    if not path.exists():
        raise FileNotFoundError(f"no corpus at {path}")
    table: Dataset = _read_table(path)
    return DatasetDict({"train": table})


def load(
    name_or_path: Union[str, Path] = "sales-hype",
    *,
    columns: Optional[Mapping[str, str]] = None,
    required: Sequence[str] = REQUIRED_COLUMNS,
) -> "datasets.DatasetDict":  # noqa: F821
    """Load a corpus as a ``DatasetDict``.

    ``"sales-hype"`` loads the bundled corpus with typed features (``label`` is a
    ``ClassLabel``, ``spans`` a sequence). A path loads a JSONL/CSV/Parquet file
    (one ``train`` split), a folder of ``train/dev/test`` files, or a
    ``save_to_disk`` folder. ``columns`` maps the names this library uses to the
    file's own (``{"text": "body", "level": "score"}``). A missing required column
    raises ``ValueError`` naming the columns that were found.
    """
    columns = dict(columns or {})
    if str(name_or_path) == "sales-hype":
        from datasets import Dataset, DatasetDict

        folder = corpus_dir("sales-hype")
        feats = features()
        return DatasetDict({
            split: Dataset.from_list(read_jsonl(folder / f"{split}.jsonl"), features=feats) for split in SPLITS
        })
    dd = _read_any(Path(name_or_path))
    for split, table in list(dd.items()):
        found = list(table.column_names)
        renames = {src: dst for dst, src in columns.items() if src != dst}
        missing = [src for src in renames if src not in found]
        missing += [col for col in required if col not in found and col not in columns]
        if missing:
            raise ValueError(
                f"corpus split {split!r} lacks column(s) {missing}; found columns: {found}. "
                "Map yours with columns={'text': '<your text column>', ...} (CLI: --text-col/--label-col)."
            )
        if renames:
            clash = [dst for dst in renames.values() if dst in found and dst not in renames]
            table = table.remove_columns(clash) if clash else table
            dd[split] = table.rename_columns(renames)
    return dd


_WORD = re.compile(r"[A-Za-z0-9']+")
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")


def shingles(text: str, n: int = 5) -> Set[int]:
    """Hashed word n-grams of a text (lowercased), for near-duplicate checks."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {
        int.from_bytes(hashlib.blake2b(" ".join(words[i:i + n]).encode(), digest_size=8).digest(), "big")
        for i in range(max(0, len(words) - n + 1))
    }


def near_duplicates(
    rows: Sequence[Mapping[str, Any]],
    *,
    threshold: float = 0.5,
    n: int = 5,
    across: str = "split",
    max_df: int = 25,
) -> List[Tuple[str, str, float]]:
    """Pairs ``(id_a, id_b, jaccard)`` with word n-gram Jaccard ≥ threshold whose ``across`` values differ.

    Candidate pairs are those sharing an n-gram that occurs in at most ``max_df``
    passages (stock phrases shared by many passages cannot make two of them near
    duplicates on their own); each candidate's Jaccard is computed exactly.
    """
    grams = [shingles(r["text"], n) for r in rows]
    index: Dict[int, List[int]] = defaultdict(list)
    for i, gs in enumerate(grams):
        for g in gs:
            index[g].append(i)
    candidates: Set[Tuple[int, int]] = set()
    for members in index.values():
        if 1 < len(members) <= max_df:
            candidates.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    pairs = []
    for a, b in candidates:
        if rows[a].get(across) == rows[b].get(across):
            continue
        inter = len(grams[a] & grams[b])
        union = len(grams[a]) + len(grams[b]) - inter
        score = inter / union if union else 0.0
        if score >= threshold:
            pairs.append((rows[a]["id"], rows[b]["id"], round(score, 3)))
    return pairs


def sentences(text: str, min_words: int = 4) -> List[str]:
    """Normalised sentences of at least ``min_words`` words (for repetition checks)."""
    out = []
    for sent in _SENT.split(text):
        norm = " ".join(sent.lower().split())
        if len(norm.split()) >= min_words:
            out.append(norm)
    return out


def repeated_sentences(rows: Iterable[Mapping[str, Any]], max_count: int = 3) -> Dict[str, int]:
    """Sentences that occur more than ``max_count`` times across the corpus."""
    counts: Counter = Counter()
    for row in rows:
        counts.update(set(sentences(row["text"])))
    return {s: c for s, c in counts.items() if c > max_count}


def level_shares(rows: Sequence[Mapping[str, Any]]) -> Dict[int, float]:
    """Share of each level 0–4."""
    counts = Counter(int(r["level"]) for r in rows)
    return {level: counts.get(level, 0) / max(1, len(rows)) for level in range(5)}
