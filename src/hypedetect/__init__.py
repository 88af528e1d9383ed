"""hypedetect: detect sales-fad hype in text.

>>> import hypedetect
>>> nlp = hypedetect.load()
>>> doc = nlp("Social selling will 10x your pipeline, guaranteed.")
>>> [(s.label_, s._.stance) for s in doc.spans["hype"]]  # doctest: +SKIP

Heavy dependencies (spaCy, torch) are imported on first use, not at import time.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["load", "build_pipeline", "to_record", "error_record", "register_extensions", "__version__"]

_LAZY = {
    "load": ".pipeline",
    "build_pipeline": ".pipeline",
    "to_record": ".records",
    "error_record": ".records",
    "register_extensions": ".extensions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'hypedetect' has no attribute {name!r}")
