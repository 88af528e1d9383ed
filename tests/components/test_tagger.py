import spacy
import pytest


def test_tagger_entry_point_and_custom_patterns():
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("hypedetect_tagger", config={"load_default_patterns": False})
    tagger.add_patterns([
        {"label": "METHODOLOGY", "id": "widget-selling", "pattern": "widget selling"},
        {"label": "METHODOLOGY", "id": "wsx", "pattern": "WSX", "attr": "ORTH"},
        {"label": "BOOSTER", "pattern": [{"LOWER": "very"}, {"LOWER": "big"}]},
    ])
    doc = nlp("Widget Selling and WSX, not wsx, are very big.")
    assert [(s.text, s.label_, s.id_) for s in doc.spans["hype"]] == [
        ("Widget Selling", "METHODOLOGY", "widget-selling"),
        ("WSX", "METHODOLOGY", "wsx"),
        ("very big", "BOOSTER", ""),
    ]
    assert tagger.labels == ("BOOSTER", "METHODOLOGY")


def test_bad_phrase_attr_is_rejected():
    tagger = spacy.blank("en").add_pipe("hypedetect_tagger", config={"load_default_patterns": False})
    with pytest.raises(ValueError, match="NORM or ORTH"):
        tagger.add_patterns([{"label": "HEDGE", "pattern": "may", "attr": "LEMMA"}])


def test_requires_context(tagger):
    doc = tagger("Our inbound marketing team grew. Inbound flights were late.")
    found = [(s.text, s.id_) for s in doc.spans["hype"] if s.label_ == "METHODOLOGY"]
    assert ("inbound marketing", "inbound") in found or ("inbound", "inbound") in found
    assert all(s.start_char < 32 for s in doc.spans["hype"] if s.label_ == "METHODOLOGY")


def test_patterns_round_trip(tmp_path):
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("hypedetect_tagger")
    tagger.to_disk(tmp_path)
    other = spacy.blank("en").add_pipe("hypedetect_tagger", config={"load_default_patterns": False})
    other.from_disk(tmp_path)
    assert other.patterns == tagger.patterns and other.settings == tagger.settings
    third = spacy.blank("en").add_pipe("hypedetect_tagger", config={"load_default_patterns": False})
    assert third.from_bytes(tagger.to_bytes()).patterns == tagger.patterns


def test_pattern_gate_prefers_rare_required_words():
    from hypedetect.components.tagger import pattern_gate

    pattern = [{"LOWER": {"IN": ["in", "within"]}}, {"LOWER": "just", "OP": "?"}, {"LIKE_NUM": True},
               {"LOWER": {"IN": ["days", "weeks", "months"]}}]
    assert pattern_gate(pattern) == ("LOWER", frozenset({"days", "weeks", "months"}))
    assert pattern_gate([{"LIKE_NUM": True}, {"IS_ALPHA": True, "OP": "?"}]) == (None, None)
    assert pattern_gate([{"ORTH": "%"}]) == ("ORTH", frozenset({"%"}))


def test_gated_patterns_match_like_an_ungated_matcher(tagger):
    from spacy.matcher import Matcher

    tagger_pipe = tagger.get_pipe("hypedetect_tagger")
    plain = Matcher(tagger.vocab)
    for i, p in enumerate(p for p in tagger_pipe.patterns if not isinstance(p["pattern"], str)):
        plain.add(f"p{i}", [p["pattern"]])
    text = ("Our tool will double your pipeline in just 30 days. Reply rates jump 5x. It cuts quote time to zero. "
            "Only 50 seats left, register now! We grew 300% more leads and replaced your entire SDR team.")
    doc = tagger(text)
    gated = {(s, e) for _, s, e in tagger_pipe._token_matches(doc)}
    ungated = {(s, e) for _, s, e in plain(doc) if all(doc[t].sent == doc[s].sent for t in range(s, e))}
    assert gated == ungated and len(gated) >= 6
