"""WordPress WXR exports (streamed) and RSS/Atom feeds (feedparser, full content).

All XML goes through defusedxml first: entity declarations (billion laughs) and
external references (XXE) are refused before any parser expands or fetches them.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from .base import ArchiveError, ArchiveOptions, Document, MissingExtraError, read_limited

logger = logging.getLogger(__name__)

WXR_MARK = b"wordpress.org/export/"
POST_TYPES = ("post",)
STATUSES = ("publish",)


def _split(tag: Any) -> Tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _unsafe_reason(err: Exception) -> Optional[str]:
    name = type(err).__name__
    if name == "EntitiesForbidden":
        return "XML declares entities (possible entity-expansion attack); refused"
    if name == "ExternalReferenceForbidden":
        return "XML references an external resource (possible XXE); refused"
    if name == "DTDForbidden":
        return "XML has a DTD; refused"
    return None


def sniff_xml(head: bytes) -> str:
    """``"wxr"``, ``"feed"`` or ``"unknown"`` from the first bytes of an XML file."""
    if WXR_MARK in head:
        return "wxr"
    lowered = head.lower()
    if b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered:
        return "feed"
    return "unknown"


def read_xml_file(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """Documents of a WXR export or an RSS/Atom feed."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    kind = sniff_xml(head)
    if kind == "wxr":
        yield from read_wxr(path, options)
    elif kind == "feed":
        yield from read_feed(path, options)
    elif not head.strip():
        yield Document.failed(str(path), "empty file")
    else:
        yield Document.failed(str(path), "XML is neither a WordPress export nor an RSS/Atom feed")


def _wxr_item(item: Any) -> Dict[str, Any]:
    fields: Dict[str, Any] = {"tags": []}
    for child in item:
        ns, local = _split(child.tag)
        text = child.text or ""
        if ns.startswith("http://purl.org/rss/1.0/modules/content"):
            fields["content"] = text
        elif "wordpress.org/export" in ns and "excerpt" not in ns:
            if local in ("post_id", "post_type", "status", "post_date_gmt", "post_date", "post_name"):
                fields[local] = text.strip()
        elif ns.startswith("http://purl.org/dc/elements") and local == "creator":
            fields["author"] = text
        elif not ns and local in ("title", "link", "pubDate", "guid"):
            fields[local] = text
        elif not ns and local == "category" and text.strip():
            fields["tags"].append(text.strip())
    return fields


def read_wxr(path: Path, options: ArchiveOptions, *, post_types: Tuple[str, ...] = POST_TYPES,
             statuses: Tuple[str, ...] = STATUSES) -> Iterator[Document]:
    """Published posts of a WordPress export, streamed item by item (memory flat in the file's size)."""
    import defusedxml.ElementTree as SafeET

    from .html import html_to_text

    source = str(path)
    parents: List[Any] = []
    count = skipped = 0
    try:
        for event, element in SafeET.iterparse(str(path), events=("start", "end"), forbid_dtd=False,
                                               forbid_entities=True, forbid_external=True):
            local = _split(element.tag)[1]
            if event == "start":
                if local == "channel":
                    parents.append(element)
                continue
            if local != "item":
                continue
            fields = _wxr_item(element)
            if parents and len(parents[-1]) and parents[-1][-1] is element:
                parents[-1].remove(element)
            element.clear()
            if fields.get("post_type", "post") not in post_types or fields.get("status", "publish") not in statuses:
                skipped += 1
                continue
            count += 1
            key = fields.get("post_id") or fields.get("guid") or str(count)
            date = fields.get("post_date_gmt") if fields.get("post_date_gmt", "").strip("0-: ") else None
            meta = {"title": fields.get("title"), "url": fields.get("link") or fields.get("guid"),
                    "date": date or fields.get("post_date") or fields.get("pubDate"),
                    "author": fields.get("author"), "tags": fields["tags"]}
            try:
                text = html_to_text(fields.get("content", ""))
            except Exception as err:  # noqa: BLE001  one bad body must not stop the export
                yield Document.failed(source, f"cannot extract post body: {err}", key=key, **meta)
                continue
            yield Document.make(text, source, key=key, options=options, **meta)
    except Exception as err:  # noqa: BLE001  ParseError and defusedxml's refusals
        reason = _unsafe_reason(err) or f"XML parse error: {' '.join(str(err).split())}"
        if count:
            reason += f" (after {count} posts, which were read)"
        yield Document.failed(source, reason)
    logger.debug("%s: %d posts, %d other items skipped", source, count, skipped)


def _check_xml(data: bytes) -> None:
    """Raise :class:`ArchiveError` if ``data`` is unsafe or malformed XML (checked without expansion)."""
    import io
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeET

    try:
        for _event, element in SafeET.iterparse(io.BytesIO(data), events=("end",), forbid_dtd=False,
                                                forbid_entities=True, forbid_external=True):
            element.clear()
    except ParseError as err:
        raise ArchiveError(f"XML parse error: {err}") from None
    except Exception as err:  # noqa: BLE001
        reason = _unsafe_reason(err)
        if reason is None:
            raise
        raise ArchiveError(reason) from None


def _entry_text(entry: Any) -> Tuple[str, bool]:
    contents = entry.get("content") or []
    for item in sorted(contents, key=lambda c: "html" not in (c.get("type") or "")):
        if (item.get("value") or "").strip():
            return item["value"], True
    return entry.get("summary") or entry.get("description") or "", False


def read_feed(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """Entries of an RSS or Atom feed, from their full content (the summary only when there is none)."""
    from .html import html_to_text

    source = str(path)
    try:
        import feedparser
    except ImportError as err:
        raise MissingExtraError(
            f"reading RSS/Atom needs feedparser ({err}); install it with: pip install 'hypedetect[archives]'"
        ) from None
    try:
        data = read_limited(path, options.file_limit)
        _check_xml(data)
    except ArchiveError as err:
        yield Document.failed(source, str(err))
        return
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if parsed.get("bozo") and not parsed.entries:
        yield Document.failed(source, f"feed does not parse: {parsed.get('bozo_exception')}")
        return
    for index, entry in enumerate(parsed.entries):
        body, full = _entry_text(entry)
        if not full:
            logger.info("%s: entry %d has no full content; using its summary", source, index)
        key = entry.get("id") or entry.get("link") or str(index)
        date = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")
        meta = {"title": entry.get("title"), "url": entry.get("link"), "date": date,
                "author": entry.get("author"), "tags": [t.get("term") for t in entry.get("tags") or [] if t.get("term")]}
        yield Document.make(html_to_text(body), source, key=key, options=options, **meta)

