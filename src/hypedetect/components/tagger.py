"""Rule-based tagging of methodologies and claim language into ``doc.spans["hype"]``.

Like spaCy's ``span_ruler``, but phrases are matched with two ``PhraseMatcher``s —
``NORM`` for case-insensitive phrases and ``ORTH`` for acronyms that are also
ordinary words ("AI", "SPIN", "AM") — so throughput does not fall with the size
of the lexicon; only the few structural token patterns go through ``Matcher``.
After matching, context requirements and label precedence are applied
(:func:`hypedetect.tagging.filter_hype_spans`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Set, Tuple, Union

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from ..extensions import SPANS_KEY, register_extensions
from ..tagging import PatternType, default_patterns, filter_hype_spans, tagger_settings


class HypeTagger:
    """Tag METHODOLOGY, PROMISE, BOOSTER, URGENCY, UNIVERSAL, HEDGE and CAVEAT spans.

    Patterns are dicts ``{"label", "pattern", "id"?, "attr"?}`` where ``pattern`` is
    a phrase string (matched on ``attr``: ``"NORM"`` by default or ``"ORTH"``) or a
    list of token-pattern dicts as in spaCy's ``Matcher``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "hypedetect_tagger",
        *,
        spans_key: str = SPANS_KEY,
        load_default_patterns: bool = True,
    ) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.settings: Dict[str, Any] = dict(tagger_settings())
        self.patterns: List[PatternType] = []
        self._reset_matchers()
        if load_default_patterns:
            self.add_patterns(default_patterns())

    def _reset_matchers(self) -> None:
        self._phrase = {"NORM": PhraseMatcher(self.nlp.vocab, attr="NORM"),
                        "ORTH": PhraseMatcher(self.nlp.vocab, attr="ORTH")}
        self._matcher = Matcher(self.nlp.vocab)
        self._keys: Dict[int, Tuple[str, str]] = {}
        self._requires_context: Set[Tuple[str, str]] = set()

    def _key(self, label: str, span_id: str) -> str:
        key = f"{label}|{span_id}"
        self._keys[self.nlp.vocab.strings.add(key)] = (label, span_id)
        return key

    def add_patterns(self, patterns: Iterable[PatternType]) -> None:
        """Add patterns (see class docstring)."""
        for pattern in patterns:
            label, span_id = pattern["label"], pattern.get("id") or ""
            key = self._key(label, span_id)
            body = pattern["pattern"]
            if isinstance(body, str):
                attr = pattern.get("attr", "NORM")
                if attr not in self._phrase:
                    raise ValueError(f"phrase attr must be NORM or ORTH, got {attr!r}")
                self._phrase[attr].add(key, [self.nlp.make_doc(body)])
                if pattern.get("requires_context"):
                    self._requires_context.add((span_id, body.lower()))
            else:
                self._matcher.add(key, [body])
            self.patterns.append(dict(pattern))

    def clear(self) -> None:
        """Remove every pattern."""
        self.patterns = []
        self._reset_matchers()

    @property
    def labels(self) -> Tuple[str, ...]:
        """Labels present in the patterns."""
        return tuple(sorted({p["label"] for p in self.patterns}))

    def match(self, doc: Doc) -> List[Span]:
        """All raw matches as spans, before filtering."""
        matches = list(self._matcher(doc)) if len(self._matcher) else []
        for phrase_matcher in self._phrase.values():
            if len(phrase_matcher):
                matches.extend(phrase_matcher(doc))
        spans = set()
        for key, start, end in matches:
            label, span_id = self._keys[key]
            spans.add(Span(doc, start, end, label=label, span_id=span_id))
        return sorted(spans)

    def __call__(self, doc: Doc) -> Doc:
        found = filter_hype_spans(
            self.match(doc),
            context_window=int(self.settings["context_window"]),
            context_words=set(self.settings["context_words"]),
            suppressed_by={k: set(v) for k, v in self.settings["suppressed_by"].items()},
            requires_context=self._requires_context,
        )
        doc.spans[self.spans_key] = found
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def to_disk(self, path: Union[str, Path], *, exclude: Sequence[str] = tuple()) -> None:
        """Save patterns and settings to a directory."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)
        srsly.write_json(path / "settings.json", self.settings)

    def from_disk(self, path: Union[str, Path], *, exclude: Sequence[str] = tuple()) -> "HypeTagger":
        """Load patterns and settings saved by :meth:`to_disk`, replacing the current ones."""
        path = ensure_path(path)
        self.clear()
        self.settings = srsly.read_json(path / "settings.json")
        self.add_patterns(srsly.read_jsonl(path / "patterns.jsonl"))
        return self

    def to_bytes(self, *, exclude: Sequence[str] = tuple()) -> bytes:
        """Serialize patterns and settings."""
        return srsly.msgpack_dumps({"patterns": self.patterns, "settings": self.settings})

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = tuple()) -> "HypeTagger":
        """Load patterns and settings serialized by :meth:`to_bytes`."""
        msg = srsly.msgpack_loads(data)
        self.clear()
        self.settings = msg["settings"]
        self.add_patterns(msg["patterns"])
        return self


@Language.factory(
    "hypedetect_tagger",
    default_config={"spans_key": SPANS_KEY, "load_default_patterns": True},
)
def make_tagger(nlp: Language, name: str, spans_key: str, load_default_patterns: bool) -> HypeTagger:
    """Create the ``hypedetect_tagger`` component."""
    return HypeTagger(nlp, name, spans_key=spans_key, load_default_patterns=load_default_patterns)
