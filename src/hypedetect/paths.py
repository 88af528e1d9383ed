"""Locate data that ships in the source checkout next to the package (corpora, the shipped model)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional


def find_in_checkout(relative: str, marker: Optional[str] = None) -> Optional[Path]:
    """The first ``<ancestor>/<relative>`` folder above this package (holding ``marker`` if given), or None."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / relative
        if candidate.is_dir() and (marker is None or (candidate / marker).is_file()):
            return candidate
    return None
