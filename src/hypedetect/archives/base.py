"""What every archive reader shares: the ``Document``, options, decoding and dates."""
from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from ..records import stable_id

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 2_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


class MissingExtraError(ImportError):
    """An optional dependency for one archive format is not installed."""


class ArchiveError(ValueError):
    """A post or file that cannot be used: undecodable, unparsable or over a size limit."""


@dataclass
class ArchiveOptions:
    """How to read archives.

    ``text_col``/``id_col``/``date_col``/``title_col``/``url_col`` name table columns.
    ``max_chars`` is the largest post accepted (longer posts become error records;
    the whole post is always scored, so this bounds memory), and files larger than
    ``max_file_bytes`` are not read at all unless they are streamed (WXR, JSONL,
    CSV, Parquet).
    """

    text_col: str = "text"
    id_col: Optional[str] = None
    date_col: Optional[str] = None
    title_col: Optional[str] = None
    url_col: Optional[str] = None
    max_chars: int = DEFAULT_MAX_CHARS
    max_file_bytes: Optional[int] = None

    @property
    def file_limit(self) -> int:
        """Largest single-post file read into memory (4 bytes per character is the UTF-8 worst case)."""
        return self.max_file_bytes if self.max_file_bytes is not None else 4 * self.max_chars + 65536


@dataclass
class Document:
    """One post read from an archive, or an error standing in for it."""

    text: str
    source: str
    id: str = ""
    title: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None
    tags: List[str] = field(default_factory=list)
    error: Optional[str] = None

    @classmethod
    def make(cls, text: str, source: str, *, key: Optional[str] = None, id: Optional[str] = None,
             options: Optional["ArchiveOptions"] = None, **meta: Any) -> "Document":
        """Build a document; ``key`` locates it inside a multi-post file and enters its stable id."""
        text = text.replace("\r\n", "\n").replace("\r", "\n") if text else ""
        doc_id = id or stable_id(text, source if key is None else f"{source}#{key}")
        doc = cls(text=text, source=source, id=doc_id, title=_clean(meta.get("title")),
                  date=normalize_date(meta.get("date")), url=_clean(meta.get("url")),
                  author=_clean(meta.get("author")), tags=[str(t) for t in meta.get("tags") or []])
        limit = (options or ArchiveOptions()).max_chars
        if not text.strip():
            doc.error = "empty text after extraction"
        elif len(text) > limit:
            doc.error = f"post too long: {len(text):,} characters > limit {limit:,} (raise --max-chars)"
            doc.text = ""
        return doc

    @classmethod
    def failed(cls, source: str, reason: str, *, key: Optional[str] = None, **meta: Any) -> "Document":
        """A document standing for a post or file that could not be read."""
        doc = cls(text="", source=source, id=stable_id("", source if key is None else f"{source}#{key}"),
                  title=_clean(meta.get("title")), date=normalize_date(meta.get("date")),
                  url=_clean(meta.get("url")))
        doc.error = " ".join(str(reason).split())
        return doc

    def meta(self) -> Dict[str, Any]:
        """The metadata fields of the record schema."""
        return {"id": self.id, "source": self.source, "title": self.title, "date": self.date, "url": self.url}


def _clean(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def normalize_date(value: Any) -> Optional[str]:
    """ISO 8601 for a date in any usual blog form (ISO, RFC 822, WordPress, date objects), else None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return dt.datetime(*value[:6], tzinfo=dt.timezone.utc).isoformat()
    text = str(value).strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        logger.debug("unparsable date %r", text)
        return None
    if len(text) == 10 and parsed.time() == dt.time(0):
        return parsed.date().isoformat()
    return parsed.isoformat()


def decode_bytes(data: bytes) -> str:
    """Decode text: a BOM decides (UTF-8/16/32); else UTF-8; else Windows-1252 for 8-bit text.

    Raises :class:`ArchiveError` for binary data (NUL or many control bytes) or bytes
    invalid in the encoding their BOM announces.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as err:
                raise ArchiveError(f"invalid {encoding.upper()} (BOM present) at byte {err.start + len(bom)}") from None
    head = data[:65536]
    if b"\x00" in head:
        raise ArchiveError("binary data (NUL bytes), not text")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(head) // 100):
        raise ArchiveError(f"binary data ({controls} control bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        position = err.start
    logger.info("not UTF-8 (byte %d); decoding as Windows-1252", position)
    return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_limited(path: Path, limit: int) -> bytes:
    """Read a whole file, refusing (without reading) files over ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise ArchiveError(f"file too large: {size:,} bytes > limit {limit:,} (raise --max-chars)")
    with open(path, "rb") as handle:
        data = handle.read(size + 1)
    if len(data) > limit:
        raise ArchiveError(f"file too large: more than {limit:,} bytes (raise --max-chars)")
    return data
