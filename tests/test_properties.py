"""Property-based tests of the whole pipeline on hostile text.

CI runs a sample (``HYPEDETECT_PROPERTY_EXAMPLES``, default 100 examples); ``make properties``
runs 10,000.
"""
import json
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypedetect.extensions import LABELS, STANCES
from hypedetect.records import to_record

EXAMPLES = int(os.environ.get("HYPEDETECT_PROPERTY_EXAMPLES", "100"))

ODD = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
       "\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u2028", "\u2029", "\r", "\t", "\n\n", "\ufffd", "\U0001f680",
       "\u0301", "\ud7ff", "\u05d0", "\u0627", "\uff01"]
SALES = ["social selling", "MEDDICC", "will double your pipeline", "guaranteed", "Act now!", "not a silver bullet",
         "\u201cthe only framework\u201d", "ABM", "every rep", "might help", "Sales 2.0", "AI SDR", "10x"]
PUNCT = st.text(alphabet=".,;:!?-\u2014\u2026()[]{}\"'\u201c\u201d*/#@&%", min_size=1, max_size=200)
LONG_TOKEN = st.builds(lambda c, n: c * n, st.sampled_from(["a", "x", "\u00e9", "9", "\u4e2d", "!"]),
                       st.integers(1000, 10000))
PIECE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(ODD),
    st.sampled_from(SALES),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    PUNCT,
)
TEXT = st.one_of(
    st.just(""),
    PUNCT,
    LONG_TOKEN,
    st.lists(PIECE, max_size=30).map(" ".join),
    st.lists(st.one_of(PIECE, LONG_TOKEN), min_size=1, max_size=4).map("".join),
)


def check(doc) -> None:
    text = doc.text
    for span in doc.spans.get("hype", []):
        assert 0 <= span.start_char < span.end_char <= len(text)
        assert text[span.start_char:span.end_char] == span.text
        assert span.label_ in LABELS and span._.stance in STANCES
    if doc._.hype is not None:
        assert 0.0 <= doc._.hype <= 1.0 and not math.isnan(doc._.hype)
        assert 0.0 <= doc._.hype_level <= 4.0
        assert doc._.hype_label in ("hype", "mixed", "nuance")
    for key, score in (doc._.sentence_hype or {}).items():
        start, end = map(int, key.split(":"))
        assert 0 <= start < end <= len(text) and 0.0 <= score <= 1.0
    record = to_record(doc)
    json.loads(json.dumps(record))
    for span in record["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.properties
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(TEXT)
def test_pipeline_never_fails_on_hostile_text(nlp, text):
    check(nlp(text))


@pytest.mark.properties
@settings(max_examples=max(10, EXAMPLES // 10), deadline=None, suppress_health_check=list(HealthCheck),
          database=None)
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_batches_of_hostile_text_match_one_by_one(nlp, texts):
    for doc, text in zip(nlp.pipe(texts, batch_size=4), texts):
        check(doc)
        assert doc.text == text
