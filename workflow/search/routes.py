"""GET /tim-kiem: the search page (blueprint "search"); the work is query.find's."""
from flask import Blueprint, request
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import ReportingPeriod, Unit
from ..templating import render_page
from . import query
from .forms import SearchForm
from .index import BUILDERS

bp = Blueprint("search", __name__)


def _form():
    form = SearchForm(request.args)
    periods = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.start_date, ReportingPeriod.id))
    units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.code))
    form.set_choices(periods, units, [(kind, query.kind_label(kind)) for kind in BUILDERS])
    return form


def _page(form, results=None, message=None, status=200):
    return render_page("search/results.html", "search/_results.html", status=status,
                       form=form, results=results, message=message)


@bp.get("/tim-kiem")
@login_required
def results():
    form = _form()
    if not form.validate():
        return _page(form, status=422)
    if "q" not in request.args:
        return _page(form)  # the page as the menu opens it: the box, no message yet
    try:
        found = query.find(current_user, form.q.data, form.filters(), form.page.data or 1)
    except query.BadQuery as problem:
        return _page(form, message=str(problem))
    return _page(form, results=found)
