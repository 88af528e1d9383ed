"""Plain-text and Markdown posts, with YAML (``---``) or TOML (``+++``) front matter."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

from .base import ArchiveError, ArchiveOptions, Document, decode_bytes, read_limited

_FRONT = {
    "---": re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S),
    "+++": re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S),
}
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_KEYS = {
    "title": ("title",),
    "date": ("date", "published", "pubdate", "publishdate", "created"),
    "url": ("url", "permalink", "canonical_url", "link"),
    "author": ("author", "authors", "by"),
    "tags": ("tags", "categories", "keywords"),
}


def split_front_matter(text: str) -> Tuple[Dict[str, Any], str]:
    """``(metadata, body)``; metadata is empty when the text has no front matter.

    Raises :class:`ArchiveError` when front matter is present but does not parse.
    """
    text = text.lstrip("\ufeff")
    for fence, pattern in _FRONT.items():
        if not text.startswith(fence):
            continue
        match = pattern.match(text)
        if match is None:
            raise ArchiveError(f"front matter opened with {fence} is never closed")
        raw, body = match.group(1), text[match.end():]
        try:
            data = _parse_yaml(raw) if fence == "---" else _parse_toml(raw)
        except Exception as err:  # noqa: BLE001  both parsers have many error types
            kind = "YAML" if fence == "---" else "TOML"
            raise ArchiveError(f"invalid {kind} front matter: {' '.join(str(err).split())[:200]}") from None
        if not isinstance(data, dict):
            raise ArchiveError("front matter is not a mapping")
        return data, body
    return {}, text


def _parse_yaml(raw: str) -> Any:
    import yaml

    return yaml.safe_load(raw) or {}


def _parse_toml(raw: str) -> Any:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib

    return tomllib.loads(raw)


def front_matter_meta(data: Dict[str, Any]) -> Dict[str, Any]:
    """Map the usual front-matter keys onto title, date, url, author and tags."""
    lowered = {str(k).lower(): v for k, v in data.items()}
    meta: Dict[str, Any] = {}
    for name, keys in _KEYS.items():
        value = next((lowered[k] for k in keys if lowered.get(k) not in (None, "")), None)
        if name == "author" and isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        if name == "author" and isinstance(value, dict):
            value = value.get("name")
        if name == "tags" and isinstance(value, str):
            value = [t.strip() for t in value.split(",") if t.strip()]
        meta[name] = value
    return meta


def read_text_file(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """One document per ``.txt``/``.md`` file."""
    source = str(path)
    try:
        text = decode_bytes(read_limited(path, options.file_limit))
        data, body = split_front_matter(text)
    except ArchiveError as err:
        yield Document.failed(source, str(err))
        return
    meta = front_matter_meta(data)
    if not meta.get("title") and path.suffix.lower() != ".txt":
        heading: Optional[re.Match] = _HEADING.search(body)
        meta["title"] = heading.group(1) if heading else None
    yield Document.make(body.strip("\n"), source, options=options, **meta)
