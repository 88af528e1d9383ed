import json
import shutil

import numpy as np
import pytest

from hypedetect.model import (Calibration, HypeModel, ModelLoadError, aggregate, check_model_folder, fit_level_cuts,
                              heads_to_scores, label_from_level, plan_windows)


def test_plan_windows_covers_every_token_once():
    lengths = [5, 300, 200, 40, 1200, 7, 0, 510]
    windows = plan_windows(lengths, 510)
    covered = {}
    for window in windows:
        assert sum(b - a for _, a, b in window) <= 510
        for index, a, b in window:
            for t in range(a, b):
                assert (index, t) not in covered
                covered[(index, t)] = True
    assert len(covered) == sum(lengths)


def test_heads_to_scores_ranges():
    logits = np.random.default_rng(0).normal(size=(50, 5))
    for objective, width in (("levels", 5), ("ordinal", 4), ("regression", 1), ("3class", 3)):
        out = heads_to_scores(logits[:, :width], objective)
        assert out["level"].min() >= 0 and out["level"].max() <= 4
        assert np.allclose(out["probs3"].sum(axis=1), 1.0)


def test_three_class_head_maps_classes_to_levels():
    out = heads_to_scores(np.array([[9.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 9.0]]), "3class")
    assert np.allclose(out["level"], [0.0, 2.0, 4.0], atol=0.01)
    assert out["raw_logit"][0] < 0 < out["raw_logit"][2]
    assert out["probs3"].argmax(axis=1).tolist() == [0, 1, 2]


def test_aggregation_mean_is_length_weighted():
    outs = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert np.allclose(aggregate(outs, [3, 1], "mean", "regression"), [0.5, 1.5])
    with pytest.raises(ValueError):
        aggregate(outs, [1, 1], "median", "regression")


def test_calibration_fit_is_monotone_and_round_trips():
    raw = np.linspace(-4, 4, 200)
    y = (raw + np.random.default_rng(1).normal(scale=1.0, size=200) > 0).astype(int)
    cal = Calibration.fit(raw, y, fitted_on="unit")
    probs = cal(raw)
    assert np.all(np.diff(probs) >= 0) and 0 < probs[0] < 0.2 and 0.8 < probs[-1] < 1
    assert Calibration.from_dict(cal.to_dict()) == cal


def test_level_cuts():
    cuts, f1 = fit_level_cuts([0.2, 1.0, 1.9, 2.2, 3.1, 3.9], ["nuance", "nuance", "mixed", "mixed", "hype", "hype"])
    assert f1 == 1.0
    assert label_from_level([0.2, 2.0, 3.5], cuts) == ["nuance", "mixed", "hype"]


def test_refuses_pickled_weights_and_remote_code(tmp_path, model_dir):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "pytorch_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(ModelLoadError, match="only pickled weights"):
        check_model_folder(tmp_path)
    remote = tmp_path / "remote"
    shutil.copytree(model_dir, remote)
    config = json.loads((remote / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSequenceClassification": "evil.Model"}
    (remote / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="remote code"):
        HypeModel.load(remote)


def test_missing_and_corrupt_folders_name_the_path(tmp_path, model_dir):
    with pytest.raises(ModelLoadError, match=str(tmp_path / "nope")):
        check_model_folder(tmp_path / "nope")
    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelLoadError, match="could not load model from"):
        HypeModel.load(broken)


def test_plain_transformers_pipeline_loads_the_shipped_model(model_dir):
    from transformers import pipeline

    clf = pipeline("text-classification", model=str(model_dir))
    out = clf("Social selling will 10x your pipeline overnight. Act now!")
    assert out[0]["label"].startswith("level_")


def test_model_reads_long_texts_whole(model_dir):
    model = HypeModel.load(model_dir)
    text = " ".join(["Our pipeline review found the ABM pilot helped a little in enterprise accounts."] * 300)
    ids = model.tokenize([text])[0]
    assert len(ids) > 3 * model.budget
    [res] = model.score_token_docs([[ids]], sentence_scores=False)
    assert res["windows"] == -(-len(ids) // model.budget)
    assert 0.0 <= res["hype"] <= 1.0 and 0.0 <= res["level"] <= 4.0


def test_choose_dtype_resolves_per_device():
    from hypedetect.model import choose_dtype

    assert choose_dtype("fp32", "cuda") == "fp32" and choose_dtype("bf16") == "bf16"
    assert choose_dtype("auto", "cpu") in ("bf16", "fp32")
    with pytest.raises(ValueError, match="dtype must be"):
        choose_dtype("fp8")


def test_smaller_budget_reads_more_windows_and_keeps_scores_in_range(model_dir):
    model = HypeModel.load(model_dir)
    text = "Act now. " * 40 + "This will double your pipeline in 30 days."
    [full] = model.score_texts([text])
    [small] = model.score_texts([text], budget=32)
    assert full["windows"] == 1 and small["windows"] > 3
    assert 0 <= small["hype"] <= 1 and isinstance(small["raw_logit"], float)


def test_length_batches_bound_tokens_and_padding():
    import random

    from hypedetect.model import length_batches

    rng = random.Random(3)
    lengths = [rng.choice([rng.randint(5, 60), rng.randint(100, 512)]) for _ in range(2000)]
    batches = length_batches(lengths, 8192, max_padding=0.1)
    assert sorted(i for b in batches for i in b) == list(range(2000))
    padded = sum(max(lengths[i] for i in b) * len(b) for b in batches)
    assert padded <= 1.1 * sum(lengths)
    assert all(max(lengths[i] for i in b) * len(b) <= 8192 or len(b) == 1 for b in batches)
    assert len(batches) < 400
