import shutil

import numpy as np
import pytest

import hypedetect
from hypedetect.model import SENTENCE_HEAD_FILE, HypeModel, load_sentence_head, save_sentence_head
from hypedetect.sentence_head import _fit, fidelity, sentence_features

TEXTS = [
    "Social selling will double your pipeline in 30 days. Every rep, guaranteed! Act now.",
    "We tried MEDDICC for a year. Forecasts improved a little. It is not a silver bullet.",
    "ABM is the only strategy that works. Vendors say so. Our data says otherwise.",
]


@pytest.fixture(scope="module")
def bare_model(tmp_path_factory, model_dir):
    folder = tmp_path_factory.mktemp("bare") / "model"
    shutil.copytree(model_dir, folder)
    (folder / SENTENCE_HEAD_FILE).unlink(missing_ok=True)
    return folder


def _count_sequences(monkeypatch):
    seen = []
    real = HypeModel.forward_ids

    def counting(self, sequences, **kwargs):
        seen.append(len(sequences))
        return real(self, sequences, **kwargs)

    monkeypatch.setattr(HypeModel, "forward_ids", counting)
    return seen


def test_sentence_head_scores_sentences_in_the_same_pass(bare_model, tmp_path, monkeypatch):
    model = HypeModel.load(bare_model)
    pooled, alone = sentence_features(model, TEXTS)
    assert pooled.shape == (9, model.model.config.hidden_size) and alone.shape[0] == 9
    weight, bias = _fit(pooled, alone, 1.0)
    fitted = tmp_path / "fitted"
    shutil.copytree(bare_model, fitted)
    save_sentence_head(fitted, weight, bias)
    assert load_sentence_head(fitted)[0].shape == weight.shape

    seen = _count_sequences(monkeypatch)
    without = hypedetect.load(model=bare_model)(TEXTS[0])
    n_without = sum(seen)
    seen.clear()
    with_head = hypedetect.load(model=fitted)(TEXTS[0])
    assert sum(seen) == 1 < n_without == 4
    assert with_head._.hype == pytest.approx(without._.hype, abs=1e-5)
    a, b = with_head._.sentence_hype, without._.sentence_hype
    assert a.keys() == b.keys() and len(a) == 3
    assert all(0.0 <= v <= 1.0 for v in a.values())
    assert np.corrcoef(list(a.values()), list(b.values()))[0, 1] > 0.9
    seen.clear()
    nlp = hypedetect.load(model=fitted)
    nlp.get_pipe("hypedetect_classifier").sentence_head = False
    alone = nlp(TEXTS[0])
    assert sum(seen) == 4 and alone._.sentence_hype == pytest.approx(b, abs=1e-5)


def test_long_sentences_split_across_windows_get_one_score(model_dir):
    nlp = hypedetect.load()
    text = "Social selling " + "really " * 700 + "works. It does not."
    doc = nlp(text)
    assert len(doc._.sentence_hype) == 2 and all(0 <= v <= 1 for v in doc._.sentence_hype.values())


def test_unreadable_head_is_a_named_load_error(bare_model, tmp_path):
    from hypedetect.model import ModelLoadError

    broken = tmp_path / "broken"
    shutil.copytree(bare_model, broken)
    (broken / SENTENCE_HEAD_FILE).write_bytes(b"not safetensors")
    with pytest.raises(ModelLoadError, match=SENTENCE_HEAD_FILE):
        HypeModel.load(broken)


def test_fidelity_figures():
    class Stub:
        def scores(self, outputs):
            return {"hype": 1 / (1 + np.exp(-outputs[:, 0]))}

    x = np.linspace(-3, 3, 20)[:, None]
    report = fidelity(Stub(), x, x + 0.01)
    assert report["spearman"] == pytest.approx(1.0) and report["agreement_at_0.5"] >= 0.95


def test_int8_dtype_scores_close_to_fp32(model_dir):
    fp32 = hypedetect.load(dtype="fp32")
    int8 = hypedetect.load(dtype="int8")
    full, quantized = [fp32(t)._.hype for t in TEXTS], [int8(t)._.hype for t in TEXTS]
    assert np.argsort(full).tolist() == np.argsort(quantized).tolist()
    # One borderline post can move by ~0.3 (measured); across real passages the shift must stay small.
    from scipy.stats import spearmanr

    from hypedetect.corpora import load

    texts = load("sales-hype")["dev"]["text"][:40]
    full = np.array([d._.hype for d in fp32.pipe(texts)])
    quantized = np.array([d._.hype for d in int8.pipe(texts)])
    assert np.abs(full - quantized).mean() < 0.05
    assert spearmanr(full, quantized)[0] > 0.95
    assert int8(TEXTS[0])._.hype_model["dtype"] == "int8"
