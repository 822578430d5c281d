"""The public page (no login): what the ward publishes once it has been accepted, nothing in draft."""
from .routes import bp

__all__ = ["bp"]
