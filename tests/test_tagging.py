import pytest


def spans(nlp, text):
    doc = nlp(text)
    return [(s.text, s.label_, s.id_ or None, s._.stance) for s in doc.spans["hype"]]


def labels_of(nlp, text, label):
    return [s for s in spans(nlp, text) if s[1] == label]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We rolled out MEDDPICC last year.", ("MEDDPICC", "meddpicc")),
        ("Our social selling program is live.", ("social selling", "social-selling")),
        ("Is ABM worth it for a ten-person team?", ("ABM", "account-based-marketing")),
        ("Sales 2.0 was the phrase of 2007.", ("Sales 2.0", "sales-2-0")),
        ("We trained everyone on SPIN questions.", ("SPIN questions", "spin-selling")),
        ("Our AI SDRs booked four meetings.", ("AI SDRs", "ai-sdr")),
    ],
)
def test_methodologies_get_canonical_ids(tagger, text, expected):
    found = [(t, i) for t, label, i, _ in spans(tagger, text) if label == "METHODOLOGY"]
    assert expected in found


@pytest.mark.parametrize(
    "text",
    [
        "I am going to spin the wheel at the booth.",
        "That was a snap decision made in the rain.",
        "Neat trick, champ.",
        "There is a gap in our coverage.",
        "Ae and am are just letters here.",
    ],
)
def test_ambiguous_words_are_not_methodologies(tagger, text):
    assert labels_of(tagger, text, "METHODOLOGY") == []


def test_claim_labels(tagger):
    text = "This game-changer will double your pipeline. Act now: every rep needs it."
    found = {label for _, label, _, _ in spans(tagger, text)}
    assert {"BOOSTER", "PROMISE", "URGENCY", "UNIVERSAL"} <= found


def test_nuance_labels(tagger):
    text = "It may help some teams, but it is no silver bullet and it isn't enough on its own."
    found = {(t, label) for t, label, _, _ in spans(tagger, text)}
    assert ("may", "HEDGE") in found
    assert ("no silver bullet", "CAVEAT") in found
    assert not any(label == "PROMISE" for _, label in found), "a caveat suppresses the promise inside it"


def test_month_may_is_not_a_hedge(tagger):
    assert labels_of(tagger, "We launched in May 2019.", "HEDGE") == []


def test_overlapping_labels_are_kept_but_same_label_is_first_longest(tagger):
    found = spans(tagger, "It will 10x your pipeline.")
    assert ("10x your pipeline", "PROMISE", None, "asserted") in found
    assert ("10x", "BOOSTER", None, "asserted") in found
