import json
import pickle

import pytest

from hypedetect.archives import Document
from hypedetect.batch import Scorer, score_archive
from hypedetect.writers import read_records

POSTS = {
    "a.md": "---\ntitle: ABM\ndate: 2017-03-01\n---\nABM will triple your win rate. Act now!",
    "b.txt": "We tried MEDDICC for a year. It helped forecasting a little; it is not a silver bullet.",
    "c.txt": "",
    "d.md": "Social selling changes everything for every rep, guaranteed.",
}


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, text in POSTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "e.txt").write_bytes(b"\x00\x01binary")
    return folder


@pytest.fixture(scope="module")
def tags_only():
    return Scorer(classifier=False)


def test_every_post_becomes_one_record(archive, tmp_path, tags_only):
    out = tmp_path / "out.jsonl"
    seen = []
    summary = score_archive(archive, out, scorer=tags_only, batch_size=2, progress=seen.append)
    records = list(read_records(out))
    assert [r["source"].rsplit("/", 1)[-1] for r in records] == ["a.md", "b.txt", "c.txt", "d.md", "e.txt"]
    assert (summary.scored, summary.failed, summary.skipped) == (3, 2, 0) and sum(seen) == 5
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in records}
    assert by_name["a.md"]["title"] == "ABM" and by_name["a.md"]["date"] == "2017-03-01"
    assert "account-based-marketing" in by_name["a.md"]["methodologies"]
    assert by_name["c.txt"]["error"] == "empty text after extraction"
    assert "binary data" in by_name["e.txt"]["error"]


def test_rerun_skips_and_appends_new_posts(archive, tmp_path, tags_only):
    out = tmp_path / "out.jsonl"
    score_archive(archive, out, scorer=tags_only)
    (archive / "f.txt").write_text("RevOps is the operating system every team needs.", encoding="utf-8")
    summary = score_archive(archive, out, scorer=tags_only)
    assert (summary.scored, summary.failed, summary.skipped) == (1, 0, 5)
    ids = [r["id"] for r in read_records(out)]
    assert len(ids) == len(set(ids)) == 6
    summary = score_archive(archive, out, scorer=tags_only, force=True)
    assert (summary.scored, summary.skipped) == (4, 0) and len(list(read_records(out))) == 6


def test_outputs_agree_across_formats(archive, tmp_path, tags_only):
    results = {}
    for suffix in (".jsonl", ".csv", ".parquet"):
        score_archive(archive, tmp_path / f"out{suffix}", scorer=tags_only)
        results[suffix] = list(read_records(tmp_path / f"out{suffix}"))
    assert results[".jsonl"] == results[".csv"] == results[".parquet"]


def test_a_post_that_breaks_scoring_does_not_lose_the_batch(tmp_path, monkeypatch, tags_only):
    scorer = Scorer(classifier=False)
    real = scorer.nlp

    class Flaky:
        def pipe(self, texts, batch_size=None):
            texts = list(texts)
            if any("BOOM" in t for t in texts):
                raise RuntimeError("kaboom")
            return real.pipe(texts)

        def __call__(self, text):
            if "BOOM" in text:
                raise RuntimeError("kaboom")
            return real(text)

    scorer._nlp = Flaky()
    docs = [Document.make(t, "x", key=str(i)) for i, t in enumerate(["ABM works.", "BOOM", "MEDDICC helps."])]
    records = scorer.score(docs)
    assert [r["error"] for r in records] == [None, "scoring failed: RuntimeError: kaboom", None]
    assert records[2]["methodologies"] == ["meddicc"]


def test_scorer_pickles_without_its_pipeline_and_scores_column_batches(tags_only):
    tags_only.nlp
    clone = pickle.loads(pickle.dumps(tags_only))
    assert clone._nlp is None and clone.settings == tags_only.settings
    batch = {"id": ["1", "2"], "text": ["Sales 2.0 changes everything.", ""], "source": ["s", "s"],
             "title": [None, None], "date": ["2008-01-01", None], "url": [None, None],
             "error": [None, "empty text after extraction"]}
    out = clone(batch)
    records = [json.loads(r) for r in out["record"]]
    assert out["id"] == ["1", "2"] and records[0]["methodologies"] == ["sales-2-0"]
    assert records[0]["date"] == "2008-01-01" and records[1]["error"] == "empty text after extraction"


def test_full_model_scores_whole_posts(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "hype.md").write_text("Social selling will double your pipeline in 30 days. Every rep. Guaranteed!",
                                    encoding="utf-8")
    (folder / "calm.md").write_text("We ran social selling for two quarters. Replies rose slightly for senior reps "
                                    "and not at all for new ones, so we kept it as one channel among several.",
                                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    score_archive(folder, out)
    calm, hype = list(read_records(out))
    assert hype["hype"] > 0.5 > calm["hype"]
    assert hype["model"]["name"] and all(s["hype"] is not None for s in hype["sentences"])
    assert hype["text"].startswith("Social selling")


def test_spark_style_pandas_batches():
    import pandas as pd

    from hypedetect.batch import score_pandas_batches, shared_scorer

    frames = [pd.DataFrame({"id": ["1"], "text": ["MEDDICC fixes forecasting, guaranteed."], "source": ["p"],
                            "title": ["t"], "date": ["2020-01-01"], "url": [None], "error": [None]}),
              pd.DataFrame({"id": ["2"], "text": ["ABM helped a little."], "source": ["p"], "title": [None],
                            "date": [None], "url": [None], "error": [None]})]
    out = list(score_pandas_batches(iter(frames), {"classifier": False}))
    assert [list(f.columns) for f in out] == [["id", "record"], ["id", "record"]]
    records = [json.loads(f["record"][0]) for f in out]
    assert [r["methodologies"] for r in records] == [["meddicc"], ["account-based-marketing"]]
    assert shared_scorer(classifier=False) is shared_scorer(classifier=False)
