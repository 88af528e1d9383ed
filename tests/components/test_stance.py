import spacy
import pytest

from hypedetect.components.stance import find_quoted_regions


def stance_of(nlp, text, phrase):
    doc = nlp(text)
    matches = [s._.stance for s in doc.spans["hype"] if s.text == phrase]
    assert matches, f"{phrase!r} not tagged in {text!r}: {[s.text for s in doc.spans['hype']]}"
    return matches[0]


@pytest.mark.parametrize(
    "text, phrase, stance",
    [
        ("This will double your pipeline.", "double your pipeline", "asserted"),
        ("This will not double your pipeline.", "double your pipeline", "negated"),
        ("Nobody gets leads on autopilot.", "on autopilot", "negated"),
        ("Vendors claim it doubles your pipeline.", "doubles your pipeline", "reported"),
        ("We were told it would double your pipeline.", "double your pipeline", "reported"),
        ("The pitch was that reps would never need to prospect again.", "never need to prospect again", "reported"),
        ("It was meant to fill your pipeline by spring.", "fill your pipeline", "reported"),
        ('The deck promised "leads on autopilot".', "on autopilot", "reported"),
        ("Sure, it's a game-changer, right?", "game-changer", "reported"),
        ("They called it a \u201cgame-changer\u201d.", "game-changer", "reported"),
        ("Leads on autopilot is a myth.", "on autopilot", "negated"),
        ("You'll never need to prospect again.", "never need to prospect again", "asserted"),
    ],
)
def test_stance_rules(tagger, text, phrase, stance):
    assert stance_of(tagger, text, phrase) == stance


def test_terminator_ends_scope(tagger):
    text = "Vendors claim a lot, but this will double your pipeline."
    assert stance_of(tagger, text, "double your pipeline") == "asserted"


def test_scope_does_not_cross_sentences(tagger):
    text = "Vendors claim many things. This will double your pipeline."
    assert stance_of(tagger, text, "double your pipeline") == "asserted"


def test_apostrophes_are_not_quotes():
    text = "It isn't what reps' managers said. 'Pipeline on autopilot' they said."
    regions = find_quoted_regions(text, [["'", "'"]], 400)
    assert [text[a:b] for a, b in regions] == ["Pipeline on autopilot"]


def test_component_works_in_a_plain_spacy_pipeline_via_entry_point():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "hype"})
    ruler.add_patterns([{"label": "PROMISE", "pattern": "double your pipeline"}])
    nlp.add_pipe("hypedetect_stance")
    doc = nlp("It will not double your pipeline")
    assert [s._.stance for s in doc.spans["hype"]] == ["negated"]


def test_rules_round_trip_to_disk(tmp_path):
    nlp = spacy.blank("en")
    stance = nlp.add_pipe("hypedetect_stance", config={"load_default_rules": False})
    stance.add_rules([{"category": "REPORTED", "direction": "forward", "max_scope": 5, "phrases": ["rumour has it"]}])
    stance.to_disk(tmp_path)
    other = spacy.blank("en").add_pipe("hypedetect_stance")
    other.from_disk(tmp_path)
    assert other.rules == stance.rules
    assert other.from_bytes(stance.to_bytes()).rules == stance.rules


def test_invalid_rule_is_rejected():
    nlp = spacy.blank("en")
    stance = nlp.add_pipe("hypedetect_stance", config={"load_default_rules": False})
    with pytest.raises(ValueError, match="direction"):
        stance.add_rules([{"category": "NEGATED", "direction": "sideways", "max_scope": 3, "phrases": ["no"]}])
