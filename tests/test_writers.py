import json

import pytest

from hypedetect.records import RECORD_FIELDS, error_record
from hypedetect.writers import OutputError, RecordWriter, output_format, read_records, repair_jsonl


def _record(i, **extra):
    record = error_record("x", {"id": f"id{i}", "source": "s"})
    record.update({"error": None, "hype": i / 10, "text": f"post, \"{i}\"\nline two",
                   "spans": [{"start": 0, "end": 4, "label": "PROMISE", "text": "post", "id": None,
                              "stance": "asserted"}],
                   "sentences": [{"start": 0, "end": 8, "hype": 0.5}], "methodologies": ["abm"],
                   "model": {"name": "m", "version": "1", "dtype": "fp32"}}, **extra)
    return record


def test_suffix_picks_the_format():
    assert [output_format(p) for p in ("a.jsonl", "b.CSV", "c.parquet")] == ["jsonl", "csv", "parquet"]
    with pytest.raises(OutputError, match=".jsonl, .csv or .parquet"):
        output_format("out.txt")


def test_torn_last_line_is_cut(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "b"}\n{"id": "c", "hy')
    assert repair_jsonl(path) == len(b'{"id": "c", "hy')
    assert path.read_bytes() == b'{"id": "a"}\n{"id": "b"}\n'
    assert repair_jsonl(path) == 0
    path.write_bytes(b'{"id": "only-torn"')
    repair_jsonl(path)
    assert path.read_bytes() == b""


def test_a_corrupt_middle_line_is_not_silently_skipped(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\ngarbage\n{"id": "b"}\n')
    with pytest.raises(OutputError, match="line 2 is not a JSON record"):
        RecordWriter(path)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_resume_appends_and_round_trips(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    with RecordWriter(path) as writer:
        writer.write([_record(0), _record(1)])
    with RecordWriter(path) as writer:
        assert writer.done == {"id0", "id1"}
        writer.write([_record(2)])
    records = list(read_records(path))
    assert [r["id"] for r in records] == ["id0", "id1", "id2"]
    assert records[2] == {name: _record(2)[name] for name in RECORD_FIELDS}
    assert not (tmp_path / f"out{suffix}.partial.jsonl").exists()
    with RecordWriter(path, force=True) as writer:
        assert writer.done == set()
        writer.write([_record(9)])
    assert [r["id"] for r in read_records(path)] == ["id9"]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_crashed_table_run_resumes_from_its_journal(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    with RecordWriter(path) as writer:
        writer.write([_record(0)])
    journal = tmp_path / f"out{suffix}.partial.jsonl"
    journal.write_bytes((json.dumps(_record(1)) + "\n" + json.dumps(_record(0)) + "\n" + '{"id": "tor').encode())
    with RecordWriter(path) as writer:
        assert writer.done == {"id0", "id1"}
        writer.write([_record(2)])
    assert [r["id"] for r in read_records(path)] == ["id0", "id1", "id2"]
