"""ConText-style stance scoping for hype spans.

A span's stance says who stands behind it: ``asserted`` (the author),
``negated`` (the author denies it) or ``reported`` (quoted, attributed, framed
as a past or failed promise, or mocked). The rules are data — trigger phrases
with a category, a direction and a maximum scope in tokens, plus terminators —
read from ``resources/stance_rules.jsonl`` and saved with the pipeline.
"""
from __future__ import annotations

import json
import logging
from bisect import bisect_left
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from ..extensions import SPANS_KEY, register_extensions
from ..tagging import _resource_text, read_jsonl_resource

logger = logging.getLogger(__name__)

CATEGORIES = ("NEGATED", "REPORTED", "TERMINATE")
DIRECTIONS = ("forward", "backward", "bidirectional")
_STANCE_OF = {"NEGATED": "negated", "REPORTED": "reported"}

Rule = Dict[str, Any]
Trigger = Tuple[int, int, int]


def default_rules() -> List[Rule]:
    """The shipped stance rules (``resources/stance_rules.jsonl``)."""
    return read_jsonl_resource("stance_rules.jsonl")


def default_settings() -> Dict[str, Any]:
    """The shipped stance settings (``resources/stance_settings.json``)."""
    return json.loads(_resource_text("stance_settings.json"))


def validate_rule(rule: Rule) -> None:
    """Raise ``ValueError`` when a rule is not well formed."""
    if rule.get("category") not in CATEGORIES:
        raise ValueError(f"stance rule needs a category in {CATEGORIES}: {rule!r}")
    if rule.get("direction") not in DIRECTIONS:
        raise ValueError(f"stance rule needs a direction in {DIRECTIONS}: {rule!r}")
    if not isinstance(rule.get("max_scope"), int) or rule["max_scope"] < 0:
        raise ValueError(f"stance rule needs a non-negative integer max_scope: {rule!r}")
    if not rule.get("phrases") and not rule.get("pattern"):
        raise ValueError(f"stance rule needs 'phrases' or a token 'pattern': {rule!r}")


def find_quoted_regions(text: str, quote_pairs: Sequence[Sequence[str]], max_chars: int) -> List[Tuple[int, int]]:
    """Character ranges ``(start, end)`` inside quotation marks, paragraph-bounded.

    An apostrophe inside a word (``isn't``, ``reps'``) never opens or closes a
    quotation; a quotation longer than ``max_chars`` is treated as unbalanced.
    """
    regions: List[Tuple[int, int]] = []
    for open_q, close_q in quote_pairs:
        i = 0
        while True:
            start = text.find(open_q, i)
            if start < 0:
                break
            i = start + 1
            if open_q in "'\u2019" and start > 0 and (text[start - 1].isalnum()):
                continue
            if start + 1 < len(text) and text[start + 1].isspace():
                continue
            end = start + 1
            found = -1
            while end < len(text) and end - start <= max_chars:
                ch = text[end]
                if ch == "\n" and text[end + 1: end + 2] == "\n":
                    break
                if ch == close_q and not text[end - 1].isspace():
                    after = text[end + 1: end + 2]
                    if close_q in "'\u2019" and after.isalpha():
                        end += 1
                        continue
                    found = end
                    break
                end += 1
            if found > 0:
                regions.append((start + 1, found))
                i = found + 1
    return regions


