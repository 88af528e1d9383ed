import shutil
from pathlib import Path

import pytest

from hypedetect.batch import Scorer, score_archive
from hypedetect.writers import read_records

pytest.importorskip("ray.data")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "archive"


@pytest.fixture(scope="module")
def ray_local():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_engine_writes_the_same_records_as_the_local_engine(tmp_path, ray_local):
    archive = tmp_path / "archive"
    shutil.copytree(EXAMPLES / "markdown", archive / "markdown")
    shutil.copytree(EXAMPLES / "tables", archive / "tables")
    (archive / "broken.txt").write_bytes(b"\x00\x01binary")
    scorer = Scorer()
    local = score_archive(archive, tmp_path / "local.jsonl", scorer=scorer, batch_size=4)
    distributed = score_archive(archive, tmp_path / "ray.jsonl", scorer=scorer, batch_size=4, engine="ray", workers=1)
    assert (local.scored, local.failed) == (distributed.scored, distributed.failed) == (25, 1)
    a, b = list(read_records(tmp_path / "local.jsonl")), list(read_records(tmp_path / "ray.jsonl"))
    assert [r["id"] for r in a] == [r["id"] for r in b]
    for left, right in zip(a, b):
        assert left.keys() == right.keys()
        for key in left:
            if key in ("hype", "hype_level"):
                assert left[key] == pytest.approx(right[key], abs=1e-5)
            elif key == "sentences":
                assert [(s["start"], s["end"]) for s in left[key]] == [(s["start"], s["end"]) for s in right[key]]
                assert [s["hype"] for s in left[key]] == pytest.approx([s["hype"] for s in right[key]], abs=1e-5)
            else:
                assert left[key] == right[key], key
    resumed = score_archive(archive, tmp_path / "ray.jsonl", scorer=scorer, engine="ray")
    assert (resumed.scored, resumed.skipped) == (0, 26)
