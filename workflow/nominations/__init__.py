"""Commendation (khen thưởng): units' nominations of collectives and individuals with CCHC achievements,
a kind of workflow item (kind.py), and the draft Quyết định khen thưởng made of what the chairman approved."""
from . import kind  # noqa: F401 - registers the kind
from .routes import bp

__all__ = ["bp"]
