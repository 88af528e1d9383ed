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