class StanceScoper:
    """Set ``span._.stance`` on every span in ``doc.spans[spans_key]``.

    Precedence: a span inside quotation marks gets ``quoted_stance``; otherwise a
    REPORTED trigger in scope wins over a NEGATED one. A trigger never scopes over
    a span it overlaps ("never" inside "you'll never prospect again"), scopes stop
    at sentence ends and at TERMINATE triggers, and each rule may restrict the
    labels it applies to. METHODOLOGY spans take only the quotation rule unless
    ``methodology_stance`` is ``"all_rules"``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "hypedetect_stance",
        *,
        spans_key: str = SPANS_KEY,
        max_quote_chars: int = 400,
        load_default_rules: bool = True,
    ) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.max_quote_chars = max_quote_chars
        self.rules: List[Rule] = []
        self.settings: Dict[str, Any] = default_settings()
        self._reset_matchers()
        if load_default_rules:
            self.add_rules(default_rules())

    def add_rules(self, rules: Iterable[Rule]) -> None:
        """Add stance rules: dicts with ``category``, ``direction``, ``max_scope`` and ``phrases`` or ``pattern``."""
        for rule in rules:
            validate_rule(rule)
            key = f"stance_rule_{len(self.rules)}"
            self.rules.append(dict(rule))
            phrases = [self.nlp.make_doc(p) for p in rule.get("phrases", [])]
            if phrases:
                self._phrase_matcher.add(key, [doc for doc in phrases if len(doc)])
            if rule.get("pattern"):
                self._matcher.add(key, [rule["pattern"]])

    def _reset_matchers(self) -> None:
        self._phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._matcher = Matcher(self.nlp.vocab)

    def clear(self) -> None:
        """Remove every rule."""
        self.rules = []
        self._reset_matchers()

    def __call__(self, doc: Doc) -> Doc:
        if self.spans_key not in doc.spans or not len(doc.spans[self.spans_key]):
            return doc
        triggers, terminators = self._triggers(doc)
        quoted = find_quoted_regions(doc.text, self.settings["quote_pairs"], self.max_quote_chars)
        for span in doc.spans[self.spans_key]:
            span._.stance = self.stance_of(span, triggers, terminators, quoted)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def _triggers(self, doc: Doc) -> Tuple[List[Trigger], List[int]]:
        triggers: List[Trigger] = []
        terminators: List[int] = []
        matches = list(self._phrase_matcher(doc)) + (list(self._matcher(doc)) if len(self._matcher) else [])
        for match_id, start, end in matches:
            index = int(self.nlp.vocab.strings[match_id].rsplit("_", 1)[1])
            if self.rules[index]["category"] == "TERMINATE":
                terminators.extend(range(start, end))
            else:
                triggers.append((index, start, end))
        return triggers, sorted(set(terminators))

    def stance_of(
        self,
        span: Span,
        triggers: Sequence[Trigger],
        terminators: Sequence[int],
        quoted: Sequence[Tuple[int, int]],
    ) -> str:
        """Decide one span's stance from precomputed triggers, terminator positions and quoted regions."""
        if any(q_start <= span.start_char and span.end_char <= q_end for q_start, q_end in quoted):
            return self.settings["quoted_stance"]
        if span.label_ == "METHODOLOGY" and self.settings["methodology_stance"] != "all_rules":
            return "asserted"
        sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
        found = set()
        for index, t_start, t_end in triggers:
            rule = self.rules[index]
            if t_start < span.end and span.start < t_end:
                continue
            if not (sent.start <= t_start and t_end <= sent.end):
                continue
            labels = rule.get("labels")
            if labels and span.label_ not in labels:
                continue
            if self._in_scope(rule, t_start, t_end, span, terminators):
                found.add(_STANCE_OF[rule["category"]])
        for stance in self.settings["precedence"]:
            if stance in found:
                return stance
        return "asserted"

    @staticmethod
    def _in_scope(rule: Rule, t_start: int, t_end: int, span: Span, terminators: Sequence[int]) -> bool:
        direction, scope = rule["direction"], rule["max_scope"]
        if direction in ("forward", "bidirectional") and t_end <= span.start:
            gap = (t_end, span.start)
        elif direction in ("backward", "bidirectional") and span.end <= t_start:
            gap = (span.end, t_start)
        else:
            return False
        if gap[1] - gap[0] > scope:
            return False
        first = bisect_left(terminators, gap[0])
        return not (first < len(terminators) and terminators[first] < gap[1])

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        """Save rules and settings to a directory."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", self.rules)
        srsly.write_json(path / "settings.json", self.settings)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "StanceScoper":
        """Load rules and settings saved by :meth:`to_disk`, replacing the current ones."""
        path = ensure_path(path)
        self.clear()
        self.add_rules(srsly.read_jsonl(path / "rules.jsonl"))
        self.settings = srsly.read_json(path / "settings.json")
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        """Serialize rules and settings."""
        return srsly.msgpack_dumps({"rules": self.rules, "settings": self.settings})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "StanceScoper":
        """Load rules and settings serialized by :meth:`to_bytes`."""
        msg = srsly.msgpack_loads(data)
        self.clear()
        self.add_rules(msg["rules"])
        self.settings = msg["settings"]
        return self


@Language.factory(
    "hypedetect_stance",
    default_config={"spans_key": SPANS_KEY, "max_quote_chars": 400, "load_default_rules": True},
)
def make_stance(
    nlp: Language, name: str, spans_key: str, max_quote_chars: int, load_default_rules: bool
) -> StanceScoper:
    """Create the ``hypedetect_stance`` component."""
    return StanceScoper(
        nlp, name, spans_key=spans_key, max_quote_chars=max_quote_chars, load_default_rules=load_default_rules
    )
