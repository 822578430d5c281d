"""Emulation (thi đua): CCHC scores of units under a versioned scheme, the ranking, the scheme editor,
and its two kinds of workflow item, the self-assessment and the ranking sheet (item_kinds.py)."""
from . import item_kinds  # noqa: F401 - registers the two kinds
from . import assessment_routes, export_routes  # noqa: F401 - their views join the blueprint
from .routes import bp

__all__ = ["bp"]
