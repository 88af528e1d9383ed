import json

from hypedetect.cli import main


def test_tag_prints_spans(tmp_path, capsys):
    path = tmp_path / "post.txt"
    path.write_text("Vendors claim ABM doubles your pipeline.", encoding="utf-8")
    assert main(["tag", str(path)]) == 0
    out = capsys.readouterr().out
    assert "METHODOLOGY" in out and "account-based-marketing" in out and "reported" in out


def test_tag_json_lines(tmp_path, capsys):
    path = tmp_path / "post.txt"
    path.write_text("It will not double your pipeline.", encoding="utf-8")
    assert main(["tag", "--json", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [{"source": str(path), "start": 12, "end": 32, "label": "PROMISE", "stance": "negated",
                     "id": None, "text": "double your pipeline"}]


def test_tag_reads_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Act now!"))
    assert main(["tag", "-"]) == 0
    assert "URGENCY" in capsys.readouterr().out


def test_missing_file_is_one_line_usage_error(capsys):
    assert main(["tag", "does-not-exist.txt"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "hypedetect: error: no such file: does-not-exist.txt"


def test_non_utf8_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"caf\xe9 \xff\xfe")
    assert main(["tag", str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
