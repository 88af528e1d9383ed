import codecs

from hypedetect.archives import iter_documents


def _read(path):
    return list(iter_documents(path))


def test_yaml_front_matter(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: ABM at scale\ndate: 2017-03-01\nauthor: [A. One, B. Two]\ntags: abm, ops\n"
                    "url: https://example.com/abm\n---\n\nABM will triple your win rate.\n", encoding="utf-8")
    [doc] = _read(path)
    assert (doc.title, doc.date, doc.url, doc.author, doc.tags) == (
        "ABM at scale", "2017-03-01", "https://example.com/abm", "A. One, B. Two", ["abm", "ops"])
    assert doc.text == "ABM will triple your win rate." and doc.error is None


def test_toml_front_matter(tmp_path):
    path = tmp_path / "post.md"
    path.write_text('+++\ntitle = "RevOps"\ndate = 2021-02-11\ntags = ["revops"]\n+++\nRevOps fixes nothing alone.\n',
                    encoding="utf-8")
    [doc] = _read(path)
    assert (doc.title, doc.date, doc.tags, doc.text) == ("RevOps", "2021-02-11", ["revops"],
                                                         "RevOps fixes nothing alone.")


def test_markdown_heading_is_the_title_without_front_matter(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("# The CRM will not save you\n\nIt will not.", encoding="utf-8")
    assert _read(path)[0].title == "The CRM will not save you"


def test_broken_front_matter_is_a_record_error(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: [unclosed\n---\nBody", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: never closed\nBody", encoding="utf-8")
    (tmp_path / "c.md").write_text("Fine post.", encoding="utf-8")
    docs = _read(tmp_path)
    assert "invalid YAML front matter" in docs[0].error
    assert "never closed" in docs[1].error
    assert docs[2].error is None and docs[2].text == "Fine post."


def test_encodings_and_binary(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Le café: MEDDIC à la française.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "Social selling, “done right”.".encode("utf-16-le"))
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    docs = {d.source.rsplit("/", 1)[-1]: d for d in _read(tmp_path)}
    assert docs["latin1.txt"].text == "Le café: MEDDIC à la française."
    assert docs["utf16.txt"].text == "Social selling, “done right”."
    assert "binary data" in docs["image.txt"].error
    assert docs["empty.txt"].error == "empty text after extraction"


def test_oversized_file_is_refused_without_reading(tmp_path, monkeypatch):
    from hypedetect.archives import ArchiveOptions

    path = tmp_path / "huge.txt"
    path.write_text("word " * 5000, encoding="utf-8")
    [doc] = list(iter_documents(path, ArchiveOptions(max_chars=1000, max_file_bytes=4000)))
    assert "file too large" in doc.error and "--max-chars" in doc.error
