import json

from hypedetect import error_record, to_record
from hypedetect.records import RECORD_FIELDS, stable_id


def test_record_schema_is_json_safe(tagger):
    doc = tagger("Vendors claim social selling will 10x your pipeline. It didn't.")
    record = to_record(doc, {"source": "a.md", "title": "T", "date": "2020-01-02", "url": "https://x"})
    assert tuple(record) == RECORD_FIELDS
    json.dumps(record)
    assert record["methodologies"] == ["social-selling"]
    assert record["error"] is None
    assert record["id"] == stable_id(doc.text, "a.md")
    for span in record["spans"]:
        assert doc.text[span["start"]:span["end"]] == span["text"]
        assert span["stance"] in {"asserted", "negated", "reported"}
    assert [s["start"] for s in record["sentences"]] == [0, 53]


def test_ids_are_stable_and_source_sensitive():
    assert stable_id("x", "a") == stable_id("x", "a")
    assert stable_id("x", "a") != stable_id("x", "b")


def test_error_record_has_the_same_fields():
    record = error_record("could not decode:\n bad byte", {"source": "b.txt"})
    assert tuple(record) == RECORD_FIELDS
    assert record["error"] == "could not decode: bad byte"
    assert record["hype"] is None and record["spans"] == []
