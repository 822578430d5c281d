"""The dashboard (part of the home page) and the list each of its figures links to (/ho-so)."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..downloads import PDF, attachment
from ..items.deadlines import period_is_late
from ..items.states import waiting_on
from ..plan.queries import current_plan
from ..models.org import utcnow
from ..validation import parse_id
from . import figures, listing, quick_report

bp = Blueprint("dashboard", __name__)


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
                           state_words=figures.STATE_WORDS, late_period=period_is_late(filters.period, now),
                           waiting_on=waiting_on)


@bp.get("/bao-cao-nhanh.pdf")
@login_required
def quick():
    made = quick_report.render(current_user, current_plan(), request.args)
    if made is None:
        abort(404)
    return attachment(made[0], PDF, made[1])
