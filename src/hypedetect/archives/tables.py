"""Tables of posts: JSONL, CSV, Parquet and ``datasets`` ``save_to_disk`` folders, streamed row by row."""
from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

from .base import ArchiveError, ArchiveOptions, Document

_DEFAULTS = {"id_col": "id", "date_col": "date", "title_col": "title", "url_col": "url"}


class Columns:
    """Which columns hold text, id, date, title and url (explicit options, else the usual names if present)."""

    def __init__(self, names: Iterable[str], options: ArchiveOptions) -> None:
        names = list(names)
        if options.text_col not in names:
            raise ArchiveError(f"no text column {options.text_col!r} (columns: {', '.join(map(str, names[:20]))}); "
                               "choose one with --text-col")
        self.text = options.text_col
        for attr, default in _DEFAULTS.items():
            chosen = getattr(options, attr)
            if chosen is not None and chosen not in names:
                raise ArchiveError(f"no column {chosen!r} for --{attr.replace('_', '-')} "
                                   f"(columns: {', '.join(map(str, names[:20]))})")
            setattr(self, attr[:-4], chosen if chosen is not None else (default if default in names else None))
        self.author = "author" if "author" in names else None

    def document(self, row: Mapping[str, Any], source: str, number: int, options: ArchiveOptions) -> Document:
        """The document for one row (``number`` counts from 1)."""
        meta = {name: _value(row.get(getattr(self, name))) if getattr(self, name) else None
                for name in ("title", "date", "url", "author")}
        raw_id = _value(row.get(self.id)) if self.id else None
        doc_id = str(raw_id) if raw_id not in (None, "") else None
        text = _value(row.get(self.text))
        if text is not None and not isinstance(text, str):
            return Document.failed(source, f"row {number}: text is not a string ({type(text).__name__})",
                                   key=doc_id or str(number), **meta)
        doc = Document.make(text or "", source, key=str(number), options=options, **meta)
        if doc_id:
            doc.id = doc_id
        return doc


def _value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def read_table_file(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """Documents of a JSONL, CSV or Parquet file."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path, options)
    if suffix == ".csv":
        return _read_csv(path, options)
    return _read_parquet(path, options)


def _read_jsonl(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    source = str(path)
    columns: Optional[Columns] = None
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, ValueError) as err:
                yield Document.failed(source, f"line {number}: not valid UTF-8 JSON ({err})", key=str(number))
                continue
            if not isinstance(row, dict):
                yield Document.failed(source, f"line {number}: not a JSON object", key=str(number))
                continue
            if columns is None or options.text_col not in row:
                try:
                    columns = Columns(row.keys(), options)
                except ArchiveError as err:
                    yield Document.failed(source, f"line {number}: {err}", key=str(number))
                    continue
            yield columns.document(row, source, number, options)


def _read_csv(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    source = str(path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    number = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                yield Document.failed(source, "empty CSV file")
                return
            columns = Columns(reader.fieldnames, options)
            for number, row in enumerate(reader, start=1):
                yield columns.document(row, source, number, options)
    except (ArchiveError, UnicodeDecodeError, csv.Error) as err:
        where = f" after row {number}" if number else ""
        yield Document.failed(source, f"cannot read CSV{where}: {err}")


def _read_parquet(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    import pyarrow.parquet as pq

    source = str(path)
    try:
        parquet = pq.ParquetFile(path)
        columns = Columns(parquet.schema_arrow.names, options)
    except ArchiveError as err:
        yield Document.failed(source, str(err))
        return
    except Exception as err:  # noqa: BLE001  pyarrow raises several types for corrupt files
        yield Document.failed(source, f"not a readable Parquet file: {err}")
        return
    wanted = [c for c in (columns.text, columns.id, columns.date, columns.title, columns.url, columns.author) if c]
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=list(dict.fromkeys(wanted))):
        for row in batch.to_pylist():
            number += 1
            yield columns.document(row, source, number, options)


def read_dataset_folder(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """Documents of a ``datasets`` ``save_to_disk`` folder (every split of a ``DatasetDict``)."""
    from datasets import Dataset, DatasetDict, load_from_disk

    source = str(path)
    try:
        loaded = load_from_disk(str(path))
    except Exception as err:  # noqa: BLE001
        yield Document.failed(source, f"not a readable save_to_disk folder: {err}")
        return
    splits: List[tuple] = list(loaded.items()) if isinstance(loaded, DatasetDict) else [(None, loaded)]
    for split, dataset in splits:
        assert isinstance(dataset, Dataset)
        split_source = source if split is None else f"{source}[{split}]"
        try:
            columns = Columns(dataset.column_names, options)
        except ArchiveError as err:
            yield Document.failed(split_source, str(err))
            continue
        for number, row in enumerate(_rows(dataset), start=1):
            yield columns.document(row, split_source, number, options)


def _rows(dataset: Any) -> Iterator[Dict[str, Any]]:
    for start in range(0, len(dataset), 1024):
        batch = dataset[start:start + 1024]
        keys = list(batch)
        for i in range(len(batch[keys[0]]) if keys else 0):
            yield {k: batch[k][i] for k in keys}
