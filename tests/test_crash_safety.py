"""Kill a running ``hypedetect score`` with SIGKILL, rerun it, and compare with an uninterrupted run."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hypedetect.writers import read_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "archive"


def _score(archive, out, *extra):
    return [sys.executable, "-m", "hypedetect.cli", "score", str(archive), "-o", str(out), "--batch-size", "2", *extra]


def _lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_midway(command, watch, min_lines, env):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _lines(watch) < min_lines and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return process.returncode


@pytest.fixture(scope="module")
def env():
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash") / "archive"
    for name in ("markdown", "wordpress", "text"):
        shutil.copytree(EXAMPLES / name, folder / name)
    (folder / "text" / "broken.txt").write_bytes(b"\x00\x01binary")
    return folder


@pytest.fixture(scope="module")
def reference(archive, env):
    out = archive.parent / "reference.jsonl"
    subprocess.run(_score(archive, out), env=env, check=True, capture_output=True)
    return list(read_records(out))


def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path, archive, env, reference):
    out = tmp_path / "out.jsonl"
    assert _kill_midway(_score(archive, out), out, 4, env) == -signal.SIGKILL
    assert 4 <= _lines(out) < len(reference)
    with open(out, "ab") as handle:
        handle.write(b'{"id": "torn-by-the-kill", "source": "x", "hy')
    result = subprocess.run(_score(archive, out), env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "removed a torn last line" in result.stderr
    resumed = list(read_records(out))
    assert [r["id"] for r in resumed] == [r["id"] for r in reference]
    assert len({r["id"] for r in resumed}) == len(resumed) == 23
    assert resumed == reference


def test_sigkill_of_a_parquet_output_resumes_from_its_journal(tmp_path, archive, env, reference):
    out = tmp_path / "out.parquet"
    journal = tmp_path / "out.parquet.partial.jsonl"
    _kill_midway(_score(archive, out), journal, 4, env)
    assert journal.exists() and not out.exists()
    subprocess.run(_score(archive, out), env=env, check=True, capture_output=True)
    assert not journal.exists()
    assert list(read_records(out)) == reference
