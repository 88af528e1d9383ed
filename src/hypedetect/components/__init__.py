"""spaCy components shipped with hypedetect, one per module."""
