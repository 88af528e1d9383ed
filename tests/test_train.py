"""A one-epoch training run on a tiny corpus: the recipe writes a complete, loadable model folder."""
import json

from hypedetect.corpora import SPLITS, corpus_dir, read_jsonl
from hypedetect.model import HypeModel
from hypedetect.train import BASE_SHA256, TrainConfig, base_model_dir, train


def test_base_model_hash_is_verified():
    assert base_model_dir(verify=True).is_dir()
    assert len(BASE_SHA256) == 64


def test_tiny_training_run_writes_a_standard_folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for split in SPLITS:
        rows = read_jsonl(corpus_dir() / f"{split}.jsonl")
        picked = [next(r for r in rows if r["level"] == lv and len(r["text"]) < 600) for lv in range(5)]
        (folder / f"{split}.jsonl").write_text("\n".join(json.dumps(r) for r in picked * 2), encoding="utf-8")
    out = tmp_path / "model"
    metrics = train(folder, out, TrainConfig(epochs=1, batch_size=5))
    for name in ("config.json", "model.safetensors", "tokenizer.json", "calibration.json", "metrics.json"):
        assert (out / name).is_file(), name
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"] == {str(i): f"level_{i}" for i in range(5)}
    assert config["hypedetect"]["objective"] == "levels"
    assert metrics["selected_epoch"] == 1 and metrics["test"]["n"] == 10
    model = HypeModel.load(out)
    [res] = model.score_texts(["Act now: this tool doubles your pipeline."])
    assert 0.0 <= res["hype"] <= 1.0


def test_examples_split_long_texts_into_chunks_without_loss():
    from transformers import AutoTokenizer

    from hypedetect.train import _examples

    tok = AutoTokenizer.from_pretrained(str(base_model_dir(verify=False)))
    text = " ".join(f"word{i}" for i in range(400))
    full = tok([text], add_special_tokens=False)["input_ids"][0]
    seqs, labs, tags = _examples(tok, [text, "short"], [3, 1], budget=128)
    assert tags is None
    assert [t for s in seqs[:-1] for t in s] == full
    assert max(map(len, seqs)) <= 128 and len(seqs) - 1 == -(-len(full) // 128)
    assert labs == [3] * (len(seqs) - 1) + [1]
    assert min(map(len, seqs[:-1])) > 128 // 2


def test_span_tags_follow_the_gold_spans_through_the_chunks():
    from transformers import AutoTokenizer

    from hypedetect.train import SPAN_TAGS, _examples

    tok = AutoTokenizer.from_pretrained(str(base_model_dir(verify=False)))
    text = "Vendors say ABM doubles your pipeline. " * 20 + "It will not."
    promise = text.index("doubles your pipeline")
    spans = [[{"start": promise, "end": promise + len("doubles your pipeline"), "label": "PROMISE", "stance": "reported"}],
             []]
    seqs, _, tags = _examples(tok, [text, "no spans here"], [1, 0], budget=64, spans=spans)
    assert [len(s) for s in seqs] == [len(t) for t in tags]
    first = tok.convert_ids_to_tokens(seqs[0])
    tagged = [tok_ for tok_, tag in zip(first, tags[0]) if tag > 0]
    assert tagged[:3] == ["doubles", "your", "pipeline"]
    assert {SPAN_TAGS[t] for t in tags[0] if t > 0} == {"PROMISE:reported"}
    assert set(tags[-1]) == {-100}


def test_span_auxiliary_and_three_class_objectives_train(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for split in SPLITS:
        rows = read_jsonl(corpus_dir() / f"{split}.jsonl")
        picked = [next(r for r in rows if r["level"] == lv and len(r["text"]) < 500 and r["spans"]) for lv in range(5)]
        (folder / f"{split}.jsonl").write_text("\n".join(json.dumps(r) for r in picked), encoding="utf-8")
    out = tmp_path / "model"
    train(folder, out, TrainConfig(epochs=1, batch_size=5, objective="3class", span_aux=0.5))
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"] == {"0": "nuance", "1": "mixed", "2": "hype"}
    assert config["hypedetect"]["train_config"]["span_aux"] == 0.5
    from safetensors import safe_open

    with safe_open(str(out / "model.safetensors"), "pt") as f:
        assert not any("span" in k for k in f.keys())
    [res] = HypeModel.load(out).score_texts(["Act now: this tool doubles your pipeline."])
    assert 0.0 <= res["level"] <= 4.0 and 0.0 <= res["hype"] <= 1.0
