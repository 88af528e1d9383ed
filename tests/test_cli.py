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


def _archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: ABM\ndate: 2017-03-01\n---\nABM will triple your win rate.\n",
                                 encoding="utf-8")
    (folder / "b.txt").write_text("MEDDICC helped our forecast a little.", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x00binary")
    return folder


def test_score_writes_records_resumes_and_summarises(tmp_path, capsys):
    folder, out = _archive(tmp_path), tmp_path / "scores.jsonl"
    assert main(["score", str(folder), "-o", str(out), "--tags-only"]) == 0
    err = capsys.readouterr().err
    assert "2 scored, 0 skipped" in err and "1 failed" in err and "c.txt: binary data" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert main(["score", str(folder), "-o", str(out), "--tags-only"]) == 0
    assert "0 scored, 3 skipped" in capsys.readouterr().err
    assert main(["score", str(folder), "-o", str(out), "--tags-only", "--force"]) == 0
    assert "2 scored, 0 skipped" in capsys.readouterr().err


def test_score_table_columns(tmp_path, capsys):
    path = tmp_path / "posts.csv"
    path.write_text("post_id,body\np1,Social selling is the only way.\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert main(["score", str(path), "-o", str(out), "--tags-only", "--text-col", "body", "--id-col", "post_id"]) == 0
    from hypedetect.writers import read_records

    [record] = list(read_records(out))
    assert record["id"] == "p1" and record["methodologies"] == ["social-selling"]


def test_score_and_report_usage_errors(tmp_path, capsys):
    folder = _archive(tmp_path)
    assert main(["score", str(folder), "-o", str(tmp_path / "out.txt")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"hypedetect: error: output must end in .jsonl, .csv or .parquet, got '{tmp_path / 'out.txt'}'")
    assert main(["score", str(folder), "-o", str(tmp_path / "o.jsonl"), "--engine", "spark"]) == 2
    assert "--engine must be local or ray" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.jsonl")]) == 2
    assert capsys.readouterr().err.strip().startswith("hypedetect: error: no such file")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "r.html")]) == 2
    assert "line 1 is not a JSON record" in capsys.readouterr().err


def test_report_from_scores(tmp_path, capsys):
    folder, out = _archive(tmp_path), tmp_path / "scores.jsonl"
    assert main(["score", str(folder), "-o", str(out), "--tags-only"]) == 0
    html_path = tmp_path / "report.html"
    assert main(["report", str(out), "-o", str(html_path), "--title", "<b>Q3</b>"]) == 0
    page = html_path.read_text(encoding="utf-8")
    assert "&lt;b&gt;Q3&lt;/b&gt;" in page and "<b>Q3</b>" not in page
    assert "account-based-marketing" in page


def test_bad_options_are_one_line_usage_errors(tmp_path, capsys):
    assert main(["score", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("hypedetect: error: ") and "--output" in err
    assert main(["score", str(tmp_path), "-o", "x.jsonl", "--no-such-flag"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-flag" in err
    assert main(["frobnicate"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _broken_model(tmp_path, model_dir, *, pickled=False):
    import shutil

    broken = tmp_path / "broken-model"
    shutil.copytree(model_dir, broken)
    if pickled:
        (broken / "model.safetensors").unlink()
        (broken / "pytorch_model.bin").write_bytes(b"\x80\x04pickle")
    else:
        (broken / "model.safetensors").write_bytes(b"garbage")
    return broken


def test_failures_are_one_line_exit_1_and_debug_shows_the_traceback(tmp_path, capsys, model_dir):
    folder = _archive(tmp_path)
    for pickled in (False, True):
        broken = _broken_model(tmp_path / str(pickled), model_dir, pickled=pickled)
        out = tmp_path / f"scores-{pickled}.jsonl"
        assert main(["score", str(folder), "-o", str(out), "--model", str(broken)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("hypedetect: error: ModelLoadError") and str(broken) in err[0]
        assert "only pickled weights" in err[0] if pickled else "could not load model" in err[0]
        assert not out.exists() or out.read_text(encoding="utf-8") == ""
    import pytest

    with pytest.raises(Exception, match="could not load model"):
        main(["--debug", "score", str(folder), "-o", str(tmp_path / "d.jsonl"), "--model",
              str(tmp_path / "False" / "broken-model")])
