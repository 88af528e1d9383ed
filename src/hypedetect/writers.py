"""Resumable record outputs: JSONL, CSV and Parquet, chosen by the output's suffix.

JSONL is appended in place, one fsync'd batch at a time; a line torn by a crash is
cut off when the file is reopened. CSV and Parquet cannot be appended safely, so
records go to a JSONL journal next to the output (``OUT.partial.jsonl``) and are
merged into the output when the writer closes; a crashed run leaves the journal,
and the next run resumes from it.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Set, Union

from .records import RECORD_FIELDS

logger = logging.getLogger(__name__)

NESTED_FIELDS = ("sentences", "spans", "methodologies", "model")
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


class OutputError(Exception):
    """An output file that cannot be written or resumed."""


def output_format(path: Union[str, Path]) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from the output's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"output must end in .jsonl, .csv or .parquet, got {str(path)!r}")
    return FORMATS[suffix]


def parquet_schema() -> Any:
    """The Arrow schema of the record (nested fields stay nested)."""
    import pyarrow as pa

    sentence = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("hype", pa.float64())])
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("text", pa.string()),
                      ("id", pa.string()), ("stance", pa.string())])
    model = pa.struct([("name", pa.string()), ("version", pa.string()), ("dtype", pa.string())])
    types = {"hype": pa.float64(), "hype_level": pa.float64(), "sentences": pa.list_(sentence),
             "spans": pa.list_(span), "methodologies": pa.list_(pa.string()), "model": model}
    return pa.schema([(name, types.get(name, pa.string())) for name in RECORD_FIELDS])


def _jsonl_line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def repair_jsonl(path: Path) -> int:
    """Cut a torn last line (no newline, left by a crash); return the bytes removed."""
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        keep, position = 0, size
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            chunk = handle.read(step)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                keep = position + cut + 1
                break
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    logger.warning("%s: removed a torn last line (%d bytes) left by an interrupted run", path, size - keep)
    return size - keep


def iter_jsonl_records(path: Path) -> Iterator[Dict[str, Any]]:
    """Records of a JSONL output; a malformed line raises :class:`OutputError` naming it."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise OutputError(f"{path} line {number} is not a JSON record; fix it or start over with --force") \
                    from None
            if not isinstance(record, dict) or "id" not in record:
                raise OutputError(f"{path} line {number} is not a hypedetect record; use another output or --force")
            yield record


def read_records(path: Union[str, Path]) -> Iterator[Dict[str, Any]]:
    """Stream the records of a JSONL, CSV or Parquet output, nested fields decoded."""
    path = Path(path)
    kind = output_format(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    if kind == "jsonl":
        yield from iter_jsonl_records(path)
    elif kind == "csv":
        csv.field_size_limit(2**31 - 1)
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield _from_csv_row(row)
    else:
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            yield from batch.to_pylist()


def _to_csv_row(record: Mapping[str, Any]) -> List[Any]:
    return [json.dumps(record.get(name), ensure_ascii=False) if name in NESTED_FIELDS else record.get(name)
            for name in RECORD_FIELDS]


def _from_csv_row(row: Mapping[str, Any]) -> Dict[str, Any]:
    record: Dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = row.get(name)
        if name in NESTED_FIELDS:
            record[name] = json.loads(value) if value else ([] if name != "model" else None)
        elif name in ("hype", "hype_level"):
            record[name] = float(value) if value not in (None, "") else None
        else:
            record[name] = value if value != "" else None
    return record


class JsonlLog:
    """An append-only JSONL file of records, crash-safe batch by batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: Optional[io.BufferedWriter] = None

    def ids(self) -> Set[str]:
        """Ids already in the file (after repairing a torn tail)."""
        if not self.path.is_file():
            return set()
        repair_jsonl(self.path)
        return {str(r["id"]) for r in iter_jsonl_records(self.path)}

    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Append records and make them durable before returning."""
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "ab")
        self._handle.write(b"".join(_jsonl_line(r) for r in records))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class RecordWriter:
    """Write records to ``path`` (format by suffix), resuming what an earlier run left.

    ``done`` holds the ids already written; :meth:`close` finishes the file.
    """

    def __init__(self, path: Union[str, Path], *, force: bool = False) -> None:
        self.path = Path(path)
        self.format = output_format(self.path)
        self.journal = self.path if self.format == "jsonl" else self.path.with_name(self.path.name + ".partial.jsonl")
        if force:
            for stale in {self.path, self.journal}:
                if stale.exists():
                    stale.unlink()
        self._log = JsonlLog(self.journal)
        self.done: Set[str] = self._log.ids()
        if self.format != "jsonl" and self.path.is_file():
            self.done |= {str(r["id"]) for r in read_records(self.path)}
        self.written = 0

    def write(self, records: List[Mapping[str, Any]]) -> None:
        """Append a batch of records (durable on return)."""
        if not records:
            return
        self._log.write(records)
        self.done.update(str(r["id"]) for r in records)
        self.written += len(records)

    def close(self) -> None:
        """Finish the output: for CSV/Parquet, merge the journal into the file atomically."""
        self._log.close()
        if self.format == "jsonl" or not self.journal.is_file():
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        existing: Set[str] = set()
        if self.format == "csv":
            self._merge_csv(tmp, existing)
        else:
            self._merge_parquet(tmp, existing)
        os.replace(tmp, self.path)
        self.journal.unlink()

    def _merge_csv(self, tmp: Path, existing: Set[str]) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(RECORD_FIELDS)
            if self.path.is_file():
                for record in read_records(self.path):
                    existing.add(str(record["id"]))
                    writer.writerow(_to_csv_row(record))
            for record in iter_jsonl_records(self.journal):
                if str(record["id"]) not in existing:
                    writer.writerow(_to_csv_row(record))
            out.flush()
            os.fsync(out.fileno())

    def _merge_parquet(self, tmp: Path, existing: Set[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        with pq.ParquetWriter(tmp, schema) as writer:
            if self.path.is_file():
                for batch in pq.ParquetFile(self.path).iter_batches(batch_size=1024):
                    existing.update(str(i) for i in batch.column("id").to_pylist())
                    writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            chunk: List[Dict[str, Any]] = []
            for record in iter_jsonl_records(self.journal):
                if str(record["id"]) not in existing:
                    chunk.append({name: record.get(name) for name in RECORD_FIELDS})
                if len(chunk) >= 1024:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())

    def __enter__(self) -> "RecordWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
