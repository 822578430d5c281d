"""The workflow engine and the units' own items: the transition tables and perform() (states.py),
opening periods and loading items (services.py), the inbox lists (queries.py), the item page
(page.py, routes.py), evidence files, notifications, and the two kinds units fill: task results
(task_result.py) and unit reports (unit_report.py)."""
from . import notices, task_result, unit_report  # noqa: F401 - register the hook and the two kinds
from . import cooperation_routes, draft_routes, evidence_routes  # noqa: F401 - their views join the blueprint
from .routes import bp

__all__ = ["bp"]
