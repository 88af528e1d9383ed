"""The one record schema: a scored post as a JSON-safe dict.

Every output (JSONL/CSV/Parquet, the report, evaluation) is built from
:func:`to_record` or :func:`error_record`.
"""
from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Mapping, Optional

from spacy.tokens import Doc

from .extensions import SPANS_KEY

RECORD_FIELDS = (
    "id", "source", "title", "date", "url", "text", "hype", "hype_level", "label",
    "sentences", "spans", "methodologies", "model", "error",
)


def stable_id(text: str, source: Optional[str] = None) -> str:
    """A stable id from the source and the text (same input, same id, across runs and machines)."""
    digest = hashlib.sha1(((source or "") + "\x00" + text).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(float(value), 6)


def _meta(doc: Doc, meta: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    merged: Dict[str, Any] = dict(doc._.meta or {})
    merged.update(meta or {})
    return merged


def to_record(
    doc: Doc,
    meta: Optional[Mapping[str, Any]] = None,
    *,
    model: Optional[Mapping[str, Any]] = None,
    text: bool = True,
) -> Dict[str, Any]:
    """Convert a processed ``Doc`` into the record schema.

    ``meta`` (or ``doc._.meta``) may carry ``id``, ``source``, ``title``, ``date`` and
    ``url``; a missing id is derived from source and text with :func:`stable_id`.
    The record carries the text its offsets refer to unless ``text=False``.
    """
    info = _meta(doc, meta)
    sentence_scores = doc._.sentence_hype or {}
    sentences: List[Dict[str, Any]] = []
    if doc.has_annotation("SENT_START"):
        for sent in doc.sents:
            score = sentence_scores.get(f"{sent.start_char}:{sent.end_char}")
            sentences.append({"start": sent.start_char, "end": sent.end_char, "hype": _round(score)})
    spans = [
        {
            "start": span.start_char,
            "end": span.end_char,
            "label": span.label_,
            "text": span.text,
            "id": span.id_ or None,
            "stance": span._.stance,
        }
        for span in (doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else [])
    ]
    return {
        "id": info.get("id") or stable_id(doc.text, info.get("source")),
        "source": info.get("source"),
        "title": info.get("title"),
        "date": info.get("date"),
        "url": info.get("url"),
        "text": doc.text if text else None,
        "hype": _round(doc._.hype),
        "hype_level": _round(doc._.hype_level),
        "label": doc._.hype_label,
        "sentences": sentences,
        "spans": spans,
        "methodologies": doc._.methodologies,
        "model": dict(model) if model else model_info(doc),
        "error": None,
    }


def model_info(doc: Doc) -> Optional[Dict[str, Any]]:
    """Name, version and dtype of the model that scored ``doc`` (``None`` when no classifier ran)."""
    info = doc._.hype_model
    return dict(info) if info else None


def error_record(reason: str, meta: Optional[Mapping[str, Any]] = None, *, text: str = "") -> Dict[str, Any]:
    """A record for a post or file that could not be scored; ``reason`` is one line."""
    info = dict(meta or {})
    record: Dict[str, Any] = {field: None for field in RECORD_FIELDS}
    record.update({key: info.get(key) for key in ("source", "title", "date", "url")})
    record["id"] = info.get("id") or stable_id(text, info.get("source"))
    record["sentences"], record["spans"], record["methodologies"] = [], [], []
    record["error"] = " ".join(str(reason).split())
    return record
