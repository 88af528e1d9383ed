"""A 50 MB post is refused by a documented, configurable limit, in bounded memory, and the batch goes on."""
import json
import tracemalloc

from hypedetect.archives import ArchiveOptions, iter_documents
from hypedetect.archives.base import DEFAULT_MAX_CHARS

FIFTY_MB = 50 * 1024 * 1024


def _write_big(path, prefix=b"", suffix=b""):
    chunk = b"Social selling will double your pipeline. " * 1024
    with open(path, "wb") as handle:
        handle.write(prefix)
        for _ in range(FIFTY_MB // len(chunk) + 1):
            handle.write(chunk)
        handle.write(suffix)


def test_a_50mb_text_file_is_refused_without_being_read(tmp_path):
    _write_big(tmp_path / "a-huge.md")
    (tmp_path / "b-small.md").write_text("ABM is not a silver bullet.", encoding="utf-8")
    list(iter_documents(tmp_path / "b-small.md"))
    tracemalloc.start()
    docs = list(iter_documents(tmp_path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    assert docs[0].error.startswith("file too large") and "--max-chars" in docs[0].error
    assert docs[1].error is None


def test_a_50mb_row_in_a_table_becomes_one_error_record(tmp_path):
    path = tmp_path / "posts.jsonl"
    _write_big(path, prefix=b'{"id": "big", "text": "', suffix=b'"}\n')
    with open(path, "ab") as handle:
        handle.write((json.dumps({"id": "small", "text": "MEDDICC helps a little."}) + "\n").encode())
    docs = list(iter_documents(path))
    assert [d.id for d in docs] == ["big", "small"]
    assert docs[0].error.startswith("post too long") and f"{DEFAULT_MAX_CHARS:,}" in docs[0].error
    assert docs[0].text == "" and docs[1].error is None


def test_the_limit_is_configurable(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text("word " * 2000, encoding="utf-8")
    assert list(iter_documents(path))[0].error is None
    [doc] = list(iter_documents(path, ArchiveOptions(max_chars=5000)))
    assert doc.error == "post too long: 10,000 characters > limit 5,000 (raise --max-chars)"
