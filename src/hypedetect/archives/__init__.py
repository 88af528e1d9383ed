"""Read blog archives: one reader per format, one :func:`iter_documents` that dispatches.

Every reader yields :class:`Document` objects, one per post. A post that cannot be
used (undecodable, empty after extraction, too large) is yielded with ``error`` set;
a file that cannot be read or parsed at all becomes one ``Document`` naming it. The
readers never raise for bad data, so a batch goes on.

Formats: ``.txt``/``.md`` (YAML or TOML front matter), ``.html`` (main text via
trafilatura), WordPress WXR exports and RSS/Atom feeds (``.xml``, ``.rss``,
``.atom``; WXR is streamed), ``.jsonl``/``.csv``/``.parquet`` tables and ``datasets``
``save_to_disk`` folders. Directories are walked in sorted order.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Union

from .base import ArchiveError, ArchiveOptions, Document, MissingExtraError, decode_bytes, normalize_date

logger = logging.getLogger(__name__)

__all__ = [
    "ArchiveError", "ArchiveOptions", "Document", "MissingExtraError", "decode_bytes", "normalize_date", "iter_documents",
    "iter_files", "estimate_count", "SUFFIXES",
]

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
XML_SUFFIXES = (".xml", ".rss", ".atom", ".wxr")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + XML_SUFFIXES + TABLE_SUFFIXES


def _is_dataset_folder(path: Path) -> bool:
    return (path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file()


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, Document]]:
    """Expand files and directories into the archive files to read, in sorted order.

    Unreadable directories and symlink loops become error ``Document``s; files with
    unknown suffixes inside directories are skipped (named explicitly, they are errors).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if _is_dataset_folder(path):
                yield path
            else:
                yield from _walk(path)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path
            else:
                yield Document.failed(str(path), f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                                                  f"supported: {', '.join(SUFFIXES)}")
        elif path.is_symlink():
            yield Document.failed(str(path), "broken symbolic link")
        else:
            yield Document.failed(str(path), "no such file or directory")


def _walk(root: Path) -> Iterator[Union[Path, Document]]:
    seen = set()
    stack: List[Path] = [root]
    while stack:
        folder = stack.pop()
        try:
            real = folder.resolve(strict=True)
            key = (real.stat().st_dev, real.stat().st_ino)
        except (OSError, RuntimeError) as err:
            yield Document.failed(str(folder), f"cannot resolve directory: {err.__class__.__name__}: {err}")
            continue
        if key in seen:
            yield Document.failed(str(folder), "symbolic link loop (directory already visited)")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            yield Document.failed(str(folder), f"cannot list directory: {err.strerror or err}")
            continue
        subfolders: List[Path] = []
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError as err:
                yield Document.failed(str(path), f"cannot stat: {err.strerror or err}")
                continue
            if is_dir:
                if _is_dataset_folder(path):
                    yield path
                else:
                    subfolders.append(path)
            elif is_file:
                if path.suffix.lower() in SUFFIXES:
                    yield path
            elif entry.is_symlink():
                yield Document.failed(str(path), "broken symbolic link")
        stack.extend(reversed(subfolders))


def read_file(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """All documents of one archive file (or ``save_to_disk`` folder)."""
    if path.is_dir():
        from .tables import read_dataset_folder

        return read_dataset_folder(path, options)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from .text import read_text_file

        return read_text_file(path, options)
    if suffix in HTML_SUFFIXES:
        from .html import read_html_file

        return read_html_file(path, options)
    if suffix in XML_SUFFIXES:
        from .xmlfeeds import read_xml_file

        return read_xml_file(path, options)
    from .tables import read_table_file

    return read_table_file(path, options)


def iter_documents(
    paths: Union[str, Path, Iterable[Union[str, Path]]], options: Optional[ArchiveOptions] = None
) -> Iterator[Document]:
    """Every post in ``paths`` (files or directories), errors included, in a stable order."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = options or ArchiveOptions()
    for item in iter_files(paths):
        if isinstance(item, Document):
            yield item
            continue
        try:
            yield from read_file(item, options)
        except MissingExtraError:
            raise
        except Exception as err:  # noqa: BLE001  a broken file must not stop the batch
            logger.warning("cannot read %s: %s", item, err)
            yield Document.failed(str(item), f"cannot read file: {err.__class__.__name__}: {err}")


def estimate_count(paths: Iterable[Union[str, Path]]) -> Optional[int]:
    """A cheap estimate of the number of posts (for progress bars), or None if unknown."""
    total = 0
    for item in iter_files(paths):
        if isinstance(item, Document):
            total += 1
            continue
        try:
            total += _estimate_file(item)
        except Exception:  # noqa: BLE001  estimates are best effort
            total += 1
    return total


def _estimate_file(path: Path) -> int:
    if path.is_dir():
        import json

        info = json.loads((path / "dataset_info.json").read_text(encoding="utf-8")) if (
            path / "dataset_info.json").is_file() else {}
        splits = info.get("splits") or {}
        return sum(int(s.get("num_examples", 0)) for s in splits.values()) or 1
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if suffix in (".jsonl", ".ndjson", ".csv") or suffix in XML_SUFFIXES:
        needle = b"\n" if suffix in (".jsonl", ".ndjson", ".csv") else None
        count = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                if needle is not None:
                    count += chunk.count(needle)
                else:
                    count += chunk.count(b"<item") + chunk.count(b"<entry")
        return max(1, count - (1 if suffix == ".csv" else 0))
    return 1

