"""The dashboard (part of the home page) and the list each of its figures links to (/ho-so)."""
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..access import may_follow_up
from ..items.states import today, waiting_on
from ..models.org import utcnow
from ..validation import parse_id
from . import figures, listing

bp = Blueprint("dashboard", __name__)


@dataclass
class Dashboard:
    periods: list
    period: object
    rows: list
    total: object
    kinds: list
    by_unit: list
    by_area: list
    late_units: list
    whole_ward: bool   # every unit's figures (or the person's own unit's)


def dashboard(user, args):
    """The figures of the period asked for (else the one being worked on), for the home page; None
    before any period is opened."""
    periods = figures.opened_periods()
    if not periods:
        return None
    asked = {p.id: p for p in periods}.get(parse_id(args.get("period")))
    period = asked or figures.default_period(periods)
    unit_id = None if may_follow_up(user) else user.unit_id
    rows, total = figures.matrix(period, utcnow(), unit_id)
    return Dashboard(periods, period, rows, total, figures.unit_kinds(),
                     figures.progress_by_unit(period, today(), unit_id),
                     figures.progress_by_area(period, today(), unit_id), figures.late_units(rows), unit_id is None)


@bp.get("/ho-so")
@login_required
def items():
    periods = figures.opened_periods()
    filters = listing.read_filters(request.args, periods)
    if filters is None:
        abort(404)
    now = utcnow()
    page = listing.page_of(current_user, filters, parse_id(request.args.get("page")) or 1, now)
    return render_template("dashboard/items.html", filters=filters, page=page, periods=periods,
                           counts=listing.counts_by_kind(current_user, filters, now),
                           units=listing.allowed_units(current_user), kinds=figures.unit_kinds(),
                           state_words=figures.STATE_WORDS, late_period=figures.is_late(filters.period, now),
                           waiting_on=waiting_on)
