"""Emulation (thi đua): CCHC scores of units under a versioned scheme, the ranking, the scheme editor."""
from flask import Blueprint

bp = Blueprint("ranking", __name__)

from . import routes  # noqa: E402,F401
from . import export_routes  # noqa: E402,F401
from . import assessment_routes  # noqa: E402,F401
