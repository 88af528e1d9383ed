"""Tagging resources: methodology and claim patterns for the ``hypedetect_tagger`` component.

All lexical knowledge lives in ``hypedetect/resources`` as data. This module turns
that data into patterns for the ``hypedetect_tagger`` component and provides the
span filter that applies context requirements and label precedence after matching.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, Iterable, List, Set, Tuple

from spacy.tokens import Span
from spacy.util import filter_spans

PatternType = Dict[str, Any]


def _resource_text(name: str) -> str:
    return resources.files("hypedetect").joinpath("resources", name).read_text(encoding="utf-8")


def read_jsonl_resource(name: str) -> List[Dict[str, Any]]:
    """Read a JSON-lines file shipped in ``hypedetect/resources``."""
    return [json.loads(line) for line in _resource_text(name).splitlines() if line.strip()]


@lru_cache(maxsize=None)
def methodologies() -> Tuple[Dict[str, Any], ...]:
    """Return the methodology lexicon (``resources/methodologies.jsonl``), one dict per entry."""
    return tuple(read_jsonl_resource("methodologies.jsonl"))


@lru_cache(maxsize=None)
def methodology_index() -> Dict[str, Dict[str, Any]]:
    """Map canonical id to its lexicon entry."""
    return {entry["id"]: entry for entry in methodologies()}


@lru_cache(maxsize=None)
def tagger_settings() -> Dict[str, Any]:
    """Return ``resources/tagger_settings.json``."""
    return json.loads(_resource_text("tagger_settings.json"))


def methodology_patterns() -> List[PatternType]:
    """METHODOLOGY phrase patterns; aliases listed as case-sensitive match on exact spelling (``ORTH``)."""
    patterns: List[PatternType] = []
    for entry in methodologies():
        exact = set(entry.get("case_sensitive", []))
        context = set(entry.get("requires_context", []))
        for alias in entry["aliases"]:
            pattern: PatternType = {"label": "METHODOLOGY", "id": entry["id"], "pattern": alias,
                                    "attr": "ORTH" if alias in exact else "NORM"}
            if alias in context:
                pattern["requires_context"] = True
            patterns.append(pattern)
    return patterns


def claim_patterns() -> List[PatternType]:
    """PROMISE/BOOSTER/URGENCY/UNIVERSAL/HEDGE/CAVEAT patterns from ``resources/claims.jsonl``."""
    patterns: List[PatternType] = []
    for row in read_jsonl_resource("claims.jsonl"):
        if "pattern" in row:
            patterns.append({"label": row["label"], "pattern": row["pattern"]})
        for phrase in row.get("phrases", []):
            patterns.append({"label": row["label"], "pattern": phrase, "attr": "NORM"})
    return patterns


def default_patterns() -> List[PatternType]:
    """Every pattern the default tagger uses."""
    return methodology_patterns() + claim_patterns()


def _has_context(span: Span, words: Set[str], window: int) -> bool:
    doc = span.doc
    bounds = span.sent if doc.has_annotation("SENT_START") else doc[:]
    lo, hi = max(bounds.start, span.start - window), min(bounds.end, span.end + window)
    return any(doc[i].lower_ in words for i in range(lo, hi) if not span.start <= i < span.end)


def filter_hype_spans(
    found: Iterable[Span],
    *,
    context_window: int,
    context_words: Set[str],
    suppressed_by: Dict[str, Set[str]],
    requires_context: Set[Tuple[str, str]],
) -> List[Span]:
    """Filter matched spans: context checks, suppression, then first-longest per label.

    ``requires_context`` holds ``(id, lowercased alias)`` pairs that only count
    with a context word within ``context_window`` tokens.

    Spans of different labels may overlap ("10x" BOOSTER inside "10x your pipeline"
    PROMISE), except that a nuance span (e.g. CAVEAT "not a silver bullet")
    suppresses the claim spans it contains ("silver bullet").
    """
    spans = [
        span for span in found
        if span.label_ != "METHODOLOGY"
        or (span.id_, span.text.lower()) not in requires_context
        or _has_context(span, context_words, context_window)
    ]
    suppressors = [s for s in spans if s.label_ in suppressed_by]
    kept = [
        span for span in spans
        if not any(
            span.label_ in suppressed_by[sup.label_] and sup.start <= span.start and span.end <= sup.end
            and (sup.start, sup.end) != (span.start, span.end)
            for sup in suppressors
        )
    ]
    by_label: Dict[str, List[Span]] = {}
    for span in kept:
        by_label.setdefault(span.label_, []).append(span)
    result = [span for group in by_label.values() for span in filter_spans(group)]
    return sorted(result, key=lambda s: (s.start, s.end, s.label_))
