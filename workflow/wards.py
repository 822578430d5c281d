"""The ward the application serves, as data: its identity on documents and pages (models.Ward, with
its consolidating unit). One ward today; `current()` takes the first, so a second ward is a second row."""
from sqlalchemy import select

from .extensions import db
from .models import Ward


def current():
    """The ward (None before the plan is loaded)."""
    return db.session.scalar(select(Ward).order_by(Ward.id).limit(1))


def of_user(user):
    """The signed-in person's ward, loaded with them (no query); else the ward."""
    unit = getattr(user, "unit", None)
    return unit.ward if unit is not None and unit.ward is not None else current()
