import shlex
from dataclasses import asdict

from hypedetect.cli import main
from hypedetect.modelcard import train_command
from hypedetect.train import TrainConfig


def test_card_command_reproduces_the_recipe(monkeypatch, tmp_path):
    config = TrainConfig(epochs=7, learning_rate=2e-4, batch_size=8, train_window=128, freeze_layers=3, seed=5,
                         objective="ordinal", span_aux=0.3)
    command = train_command(tmp_path / "m", asdict(config), transfer="corpora/transfer/transfer.jsonl")
    seen = {}

    def fake_train(corpus, out, cfg, transfer=None, progress=None):
        seen.update(out=out, config=cfg, transfer=transfer)
        raise SystemExit(0)

    monkeypatch.setattr("hypedetect.train.train", fake_train)
    argv = shlex.split(command)
    assert argv[:2] == ["hypedetect", "train"]
    main(argv[1:])
    assert seen["config"] == config
    assert str(seen["out"]) == str(tmp_path / "m")
    assert str(seen["transfer"]) == "corpora/transfer/transfer.jsonl"
