"""Rule-based tagging of methodologies and claim language into ``doc.spans["hype"]``.

Like spaCy's ``span_ruler``, but phrases are matched with two ``PhraseMatcher``s —
``NORM`` for case-insensitive phrases and ``ORTH`` for acronyms that are also
ordinary words ("AI", "SPIN", "AM") — so throughput does not fall with the size
of the lexicon. The few structural token patterns go through ``Matcher``, each
run only on sentences that contain one of its gate words (see :func:`pattern_gate`),
because ``IN`` predicates are evaluated in Python at every token.
After matching, context requirements and label precedence are applied
(:func:`hypedetect.tagging.filter_hype_spans`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple, Union

import srsly
from spacy.attrs import LOWER, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from ..extensions import SPANS_KEY, register_extensions
from ..tagging import PatternType, default_patterns, filter_hype_spans, tagger_settings


_COLUMNS = {"LOWER": 0, "NORM": 1, "ORTH": 2}
_COMMON_WORDS = frozenset(
    "a an the in on at by for to of from with within under into your our their my its it is are be will "
    "can no not more make makes made go goes went do does get gets every any all each and or".split()
)


def pattern_gate(pattern: List[Dict[str, Any]]) -> Tuple[Optional[str], Optional[FrozenSet[str]]]:
    """The rarest set of words one of which every match must contain, and the attribute it is read from.

    Rarity is approximated by set size, with very common function words counted as expensive
    (a gate on "in" would pass almost every sentence).

    Only required tokens (no ``?``/``*``/``{0,n}`` operator) with a literal or ``IN`` value on
    LOWER, NORM or ORTH qualify; ``(None, None)`` when the pattern has none (it then always runs).
    """
    best: Tuple[Optional[str], Optional[FrozenSet[str]]] = (None, None)
    best_cost = float("inf")
    for token in pattern:
        op = str(token.get("OP", "!"))
        if op in ("?", "*") or op.startswith("{0") or op.startswith("{,"):
            continue
        for attr in ("LOWER", "NORM", "ORTH"):
            value = token.get(attr)
            if isinstance(value, str):
                values = frozenset([value])
            elif isinstance(value, dict) and set(value) == {"IN"}:
                values = frozenset(value["IN"])
            else:
                continue
            cost = len(values) + 1000 * len(values & _COMMON_WORDS)
            if cost < best_cost:
                best, best_cost = (attr, values), cost
    return best


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
        self._gated: List[Tuple[int, Optional[FrozenSet[int]], Matcher]] = []
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
                matcher = Matcher(self.nlp.vocab)
                matcher.add(key, [body])
                attr, gate = pattern_gate(body)
                column = _COLUMNS.get(attr or "", -1)
                ids = frozenset(self.nlp.vocab.strings.add(word) for word in gate) if gate else None
                self._gated.append((column, ids, matcher))
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
        matches = self._token_matches(doc) if self._gated else []
        for phrase_matcher in self._phrase.values():
            if len(phrase_matcher):
                matches.extend(phrase_matcher(doc))
        spans = set()
        for key, start, end in matches:
            label, span_id = self._keys[key]
            spans.add(Span(doc, start, end, label=label, span_id=span_id))
        return sorted(spans)

    def _token_matches(self, doc: Doc) -> List[Tuple[int, int, int]]:
        """Run each token pattern only on sentences that contain one of its gate words.

        Gate checks use hashed attribute arrays, so no ``Token`` objects are created for them.
        """
        values = doc.to_array([LOWER, NORM, ORTH])
        if doc.has_annotation("SENT_START"):
            starts = [i for i, flag in enumerate(doc.to_array(SENT_START).tolist()) if flag == 1] or [0]
        else:
            starts = [0]
        bounds = list(zip(starts, starts[1:] + [len(doc)]))
        matches: List[Tuple[int, int, int]] = []
        for start, end in bounds:
            present: Dict[int, Set[int]] = {}
            for column, gate, matcher in self._gated:
                if gate is not None:
                    if column not in present:
                        present[column] = set(values[start:end, column].tolist())
                    if present[column].isdisjoint(gate):
                        continue
                matches.extend((key, a + start, b + start) for key, a, b in matcher(doc[start:end]))
        return matches

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
