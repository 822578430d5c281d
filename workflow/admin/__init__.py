"""The administrator's catalogue: units, accounts, periods (and opening them), tasks and their import."""
from . import imports  # noqa: F401 - its views join the blueprint
from .routes import bp

__all__ = ["bp"]
