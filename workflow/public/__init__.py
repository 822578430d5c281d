"""The public page (no login): what the ward publishes once it has been accepted, nothing in draft."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import routes  # noqa: E402,F401
