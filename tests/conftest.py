import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest  # noqa: E402

import hypedetect  # noqa: E402


@pytest.fixture(scope="session")
def tagger():
    """The tagging-only pipeline (no classifier), built once per test session."""
    return hypedetect.build_pipeline()


@pytest.fixture(scope="session")
def model_dir():
    """The shipped model folder."""
    from hypedetect.components.classifier import default_model_path

    return default_model_path()


@pytest.fixture(scope="session")
def nlp():
    """The full default pipeline (tagger, stance, classifier)."""
    return hypedetect.load()
