"""Build the hypedetect spaCy pipeline."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional, Union

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers factories when imported directly)
from .components import stance, tagger  # noqa: F401
from .extensions import SPANS_KEY, register_extensions

logger = logging.getLogger(__name__)


def add_tagger(nlp: Language, *, spans_key: str = SPANS_KEY) -> Language:
    """Add sentencizer, the hype tagger and the stance scoper to ``nlp``."""
    register_extensions()
    if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("hypedetect_tagger", config={"spans_key": spans_key})
    nlp.add_pipe("hypedetect_stance", config={"spans_key": spans_key})
    return nlp


def build_pipeline(*, lang: str = "en") -> Language:
    """A fresh tagging pipeline: blank tokenizer, sentencizer, tagger, stance."""
    nlp = spacy.blank(lang)
    nlp.meta["name"] = "hypedetect"
    return add_tagger(nlp)


def load(path: Optional[Union[str, Path]] = None) -> Language:
    """Load hypedetect.

    With no argument, build the default pipeline from the resources shipped in the
    package (fully offline). With a path, load a pipeline saved by ``nlp.to_disk``.
    """
    if path is None:
        return build_pipeline()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no hypedetect pipeline at {path}")
    register_extensions()
    return spacy.load(path)
