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
    objective: str = typer.Option("levels", help="levels | ordinal | regression | 3class"),
    epochs: int = typer.Option(3),
    learning_rate: float = typer.Option(1.5e-4, "--lr"),
    batch_size: int = typer.Option(16),
    train_window: int = typer.Option(256, "--train-window", help="Tokens per training chunk (texts are cut, never truncated)."),
    freeze_layers: int = typer.Option(0, "--freeze-layers", help="Freeze the embeddings and the lowest N-1 encoder layers (0: train all)."),
    span_aux: float = typer.Option(0.0, "--span-aux", help="Weight of the auxiliary loss tagging the corpus' gold spans (0: off)."),
    seed: int = typer.Option(13),
    dtype: str = typer.Option("auto", help="auto (bf16 where the CPU has it) | bf16 | fp32"),
    device: str = typer.Option("cpu"),
    transfer: Optional[Path] = typer.Option(None, help="Held-out transfer set, reported in the card, never used to select."),
) -> None:
    """Fine-tune the hype classifier from the packaged MiniLM-L6 and write a model folder with its card."""
    from .model import OBJECTIVES
    from .modelcard import write_model_card
    from .sentence_head import fit_sentence_head
    from .train import TrainConfig, train as run_training

    if objective not in OBJECTIVES:
        raise UsageError(f"--objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    config = TrainConfig(objective=objective, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size,
                         seed=seed, dtype=dtype, device=device, train_window=train_window,
                         freeze_layers=freeze_layers, span_aux=span_aux)
    metrics = run_training(corpus, out, config, transfer=transfer, progress=typer.echo)
    metrics["sentence_head"] = fit_sentence_head(out, corpus, progress=typer.echo)
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
    dtype: str = typer.Option("auto", help="Inference dtype of the models: auto | fp32 | bf16 | int8."),
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
                by=by, bootstrap=bootstrap, progress=bar.update, dtype=dtype)
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


@app.command()
def score(
    paths: List[Path] = typer.Argument(..., help="Archive files or folders: .txt/.md, .html, WXR/RSS/Atom .xml, "
                                                 ".jsonl/.csv/.parquet, save_to_disk folders."),
    output: Path = typer.Option(..., "--output", "-o", help="Output file: .jsonl, .csv or .parquet."),
    text_col: str = typer.Option("text", "--text-col", help="Text column of tables."),
    id_col: Optional[str] = typer.Option(None, "--id-col", help="Id column of tables (default: 'id' if present)."),
    date_col: Optional[str] = typer.Option(None, "--date-col", help="Date column of tables (default: 'date')."),
    title_col: Optional[str] = typer.Option(None, "--title-col", help="Title column of tables (default: 'title')."),
    url_col: Optional[str] = typer.Option(None, "--url-col", help="URL column of tables (default: 'url')."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Posts per batch (written as each finishes)."),
    force: bool = typer.Option(False, "--force", help="Start over instead of resuming an existing output."),
    model: Optional[Path] = typer.Option(None, "--model", help="Another model folder."),
    pipeline: Optional[Path] = typer.Option(None, "--pipeline", help="A pipeline saved with nlp.to_disk()."),
    no_classifier: bool = typer.Option(False, "--tags-only", help="Tag spans only; no transformer scores."),
    no_text: bool = typer.Option(False, "--no-text", help="Leave the post text out of the records."),
    max_chars: int = typer.Option(2_000_000, "--max-chars", min=1, help="Longest post accepted; longer ones "
                                                                         "become error records."),
    engine: str = typer.Option("local", help="local | ray"),
    workers: int = typer.Option(1, min=1, help="Ray actors (each loads the model once)."),
    dtype: str = typer.Option("auto", help="auto | fp32 | bf16 | int8 (CPU: dynamic int8 quantization)"),
    device: str = typer.Option("cpu"),
) -> None:
    """Score every post of a blog archive into JSONL, CSV or Parquet; rerun to resume."""
    from tqdm import tqdm

    from .archives import ArchiveOptions, MissingExtraError, estimate_count
    from .batch import Scorer, score_archive
    from .writers import OutputError, output_format

    if engine not in ("local", "ray"):
        raise UsageError(f"--engine must be local or ray, got {engine!r}")
    try:
        output_format(output)
    except OutputError as err:
        raise UsageError(str(err)) from None
    if any(p.resolve() == output.resolve() for p in paths):
        raise UsageError(f"output {output} is also an input")
    options = ArchiveOptions(text_col=text_col, id_col=id_col, date_col=date_col, title_col=title_col,
                             url_col=url_col, max_chars=max_chars)
    scorer = Scorer(model=model, pipeline=pipeline, classifier=not no_classifier, dtype=dtype, device=device,
                    include_text=not no_text)
    with tqdm(total=estimate_count(paths), unit="post", desc="scoring", disable=None, dynamic_ncols=True) as bar:
        try:
            summary = score_archive(paths, output, scorer=scorer, options=options, batch_size=batch_size,
                                    force=force, engine=engine, workers=workers, progress=bar.update)
        except (MissingExtraError, OutputError) as err:
            raise UsageError(str(err)) from None
    for line in summary.errors[:5]:
        typer.echo(f"failed: {line}", err=True)
    typer.echo(summary.line(), err=True)


@app.command()
def report(
    scores: Path = typer.Argument(..., help="Records written by `hypedetect score` (.jsonl, .csv or .parquet)."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="HTML file to write."),
    title: str = typer.Option("hypedetect report", help="Page title."),
    top: int = typer.Option(10, min=1, help="How many most and least hyped posts to show."),
) -> None:
    """Write a self-contained HTML report: hype distribution, top posts, methodologies, fad trends."""
    from .report import write_report
    from .writers import OutputError, read_records

    if not scores.is_file():
        raise UsageError(f"no such file: {scores}")
    try:
        path = write_report(read_records(scores), output, title=title, top_n=top)
    except OutputError as err:
        raise UsageError(str(err)) from None
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
