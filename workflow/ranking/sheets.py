"""The period's ranking sheet (bảng xếp hạng): the consolidating unit (VHXH) freezes the live ranking
of a period — every unit's computed, self-assessed, appraised and final score, band and rank — with
the scheme version the period uses (governance.py), and sends it through the workflow; the VP office reviews and accepts it. Once sent, the
sheet never changes: a later change of weights or data changes the live ranking, not this record.
One per period (a unique constraint): of two people making the first sheet at the same moment one makes
it, the other gets 409 and a message pointing to it (versioning.commit_first).
"""
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from ..access import may_draft, require_drafter, require_editable
from ..extensions import db
from ..items.states import edit_draft
from ..models import RankingSheet
from ..models.org import utcnow
from ..versioning import commit_first
from .display import apportion, cents
from .maxima import caps, shown_maxima
from .gather import gather_facts
from .governance import scheme_for
from .scoring import score_all

NO_SCHEME = "Chưa có bộ tiêu chí chấm điểm."
ALREADY_MADE = ("Bảng xếp hạng của kỳ {period} vừa được người khác lập. Thao tác của bạn chưa được ghi nhận; "
                "hãy tải lại trang để mở bảng đã lập.")


def for_period(period):
    return db.session.scalar(select(RankingSheet).where(RankingSheet.period_id == period.id))


def frozen_rows(standings):
    """Plain data (hundredths) for JSON: what the sheet, its PDF and the public page show. `maxima`: the
    unit's maximum per criterion as shown (None: not applicable), the criteria never above them;
    `tasks_due`/`reports_due`: what the score rests on; `band_note`: why the band is lower than the
    score reaches; `head`: the band's assessment of the unit head's responsibility."""
    rows = []
    for s in standings:
        score, final = s.score, cents(s.score.final)
        self_total, appraised = score.self_total, score.appraised_total
        maxima = shown_maxima(score.parts)
        rows.append({
            "rank": s.rank, "tied": s.tied, "unit_id": score.unit.id, "code": score.unit.code,
            "name": score.unit.name, "criteria": apportion(score.final_points(), final, caps(maxima)),
            "maxima": maxima, "computed": cents(score.total),
            "self": None if self_total is None else cents(self_total),
            "appraised": None if appraised is None else cents(appraised), "final": final,
            "basis": score.basis, "band": score.band, "rescaled": score.scale != 1,
            "tasks_due": score.tasks_due, "reports_due": score.reports_due, "band_note": score.band_note,
            "head": score.head})
    return rows


def frozen_columns(scheme):
    return [[c.label, cents(c.max_points), c.kind] for c in scheme.criteria]


def may_make(user):
    """The consolidating unit makes the sheets: they are its items."""
    return may_draft(user, RankingSheet.KIND)


def make(user, period, version=None, now=None, then=None):
    """Create the sheet of the period, or (while a draft) remake it from the live ranking; with `then`
    ("submit") a remade draft is sent in the same step."""
    require_drafter(user, RankingSheet.KIND, "lập bảng xếp hạng")
    sheet = for_period(period)
    scheme = scheme_for(period)  # the period's version, not necessarily the active one
    if scheme is None:
        raise Forbidden(NO_SCHEME)
    if sheet is not None:
        require_editable(user, sheet)
    standings = score_all(scheme, gather_facts(period.plan, period, now))

    def write():
        sheet.scheme_id, sheet.rows, sheet.columns = scheme.id, frozen_rows(standings), frozen_columns(scheme)
        sheet.made_at = utcnow()
    if sheet is not None:
        return edit_draft(user, sheet, version, write, then)
    sheet = RankingSheet(unit_id=user.unit_id, period_id=period.id)  # the maker's unit consolidates
    write()
    commit_first(sheet, lambda: for_period(period), ALREADY_MADE.format(period=period.name))
    return sheet
