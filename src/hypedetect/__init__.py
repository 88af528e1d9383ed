"""hypedetect: detect sales-fad hype in text.

>>> import hypedetect
>>> nlp = hypedetect.load()
>>> doc = nlp("Social selling will 10x your pipeline, guaranteed.")
>>> [(s.label_, s._.stance) for s in doc.spans["hype"]]  # doctest: +SKIP
"""
from __future__ import annotations

from .extensions import register_extensions
from .pipeline import build_pipeline, load
from .records import error_record, to_record

__version__ = "0.1.0"
__all__ = ["load", "build_pipeline", "to_record", "error_record", "register_extensions", "__version__"]
