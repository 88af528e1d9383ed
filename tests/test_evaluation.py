import json

import numpy as np
import pytest

from hypedetect.cli import main
from hypedetect.evaluation import (EvaluationError, evaluate, expected_calibration_error, gold_from_labels,
                                   infer_scheme)

ROWS = [
    ("Social selling will 10x your pipeline in 30 days. Every rep must start now!", 4, "linkedin_post"),
    ("Our AI SDR books meetings on autopilot while you sleep. Guaranteed results, act today.", 4, "vendor_landing_page"),
    ("MEDDICC is the only framework you will ever need: close every deal, crush quota.", 4, "blog_post"),
    ("ABM doubled our pipeline and it will double yours. Don't get left behind.", 3, "blog_post"),
    ("We tried ABM for two quarters. It helped with five large accounts and did nothing for the rest.", 1, "blog_post"),
    ("The pitch was that AI SDRs would replace our team. Reply rates fell and we stopped the pilot.", 0, "review_critique"),
    ("BANT stands for budget, authority, need and timeline; teams use it to qualify early calls.", 0, "howto_explainer"),
    ("Conversation intelligence can help coaching, but it depends on managers listening to the calls.", 1, "blog_post"),
    ("", 2, "blog_post"),
]


@pytest.fixture()
def corpus_file(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps({"body": t, "score": s, "kind": g}) for t, s, g in ROWS), encoding="utf-8")
    return path


def test_paired_bootstrap_separates_a_better_system_and_not_a_copy():
    from hypedetect.evaluation import paired_bootstrap

    rng = np.random.default_rng(1)
    levels = rng.integers(0, 5, 200).tolist()
    gold = gold_from_labels(levels, "levels")

    def system(noise):
        level = np.clip(np.array(levels) + rng.normal(0, noise, 200), 0, 4)
        hype = 1 / (1 + np.exp(-(level - 2) * 2))
        label = ["nuance" if lv < 1.5 else "hype" if lv > 2.5 else "mixed" for lv in level]
        return {"hype": hype.tolist(), "level": level.tolist(), "label": label}

    good, bad = system(0.3), system(1.5)
    diffs = paired_bootstrap({"good": good, "bad": bad, "copy": dict(good)}, gold, "levels", "good", rounds=200)
    assert diffs["bad"]["macro_f1"][0] > 0 and diffs["bad"]["spearman"][0] > 0
    assert diffs["copy"]["macro_f1"] == [0.0, 0.0]


def test_infer_scheme():
    assert infer_scheme([0, 1, 4]) == "levels"
    assert infer_scheme(["hype", "nuance", "mixed"]) == "3class"
    assert infer_scheme([True, False]) == "binary"
    assert infer_scheme(["yes", "no"], positive="yes") == "binary"
    with pytest.raises(EvaluationError, match="cannot infer"):
        infer_scheme(["yes", "no"])
    with pytest.raises(EvaluationError, match="levels must be integers 0-4; found \\['7'\\]"):
        gold_from_labels([1, 7], "levels")


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence():
    p = np.repeat([0.1, 0.9], 100)
    y = np.r_[np.r_[np.ones(10), np.zeros(90)], np.r_[np.ones(90), np.zeros(10)]]
    assert expected_calibration_error(y, p) == pytest.approx(0.0, abs=1e-9)
    assert expected_calibration_error(1 - y, p) > 0.7


def test_evaluate_file_with_column_mapping_and_breakdown(corpus_file):
    result = evaluate(str(corpus_file), split="train", text_col="body", label_col="score", by=["kind"], bootstrap=20)
    assert result.scheme == "levels" and result.n == 8 and result.n_empty == 1
    assert set(result.systems) == {"hype-minilm", "tfidf_logreg", "lexicon_spans"}
    model = result.systems["hype-minilm"]
    assert model.metrics["roc_auc"] > 0.9
    assert set(model.ci) >= {"roc_auc", "macro_f1", "spearman"}
    assert sum(map(sum, model.confusion)) == 8
    assert set(model.by["kind"]) == {"linkedin_post", "vendor_landing_page", "blog_post", "review_critique",
                                     "howto_explainer"}
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["systems"]["tfidf_logreg"]["metrics"]["n"] == 8
    assert "| hype-minilm |" in result.markdown()
    assert set(result.paired) == {"tfidf_logreg", "lexicon_spans"}
    assert "minus" in result.markdown() and "paired 95% interval" in result.table()


def test_binary_scheme_with_positive(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("text,tag\n" + "\n".join(f'"{t}",{"HYPE" if s >= 3 else "OK"}' for t, s, _ in ROWS if t),
                    encoding="utf-8")
    result = evaluate(str(path), split="train", label_col="tag", positive="HYPE", baselines=False, bootstrap=0)
    assert result.scheme == "binary"
    assert result.systems["hype-minilm"].confusion_labels == ["nuance", "hype"]


def test_missing_column_and_bad_label_are_clear(corpus_file, capsys):
    with pytest.raises(EvaluationError, match="found columns \\['body', 'score', 'kind'\\]"):
        evaluate(str(corpus_file), split="train")
    assert main(["evaluate", str(corpus_file), "--split", "train", "--text-col", "body", "--label-col", "kind"]) == 2
    assert "cannot infer the label scheme" in capsys.readouterr().err


def test_cli_writes_json_markdown_and_plots(corpus_file, tmp_path, capsys):
    args = ["evaluate", str(corpus_file), "--split", "train", "--text-col", "body", "--label-col", "score",
            "--bootstrap", "10", "--no-baselines", "--json", str(tmp_path / "r.json"),
            "--markdown", str(tmp_path / "r.md"), "--plots", str(tmp_path / "plots")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "hype-minilm" in out and "roc_auc" in out
    assert json.loads((tmp_path / "r.json").read_text())["n_empty"] == 1
    assert (tmp_path / "r.md").read_text().startswith("**")
    assert len(list((tmp_path / "plots").glob("*.png"))) == 3


def test_span_metrics_on_bundled_corpus():
    result = evaluate("sales-hype", split="dev", default_model=False, baselines=True, bootstrap=0)
    assert result.spans["passages"] > 100
    assert result.spans["labels"]["METHODOLOGY"]["f1"] > 0.5
    assert result.systems["tfidf_logreg"].metrics["roc_auc"] > 0.7
