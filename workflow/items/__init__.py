"""The approval workflow of task results and unit reports: rules, services and their pages."""
from flask import Blueprint

bp = Blueprint("items", __name__)

from . import routes  # noqa: E402,F401
from . import evidence_routes  # noqa: E402,F401
from . import consolidation_routes  # noqa: E402,F401
