"""Official documents: PDFs in the Decree 30/2020 layout and the chairman's "Văn bản" page."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from . import routes  # noqa: E402,F401
