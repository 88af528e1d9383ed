import json

import pytest

from hypedetect.archives import ArchiveOptions, iter_documents

ROWS = [
    {"post_id": "p1", "body": "ABM will triple your win rate, guaranteed.", "published": "2017-03-01", "title": "A"},
    {"post_id": "p2", "body": "MEDDICC is a checklist, not a religion.", "published": "2019-11-18", "title": "B"},
]
OPTIONS = ArchiveOptions(text_col="body", id_col="post_id", date_col="published")


def _check(docs):
    assert [(d.id, d.text, d.date, d.title) for d in docs] == [
        ("p1", ROWS[0]["body"], "2017-03-01", "A"), ("p2", ROWS[1]["body"], "2019-11-18", "B")]


def test_jsonl_csv_parquet_and_save_to_disk(tmp_path):
    import pandas as pd
    from datasets import Dataset

    (tmp_path / "posts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    pd.DataFrame(ROWS).to_csv(tmp_path / "posts.csv", index=False)
    pd.DataFrame(ROWS).to_parquet(tmp_path / "posts.parquet")
    Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "hf"))
    for name in ("posts.jsonl", "posts.csv", "posts.parquet", "hf"):
        _check(list(iter_documents(tmp_path / name, OPTIONS)))


def test_default_columns_and_row_ids(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "one", "date": "2020-01-01"}\n{"text": "two"}\n', encoding="utf-8")
    docs = list(iter_documents(path))
    assert [d.text for d in docs] == ["one", "two"] and docs[0].date == "2020-01-01"
    assert docs[0].id != docs[1].id and docs[0].id == list(iter_documents(path))[0].id


def test_bad_rows_become_record_errors(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"text": "good one"}\nnot json\n[1, 2]\n{"other": 1}\n{"text": "\xff\xfe"}\n'
                     b'{"text": 5}\n{"text": ""}\n{"text": "good two"}\n')
    docs = list(iter_documents(path))
    assert [d.text for d in docs if d.error is None] == ["good one", "good two"]
    errors = [d.error for d in docs if d.error]
    assert len(errors) == 6
    assert errors[0].startswith("line 2: not valid UTF-8 JSON") and "no text column 'text'" in errors[2]
    assert "text is not a string" in errors[4] and errors[5] == "empty text after extraction"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_missing_text_column_is_one_file_error(tmp_path, suffix):
    import pandas as pd

    path = tmp_path / f"posts{suffix}"
    frame = pd.DataFrame(ROWS)
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
    [doc] = list(iter_documents(path))
    assert "no text column 'text'" in doc.error and "--text-col" in doc.error


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "posts.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    [doc] = list(iter_documents(path))
    assert "not a readable Parquet file" in doc.error
