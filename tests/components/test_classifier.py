import shutil

import spacy

import hypedetect
from hypedetect.records import to_record

HYPE = ("Social selling will 10x your pipeline in 30 days, guaranteed. Every rep who ignores it will be left "
        "behind. This is the year: act now!")
NUANCE = ("We tried social selling for two quarters. Reply rates rose from 2.1% to 2.6% for mid-market accounts and "
          "did nothing for enterprise deals. It can help, but it is no silver bullet, and it took far more time "
          "than the vendors claimed.")


def test_default_load_includes_the_classifier(nlp):
    assert nlp.pipe_names == ["sentencizer", "hypedetect_tagger", "hypedetect_stance", "hypedetect_classifier"]
    assert nlp.get_pipe("hypedetect_classifier").dtype in ("bf16", "fp32")


def test_scores_are_set_and_ordered(nlp):
    hype, nuance = nlp(HYPE), nlp(NUANCE)
    for doc in (hype, nuance):
        assert 0.0 <= doc._.hype <= 1.0
        assert 0.0 <= doc._.hype_level <= 4.0
        assert doc._.hype_label in ("hype", "mixed", "nuance")
        for sent in doc.sents:
            assert 0.0 <= sent._.hype <= 1.0
    assert hype._.hype > 0.8 > 0.2 > nuance._.hype
    assert hype._.hype_label == "hype" and nuance._.hype_label == "nuance"
    assert hype._.hype_level > nuance._.hype_level + 2


def test_record_carries_scores_and_model(nlp):
    record = to_record(nlp(HYPE))
    assert record["label"] == "hype" and record["model"]["name"] == "hype-minilm"
    assert all(0 <= s["hype"] <= 1 for s in record["sentences"])


def test_empty_and_whitespace_docs(nlp):
    for text in ("", "   \n "):
        doc = nlp(text)
        assert doc._.hype is None and doc._.hype_label is None


def test_pipe_batches_match_single_calls(nlp):
    texts = [HYPE, NUANCE, HYPE + " " + NUANCE]
    batched = [d._.hype for d in nlp.pipe(texts, batch_size=3)]
    single = [nlp(t)._.hype for t in texts]
    assert all(abs(a - b) < 1e-4 for a, b in zip(batched, single))


def test_to_disk_copies_the_model_and_loads_without_the_source(tmp_path, model_dir):
    copy = tmp_path / "model-copy"
    shutil.copytree(model_dir, copy)
    nlp = hypedetect.load(model=copy)
    expected = nlp(HYPE)._.hype
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(copy)
    assert (tmp_path / "pipeline" / "hypedetect_classifier" / "model" / "model.safetensors").is_file()
    loaded = spacy.load(tmp_path / "pipeline")
    assert abs(loaded(HYPE)._.hype - expected) < 1e-5
