"""Recipe search on the dev split (never test or transfer): train several configurations and print dev figures.

    python bench/recipe_search.py --device cuda            # on a GPU machine
    python bench/recipe_search.py --grid objectives        # objective comparison (3 epochs each)
    python bench/recipe_search.py --grid cpu --only 1      # one configuration of a grid

Writes bench/results/recipe_search_<grid>.json. The recorded search (bench/results/recipe_search_dev.json) ran on
an H100 from an fp16 cast of the base weights (set HYPEDETECT_BASE_MODEL to such a folder); figures differ slightly
from CPU training.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from hypedetect.train import TrainConfig, train

GRIDS = {
    "objectives": [dict(objective=o, learning_rate=lr) for o in ("ordinal", "levels", "regression") for lr in (5e-5, 1e-4)],
    "levels": [dict(learning_rate=lr, batch_size=bs) for lr in (1e-4, 1.5e-4, 2e-4) for bs in (8, 16)],
    "budget": [dict(epochs=4, freeze_layers=3, learning_rate=1.5e-4), dict(epochs=5, train_window=128, batch_size=32,
               learning_rate=1.5e-4), dict(epochs=3, train_window=256, learning_rate=1.5e-4), dict(epochs=8)],
    # The CPU budget (the whole train command under 30 minutes on 2 cores): 5 epochs with the lowest layers frozen,
    # the 5-way level softmax against a 3-class head and against an auxiliary loss tagging the gold spans.
    "cpu": [dict(epochs=5, freeze_layers=3), dict(epochs=5, freeze_layers=3, span_aux=0.5),
            dict(epochs=5, freeze_layers=3, objective="3class")],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", choices=sorted(GRIDS), default="objectives")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--only", type=int, action="append", help="Run only this configuration (index, repeatable).")
    args = parser.parse_args()
    results = []
    for i, overrides in enumerate(GRIDS[args.grid]):
        if args.only and i not in args.only:
            continue
        config = TrainConfig(device=args.device, **overrides)
        metrics = train("sales-hype", Path("/tmp") / f"recipe-{args.grid}-{i}", config)
        results.append({"config": overrides, "dev": metrics["dev"], "history": metrics["history"],
                        "selected_epoch": metrics["selected_epoch"], "train_seconds": metrics["train_seconds"]})
        print(overrides, {k: round(v, 3) for k, v in metrics["dev"].items()}, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "".join(f"-{i}" for i in args.only or [])
    (args.out / f"recipe_search_{args.grid}{suffix}.json").write_text(
        json.dumps({"grid": args.grid, "runs": results}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
