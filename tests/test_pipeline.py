import spacy

import hypedetect

TEXTS = [
    "Vendors claim ABM will double your pipeline. It did not.",
    "Social selling is a game-changer for every rep. Act now!",
    "MEDDICC may help, but it is no silver bullet.",
]


def summary(doc):
    return [(s.start_char, s.end_char, s.label_, s.id_, s._.stance) for s in doc.spans["hype"]]


def test_pipeline_components(tagger):
    assert tagger.pipe_names[:3] == ["sentencizer", "hypedetect_tagger", "hypedetect_stance"]


def test_to_disk_and_spacy_load_round_trip(tagger, tmp_path):
    tagger.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == tagger.pipe_names
    for text in TEXTS:
        assert summary(loaded(text)) == summary(tagger(text))
    again = hypedetect.load(tmp_path / "pipe")
    assert summary(again(TEXTS[0])) == summary(tagger(TEXTS[0]))


def test_pipe_with_two_processes_matches_single_process(tagger):
    single = [summary(doc) for doc in tagger.pipe(TEXTS * 4)]
    multi = [summary(doc) for doc in tagger.pipe(TEXTS * 4, n_process=2, batch_size=3)]
    assert multi == single
    assert any(stance == "reported" for doc in multi for *_, stance in doc)


def test_methodologies_extension(tagger):
    doc = tagger("We mixed MEDDICC with social selling and more MEDDICC.")
    assert doc._.methodologies == ["meddicc", "social-selling"]
