"""Streaming, resumable batch scoring of blog archives.

:func:`score_archive` reads posts with :func:`hypedetect.archives.iter_documents`,
skips those already in the output, scores the rest in batches with a
:class:`Scorer` and appends records as each batch finishes, so memory stays flat in
the archive's size and an interrupted run loses at most the batch in flight.
:class:`Scorer` is picklable and callable on column batches, so the same object
runs in Ray Data actors (``engine="ray"``) or Spark tasks.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from .archives import ArchiveOptions, Document, iter_documents
from .records import error_record, to_record
from .writers import RecordWriter

logger = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ("id", "text", "source", "title", "date", "url", "error")


@dataclass
class Summary:
    """What a batch run did."""

    output: str
    scored: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    errors: List[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Posts seen in the input (scored, failed and skipped)."""
        return self.scored + self.failed + self.skipped

    def line(self) -> str:
        """A one-line human summary."""
        rate = (self.scored + self.failed) / self.seconds if self.seconds else 0.0
        return (f"{self.scored} scored, {self.skipped} skipped (already in {self.output}), {self.failed} failed "
                f"in {self.seconds:.1f} s ({rate:.1f} posts/s)")

    def to_dict(self) -> Dict[str, Any]:
        """JSON-safe view."""
        return {**asdict(self), "total": self.total}


