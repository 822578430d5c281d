"""The plan as people read it: the home page, the task catalogue with its search, one task."""
from .routes import bp

__all__ = ["bp"]
