"""Recipe search on the dev split (never test or transfer): train several configurations and print dev figures.

    python bench/recipe_search.py --device cuda            # on a GPU machine
    python bench/recipe_search.py --grid objectives        # objective comparison (3 epochs each)

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
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", choices=sorted(GRIDS), default="objectives")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    results = []
    for i, overrides in enumerate(GRIDS[args.grid]):
        config = TrainConfig(device=args.device, **overrides)
        metrics = train("sales-hype", Path("/tmp") / f"recipe-{args.grid}-{i}", config)
        results.append({"config": overrides, "dev": metrics["dev"], "history": metrics["history"]})
        print(overrides, {k: round(v, 3) for k, v in metrics["dev"].items()}, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"recipe_search_{args.grid}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
