import os

import pytest

from hypedetect.archives import iter_documents


def test_directories_are_walked_in_order_skipping_unknown_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.md").write_text("Two.", encoding="utf-8")
    (tmp_path / "1.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.md").write_text("Hidden.", encoding="utf-8")
    assert [d.text for d in iter_documents(tmp_path)] == ["One.", "Two."]


def test_symlink_loops_and_broken_links_are_reported(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("A post.", encoding="utf-8")
    os.symlink(tmp_path / "posts", tmp_path / "posts" / "loop")
    os.symlink(tmp_path / "self.md", tmp_path / "self.md")
    os.symlink(tmp_path / "missing.md", tmp_path / "dangling.md")
    docs = list(iter_documents(tmp_path))
    assert [d.text for d in docs if not d.error] == ["A post."]
    errors = sorted(d.error for d in docs if d.error)
    assert errors == ["broken symbolic link", "cannot stat: Too many levels of symbolic links",
                      "symbolic link loop (directory already visited)"]


def test_unreadable_file_is_one_error_and_the_rest_goes_on(tmp_path, monkeypatch):
    from hypedetect.archives import base

    (tmp_path / "a.md").write_text("Readable one.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Locked.", encoding="utf-8")
    (tmp_path / "c.md").write_text("Readable two.", encoding="utf-8")
    real = base.read_limited

    def locked(path, limit):
        if path.name == "b.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, limit)

    monkeypatch.setattr("hypedetect.archives.text.read_limited", locked)
    docs = list(iter_documents(tmp_path))
    assert [d.text for d in docs] == ["Readable one.", "", "Readable two."]
    assert docs[1].error.startswith("cannot read file: PermissionError") and docs[1].source.endswith("b.md")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Secret.", encoding="utf-8")
    path.chmod(0)
    [doc] = list(iter_documents(tmp_path))
    assert "Permission denied" in doc.error


def test_named_paths_that_do_not_exist_or_are_unsupported(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK")
    docs = list(iter_documents([tmp_path / "nope.md", tmp_path / "x.docx"]))
    assert docs[0].error == "no such file or directory"
    assert docs[1].error.startswith("unsupported file type '.docx'")
