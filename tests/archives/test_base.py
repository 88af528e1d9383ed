import codecs
import datetime as dt

import pytest

from hypedetect.archives import ArchiveError, Document, decode_bytes, normalize_date


@pytest.mark.parametrize("value, expected", [
    ("2016-09-02", "2016-09-02"),
    (dt.date(2016, 9, 2), "2016-09-02"),
    ("2016-09-02 10:30:00", "2016-09-02T10:30:00"),
    ("2016-09-02T10:30:00Z", "2016-09-02T10:30:00+00:00"),
    ("Fri, 02 Sep 2016 10:30:00 +0000", "2016-09-02T10:30:00+00:00"),
    ("0000-00-00 00:00:00", None),
    ("last Tuesday", None),
    (None, None),
])
def test_dates_become_iso_8601(value, expected):
    assert normalize_date(value) == expected


def test_decoding_follows_bom_then_utf8_then_cp1252():
    text = "Café — “ABM” works"
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text
    assert decode_bytes("Café résumé naïve".encode("latin-1")) == "Café résumé naïve"
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 20, "binary"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "invalid UTF-16-LE"),
])
def test_binary_and_broken_bytes_are_refused(data, reason):
    with pytest.raises(ArchiveError, match=reason):
        decode_bytes(data)


def test_documents_get_stable_ids_and_errors():
    a = Document.make("Same text", "feed.xml", key="1")
    b = Document.make("Same text", "feed.xml", key="2")
    assert a.id != b.id and a.id == Document.make("Same text", "feed.xml", key="1").id
    assert Document.make("  \n", "x.md").error == "empty text after extraction"
    long = Document.make("x" * 50, "x.md", options=type("O", (), {"max_chars": 10})())
    assert "post too long" in long.error and long.text == ""
    assert Document.make("a\r\nb\rc", "x.md").text == "a\nb\nc"
