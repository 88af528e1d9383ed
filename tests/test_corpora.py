"""Checks on the bundled sales-hype corpus and on the generic corpus loader."""
import json
from collections import Counter

import pytest

from hypedetect import corpora
from hypedetect.tagging import methodology_index

FOLDER = corpora.corpus_dir("sales-hype")


@pytest.fixture(scope="module")
def rows():
    out = []
    for split in corpora.SPLITS:
        for row in corpora.read_jsonl(FOLDER / f"{split}.jsonl"):
            out.append(dict(row, split=split))
    return out


def test_size_lengths_and_level_shares(rows):
    assert len(rows) >= 1500
    words = sorted(len(r["text"].split()) for r in rows)
    assert words[0] >= 40 and words[-1] <= 600
    assert words[len(words) // 2] >= 120
    for level, share in corpora.level_shares(rows).items():
        assert share >= 0.15, f"level {level} is {share:.1%} of the corpus"


def test_fields_and_derived_label(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["label"] == corpora.level_to_label(r["level"])
        assert r["genre"] in corpora.GENRES
        assert 2005 <= r["year"] <= 2026
        assert r["persona"] and r["topic"]
        assert r["hard_case"] is None or r["hard_case"] in corpora.HARD_CASES
        assert set(r["methodologies"]) <= set(methodology_index())
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
            assert s["label"] in {"METHODOLOGY", "PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT"}
            assert s["stance"] in {"asserted", "negated", "reported"}


def test_diversity(rows):
    assert len({r["genre"] for r in rows}) >= 12
    assert len({r["persona"] for r in rows}) >= 60
    assert len({m for r in rows for m in r["methodologies"]}) >= 80
    years = {r["year"] for r in rows}
    assert min(years) == 2005 and max(years) == 2026
    assert sum(r["hard_case"] is not None for r in rows) >= 0.25 * len(rows)
    assert sum(bool(r["spans"]) for r in rows) >= 500


def test_splits_are_70_15_15_and_grouped(rows):
    counts = Counter(r["split"] for r in rows)
    assert abs(counts["train"] / len(rows) - 0.70) < 0.03
    assert abs(counts["dev"] / len(rows) - 0.15) < 0.03
    groups = {}
    for r in rows:
        key = (r["persona"], r["topic"])
        assert groups.setdefault(key, r["split"]) == r["split"], f"group {key} crosses splits"


def test_no_near_duplicates_across_splits(rows):
    assert corpora.near_duplicates(rows, threshold=0.5, across="split") == []


def test_no_sentence_repeated_more_than_three_times(rows):
    assert corpora.repeated_sentences(rows, max_count=3) == {}


def test_near_duplicate_and_repetition_checks_can_fail():
    text = "Social selling will double your pipeline in ninety days if you post every single morning."
    rows = [{"id": "a", "text": text, "split": "train"}, {"id": "b", "text": text + " Really.", "split": "test"}]
    assert corpora.near_duplicates(rows, threshold=0.5) == [("a", "b", pytest.approx(0.9, abs=0.1))]
    assert corpora.repeated_sentences([{"text": "We tried it for a year."}] * 4) == {"we tried it for a year.": 4}
    assert corpora.level_shares([{"level": 0}] * 9 + [{"level": 4}])[4] == pytest.approx(0.1)


def test_load_bundled_corpus_has_typed_features():
    dd = corpora.load("sales-hype")
    assert set(dd) == {"train", "dev", "test"}
    assert dd["train"].features["label"].names == ["nuance", "mixed", "hype"]
    row = dd["dev"][0]
    assert isinstance(row["label"], int) and isinstance(row["spans"], list)


def test_load_file_with_column_mapping(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps({"body": f"text {i}", "score": i % 5}) for i in range(6)), encoding="utf-8")
    dd = corpora.load(path, columns={"text": "body", "level": "score"})
    assert dd["train"].column_names == ["text", "level"]
    csv = tmp_path / "mine.csv"
    csv.write_text("body,score\nhello,1\n", encoding="utf-8")
    assert corpora.load(csv, columns={"text": "body"})["train"][0]["text"] == "hello"


def test_missing_column_names_what_was_found(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"content": "x", "score": 1}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['text'\]; found columns: \['content', 'score'\]"):
        corpora.load(path)


def test_save_to_disk_folder_round_trip(tmp_path):
    dd = corpora.load("sales-hype")
    dd.save_to_disk(str(tmp_path / "saved"))
    again = corpora.load(tmp_path / "saved")
    assert again["test"].num_rows == dd["test"].num_rows
