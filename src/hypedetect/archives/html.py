"""HTML pages: the main text via trafilatura (navigation, comments and scripts left out)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from .base import ArchiveError, ArchiveOptions, Document, MissingExtraError, decode_bytes, read_limited

logger = logging.getLogger(__name__)


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError as err:
        raise MissingExtraError(
            f"reading HTML needs trafilatura ({err}); install it with: pip install 'hypedetect[archives]'"
        ) from None
    return trafilatura


def extract_html(markup: str, *, url: Optional[str] = None) -> Dict[str, Any]:
    """Main text and metadata (title, date, url, author, tags) of an HTML page or fragment."""
    trafilatura = _trafilatura()
    result = trafilatura.bare_extraction(markup, url=url, with_metadata=True, include_comments=False,
                                         include_tables=True, include_images=False, include_links=False)
    if result is None:
        return {"text": "", "title": None, "date": None, "url": url, "author": None, "tags": []}
    return {
        "text": getattr(result, "text", "") or "",
        "title": getattr(result, "title", None),
        "date": getattr(result, "date", None),
        "url": getattr(result, "url", None) or url,
        "author": getattr(result, "author", None),
        "tags": list(getattr(result, "tags", None) or []) + list(getattr(result, "categories", None) or []),
    }


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment such as a feed entry body: every paragraph kept, markup dropped.

    Unlike :func:`extract_html` this keeps all content (a feed or WXR body has no
    navigation to remove, and short posts must not be judged boilerplate).
    """
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    blocks = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "br", "section",
              "article", "ul", "ol", "table", "figure", "figcaption", "hr"}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in blocks:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def read_html_file(path: Path, options: ArchiveOptions) -> Iterator[Document]:
    """One document per HTML page."""
    source = str(path)
    try:
        markup = decode_bytes(read_limited(path, options.file_limit))
    except ArchiveError as err:
        yield Document.failed(source, str(err))
        return
    if "<" not in markup:
        yield Document.failed(source, "not HTML: no markup found")
        return
    info = extract_html(markup)
    if not info["text"].strip():
        yield Document.failed(source, "no main text found in the HTML page", title=info["title"], url=info["url"])
        return
    yield Document.make(info.pop("text"), source, options=options, **info)
