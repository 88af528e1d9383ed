"""Register hypedetect's custom attributes on spaCy's ``Doc`` and ``Span``.

Values are plain Python objects stored in ``doc.user_data`` so they survive
``Doc.to_bytes`` (and therefore ``nlp.pipe(..., n_process=N)``).
"""
from __future__ import annotations

from typing import List, Optional

from spacy.tokens import Doc, Span

SPANS_KEY = "hype"
STANCES = ("asserted", "negated", "reported")
LABELS = ("METHODOLOGY", "PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL", "HEDGE", "CAVEAT")
CLAIM_LABELS = ("PROMISE", "BOOSTER", "URGENCY", "UNIVERSAL")
NUANCE_LABELS = ("HEDGE", "CAVEAT")


def _methodologies(doc: Doc) -> List[str]:
    group = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
    return sorted({span.id_ for span in group if span.label_ == "METHODOLOGY" and span.id_})


def _sent_hype(span: Span) -> Optional[float]:
    scores = span.doc._.sentence_hype
    if not scores:
        return None
    return scores.get(f"{span.start_char}:{span.end_char}")


def register_extensions() -> None:
    """Register every extension once; safe to call repeatedly."""
    for name, default in (
        ("hype", None),
        ("hype_level", None),
        ("hype_label", None),
        ("sentence_hype", None),
        ("meta", None),
        ("hype_model", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("methodologies"):
        Doc.set_extension("methodologies", getter=_methodologies)
    if not Span.has_extension("stance"):
        Span.set_extension("stance", default="asserted")
    if not Span.has_extension("hype"):
        Span.set_extension("hype", getter=_sent_hype)


register_extensions()
