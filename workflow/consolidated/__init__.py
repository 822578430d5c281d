"""The ward's consolidated report of a period: drafted by the consolidating unit from what the units'
items say once accepted (services.py), a kind of workflow item (kind.py), its follow-up page
(routes.py). Sits above documents/, whose final PDF it fixes on acceptance."""
from . import kind  # noqa: F401 - registers the kind
from .routes import bp

__all__ = ["bp"]
