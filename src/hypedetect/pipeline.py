"""Build the hypedetect spaCy pipeline."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional, Union

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers factories when imported directly)
from .components import classifier, stance, tagger  # noqa: F401
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


def add_classifier(
    nlp: Language, model: Optional[Union[str, Path]] = None, *, dtype: str = "auto", device: str = "cpu"
) -> Language:
    """Add the ``hypedetect_classifier`` (the shipped model unless ``model`` names a folder).

    ``dtype="auto"`` is resolved here (bf16 where the CPU runs it natively, else fp32)
    so the choice is visible in ``nlp.config``.
    """
    from .components.classifier import default_model_path
    from .model import check_model_folder, choose_dtype

    path = check_model_folder(model if model is not None else default_model_path())
    nlp.add_pipe("hypedetect_classifier", config={
        "model_path": str(path), "dtype": choose_dtype(dtype, device), "device": device})
    return nlp


def build_pipeline(
    *, lang: str = "en", classifier: bool = False, model: Optional[Union[str, Path]] = None, dtype: str = "auto",
    device: str = "cpu",
) -> Language:
    """A fresh pipeline: blank tokenizer, sentencizer, tagger, stance, and optionally the classifier."""
    nlp = spacy.blank(lang)
    nlp.meta["name"] = "hypedetect"
    add_tagger(nlp)
    if classifier or model is not None:
        add_classifier(nlp, model, dtype=dtype, device=device)
    return nlp


def load(
    path: Optional[Union[str, Path]] = None,
    *,
    model: Optional[Union[str, Path]] = None,
    classifier: bool = True,
    dtype: str = "auto",
    device: str = "cpu",
) -> Language:
    """Load hypedetect, fully offline.

    - ``load()``: tagger, stance and the shipped classifier (``models/hype-minilm``).
    - ``load(model=FOLDER)``: the same with another Hugging Face model folder.
    - ``load(path)``: a pipeline saved with ``nlp.to_disk`` (model included).
    - ``load(classifier=False)``: tagging only.
    """
    register_extensions()
    if path is None:
        return build_pipeline(classifier=classifier, model=model, dtype=dtype, device=device)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no hypedetect pipeline at {path}")
    return spacy.load(path)