class Scorer:
    """Turn documents into records with a hypedetect pipeline loaded on first use.

    Picklable (the pipeline is not pickled; each process loads its own), and callable
    on a column batch ``{"id": [...], "text": [...], ...}`` returning
    ``{"id": [...], "record": [json, ...]}`` — the shape Ray Data's ``map_batches`` uses.
    """

    def __init__(
        self,
        *,
        model: Optional[str] = None,
        pipeline: Optional[str] = None,
        classifier: bool = True,
        dtype: str = "auto",
        device: str = "cpu",
        include_text: bool = True,
        batch_size: int = 32,
    ) -> None:
        self.settings: Dict[str, Any] = {
            "model": str(model) if model else None, "pipeline": str(pipeline) if pipeline else None,
            "classifier": classifier, "dtype": dtype, "device": device, "include_text": include_text,
            "batch_size": batch_size,
        }
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (loaded once per process)."""
        if self._nlp is None:
            from .pipeline import load

            s = self.settings
            if s["pipeline"]:
                self._nlp = load(s["pipeline"])
            else:
                self._nlp = load(model=s["model"], classifier=s["classifier"], dtype=s["dtype"], device=s["device"])
            for _name, component in self._nlp.pipeline:
                getattr(component, "hype_model", None)
        return self._nlp

    def __getstate__(self) -> Dict[str, Any]:
        return {"settings": self.settings, "_nlp": None}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.settings = dict(state["settings"])
        self._nlp = None

    def score(self, documents: Sequence[Document]) -> List[Dict[str, Any]]:
        """One record per document, in order; a post that fails to score becomes an error record."""
        records: List[Optional[Dict[str, Any]]] = [None] * len(documents)
        todo = []
        for i, document in enumerate(documents):
            if document.error:
                records[i] = error_record(document.error, document.meta())
            else:
                todo.append(i)
        if todo:
            nlp = self.nlp  # a model that cannot load fails the run, not each post
            try:
                docs = list(nlp.pipe((documents[i].text for i in todo), batch_size=self.settings["batch_size"]))
                for i, doc in zip(todo, docs):
                    records[i] = to_record(doc, documents[i].meta(), text=self.settings["include_text"])
            except Exception as err:  # noqa: BLE001  isolate the post that breaks the batch
                logger.warning("a batch failed to score (%s: %s); retrying its %d posts one by one",
                               type(err).__name__, err, len(todo))
                logger.debug("batch failure", exc_info=True)
                for i in todo:
                    records[i] = self._score_one(documents[i])
        return [r for r in records if r is not None]

    def _score_one(self, document: Document) -> Dict[str, Any]:
        try:
            doc = self.nlp(document.text)
        except Exception as err:  # noqa: BLE001
            return error_record(f"scoring failed: {type(err).__name__}: {err}", document.meta())
        return to_record(doc, document.meta(), text=self.settings["include_text"])

    def __call__(self, batch: Mapping[str, Any]) -> Dict[str, List[Any]]:
        documents = [documents_from_columns(batch, i) for i in range(len(batch["id"]))]
        records = self.score(documents)
        return {"id": [r["id"] for r in records], "record": [json.dumps(r, ensure_ascii=False) for r in records]}


_SHARED: Dict[str, Scorer] = {}


def shared_scorer(**settings: Any) -> Scorer:
    """One :class:`Scorer` per process and settings, so repeated tasks (Spark) load the pipeline once."""
    key = json.dumps(settings, sort_keys=True, default=str)
    if key not in _SHARED:
        _SHARED[key] = Scorer(**settings)
    return _SHARED[key]


def score_pandas_batches(frames: Iterable[Any], settings: Optional[Mapping[str, Any]] = None) -> Iterator[Any]:
    """Score an iterator of pandas DataFrames (``id``, ``text`` and optional metadata columns).

    Yields DataFrames with ``id`` and ``record`` (the record as JSON): the shape of
    Spark's ``DataFrame.mapInPandas`` (see ``docs/spark.md``).
    """
    import pandas as pd

    scorer = shared_scorer(**dict(settings or {}))
    for frame in frames:
        yield pd.DataFrame(scorer({name: frame[name].tolist() for name in frame.columns}))


def document_to_row(document: Document) -> Dict[str, Any]:
    """The columns a :class:`Scorer` batch needs for one document."""
    return {name: getattr(document, name) for name in DOCUMENT_COLUMNS}


def documents_from_columns(batch: Mapping[str, Any], index: int) -> Document:
    """Rebuild the ``index``-th :class:`Document` of a column batch."""
    values = {name: _plain(batch[name][index]) if name in batch else None for name in DOCUMENT_COLUMNS}
    return Document(text=values["text"] or "", source=values["source"] or "", id=values["id"],
                    title=values["title"], date=values["date"], url=values["url"], error=values["error"])


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return None if isinstance(value, float) and value != value else value


def _batches(items: Iterable[Any], size: int) -> Iterator[List[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def score_archive(
    paths: Union[str, Path, Iterable[Union[str, Path]]],
    output: Union[str, Path],
    *,
    scorer: Optional[Scorer] = None,
    options: Optional[ArchiveOptions] = None,
    batch_size: int = 64,
    force: bool = False,
    engine: str = "local",
    workers: int = 1,
    progress: Optional[Callable[[int], None]] = None,
) -> Summary:
    """Score every post under ``paths`` into ``output`` (``.jsonl``, ``.csv`` or ``.parquet``).

    Posts whose id is already in ``output`` are skipped, so rerunning after a crash
    finishes the job; ``force=True`` starts over. ``engine="ray"`` scores on a Ray
    Data actor pool of ``workers`` actors and writes the same records.
    ``progress`` is called with the number of posts handled after each batch.
    """
    if engine not in ("local", "ray"):
        raise ValueError(f"engine must be 'local' or 'ray', got {engine!r}")
    scorer = scorer or Scorer()
    start = time.perf_counter()
    writer = RecordWriter(output, force=force)
    summary = Summary(output=str(output))
    if writer.done:
        logger.info("resuming %s: %d posts already there", output, len(writer.done))

    def pending() -> Iterator[Document]:
        for document in iter_documents(paths, options):
            if document.id in writer.done:
                summary.skipped += 1
                if progress:
                    progress(1)
                continue
            writer.done.add(document.id)
            yield document

    def emit(records: List[Dict[str, Any]]) -> None:
        writer.write(records)
        for record in records:
            if record["error"]:
                summary.failed += 1
                if len(summary.errors) < 20:
                    summary.errors.append(f"{record['source']}: {record['error']}")
            else:
                summary.scored += 1
        if progress:
            progress(len(records))

    try:
        if engine == "local":
            for batch in _batches(pending(), batch_size):
                emit(scorer.score(batch))
        else:
            from .scaleout import score_with_ray

            score_with_ray(pending(), scorer, emit, batch_size=batch_size, workers=workers)
    finally:
        writer.close()
        summary.seconds = time.perf_counter() - start
    return summary
