"""The ``hypedetect`` command line. Each command is a thin wrapper over a library function."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import typer

app = typer.Typer(
    name="hypedetect",
    help="Detect sales-fad hype: tag promises and methodologies, scope their stance, score posts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


class UsageError(Exception):
    """Bad usage: reported on one line with exit code 2."""


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def read_inputs(paths: List[str]) -> Iterator[Tuple[str, str]]:
    """Yield ``(name, text)`` for each path; ``-`` reads standard input."""
    for name in paths:
        if name == "-":
            yield "<stdin>", sys.stdin.read()
            continue
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"no such file: {name}")
        try:
            yield name, path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise UsageError(f"{name} is not UTF-8 text ({err.reason} at byte {err.start})") from None


@app.command()
def tag(
    paths: List[str] = typer.Argument(..., help="Text files to tag, or - for standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per span."),
    pipeline: Optional[Path] = typer.Option(None, "--pipeline", help="A pipeline saved with nlp.to_disk()."),
) -> None:
    """Print the hype spans of each text: label, stance, canonical id and text."""
    from .pipeline import load

    nlp = load(pipeline) if pipeline else load(classifier=False)
    for name, text in read_inputs(paths):
        doc = nlp(text)
        spans = doc.spans["hype"] if "hype" in doc.spans else []
        if not as_json:
            typer.echo(f"# {name}: {len(spans)} spans")
        for span in spans:
            if as_json:
                typer.echo(json.dumps({
                    "source": name, "start": span.start_char, "end": span.end_char, "label": span.label_,
                    "stance": span._.stance, "id": span.id_ or None, "text": span.text,
                }, ensure_ascii=False))
            else:
                typer.echo(f"{span.label_:<12} {span._.stance:<9} {span.id_ or '-':<26} {span.text}")


@app.command()
def train(
    out: Path = typer.Option(Path("models/hype-minilm"), "--out", "-o", help="Model folder to write."),
    corpus: str = typer.Option("sales-hype", help="Corpus name or path with train/dev/test splits and a level column."),
    objective: str = typer.Option("levels", help="levels | ordinal | regression"),
    epochs: int = typer.Option(3),
    learning_rate: float = typer.Option(1e-4, "--lr"),
    batch_size: int = typer.Option(16),
    seed: int = typer.Option(13),
    dtype: str = typer.Option("auto", help="auto (bf16 where the CPU has it) | bf16 | fp32"),
    device: str = typer.Option("cpu"),
    transfer: Optional[Path] = typer.Option(None, help="Held-out transfer set, reported in the card, never used to select."),
) -> None:
    """Fine-tune the hype classifier from the packaged MiniLM-L6 and write a model folder with its card."""
    from .modelcard import write_model_card
    from .train import TrainConfig, train as run_training

    if objective not in ("levels", "ordinal", "regression"):
        raise UsageError(f"--objective must be levels, ordinal or regression, got {objective!r}")
    config = TrainConfig(objective=objective, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size,
                         seed=seed, dtype=dtype, device=device)
    metrics = run_training(corpus, out, config, transfer=transfer, progress=typer.echo)
    write_model_card(out, metrics, corpus=corpus, transfer=transfer, progress=typer.echo)
    typer.echo(f"wrote {out}")


@app.command()
def evaluate(
    corpus: str = typer.Argument("sales-hype", help="sales-hype, a JSONL/CSV/Parquet file, a save_to_disk folder, or a hub dataset name."),
    split: str = typer.Option("test", help="Split to evaluate (a single file is the 'train' split)."),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("level", "--label-col"),
    scheme: Optional[str] = typer.Option(None, help="levels | 3class | binary (inferred from the values when unambiguous)."),
    positive: Optional[str] = typer.Option(None, help="For binary labels: the value meaning hype."),
    model: List[Path] = typer.Option([], "--model", help="Another model folder to evaluate (repeatable)."),
    no_default: bool = typer.Option(False, "--no-default-model", help="Leave out the shipped model."),
    no_baselines: bool = typer.Option(False, "--no-baselines"),
    by: List[str] = typer.Option([], "--by", help="Break metrics down by this categorical column (repeatable)."),
    bootstrap: int = typer.Option(1000, help="Bootstrap rounds for 95% intervals (0 to skip)."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write every figure as JSON."),
    markdown_path: Optional[Path] = typer.Option(None, "--markdown", help="Write a Markdown report."),
    plots: Optional[Path] = typer.Option(None, "--plots", help="Write PNG plots to this folder."),
) -> None:
    """Evaluate the shipped model, other model folders and two baselines side by side on a labeled corpus."""
    from tqdm import tqdm

    from .evaluation import EvaluationError, evaluate as run_evaluation

    if scheme is not None and scheme not in ("levels", "3class", "binary"):
        raise UsageError(f"--scheme must be levels, 3class or binary, got {scheme!r}")
    with tqdm(desc="scoring", unit="post", disable=None) as bar:
        try:
            result = run_evaluation(
                corpus, split=split, text_col=text_col, label_col=label_col, scheme=scheme,
                positive=_coerce(positive), models=model, default_model=not no_default, baselines=not no_baselines,
                by=by, bootstrap=bootstrap, progress=bar.update)
        except (EvaluationError, FileNotFoundError) as err:
            raise UsageError(str(err)) from None
    typer.echo(result.table())
    if json_path:
        json_path.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(result.markdown(), encoding="utf-8")
    if plots:
        for path in result.plots(plots):
            typer.echo(f"wrote {path}")


def _coerce(value: Optional[str]) -> object:
    if value is None:
        return None
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return int(value) if value.lstrip("-").isdigit() else value


def _is_usage_error(err: BaseException) -> bool:
    return any(cls.__name__ in ("UsageError", "BadParameter") for cls in type(err).__mro__)


def main(argv: Optional[List[str]] = None) -> int:
    """Console entry point: one clear line on stderr for errors, exit 2 for usage, 1 for failures."""
    try:
        app(args=argv, standalone_mode=False)
    except UsageError as err:
        typer.echo(f"hypedetect: error: {err}", err=True)
        return 2
    except (typer.Exit, SystemExit) as err:
        code = getattr(err, "exit_code", getattr(err, "code", 0))
        return int(code or 0)
    except Exception as err:  # noqa: BLE001  one line unless --debug
        if _is_usage_error(err):
            message = err.format_message() if hasattr(err, "format_message") else str(err)
            if message:
                typer.echo(f"hypedetect: error: {message}", err=True)
            return 2
        if _state["debug"]:
            raise
        typer.echo(f"hypedetect: error: {type(err).__name__}: {err}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
