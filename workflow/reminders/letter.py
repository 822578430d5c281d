"""The công văn đôn đốc: the ward's official letter "V/v đôn đốc …" to the units that are late with a
period, listing what each still owes, as a draft PDF in the layout of the ward's documents (Decree 30:
the V/v line under the number, "Kính gửi", the chairman's signature block). The VP office numbers and
the chairman signs it outside this draft."""
from datetime import timedelta

from sqlalchemy import select
from werkzeug.exceptions import Conflict

from .. import kinds
from ..documents import pdf
from ..documents.builders import blank_number, slug, ward_letterhead
from ..extensions import db
from ..formats import decree_short_date, vn_sort_key
from ..items.deadlines import local_date, period_is_late
from ..models import State
from ..wards import of_user
from .manual import require_reminder

WORKING_DAYS_GIVEN = 3  # to finish after the letter's day (Monday to Friday)
NOBODY_LATE = "Không có đơn vị nào quá hạn gửi hồ sơ của kỳ này: không cần công văn đôn đốc."


def late_units(period, now):
    """[(unit, [items])] of the units with drafts of the period after its due day (one query per kind)."""
    if not period_is_late(period, now):
        return []
    by_unit = {}
    for kind in kinds.dated_kinds():
        model = kind.model
        for item in db.session.scalars(select(model).options(*kind.list_options())
                                       .where(model.period_id == period.id, model.state == State.DRAFT)):
            by_unit.setdefault(item.unit, []).append(item)
    return [(unit, sorted(items, key=lambda i: (i.KIND != "task-result", vn_sort_key(i.sort_code))))
            for unit, items in sorted(by_unit.items(), key=lambda pair: pair[0].code)]


def finish_by(day, working_days=WORKING_DAYS_GIVEN):
    while working_days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            working_days -= 1
    return day


def render(user, period, now):
    """(PDF bytes, file name) of the draft letter; 403 for those who may not remind, 409 when nobody is late."""
    require_reminder(user)
    late = late_units(period, now)
    if not late:
        raise Conflict(NOBODY_LATE)
    ward, plan, today = of_user(user), period.plan, local_date(now)
    drafter = ward.consolidating_unit
    head = ward_letterhead(ward, blank_number("UBND", drafter.symbol if drafter else "VP"), None, today.year, True,
                           recipients=["Như trên", "Chủ tịch, các Phó Chủ tịch UBND phường (để báo cáo)"])
    data = pdf.render("pdf/reminder_letter.html", {
        **head, "subject": f"V/v đôn đốc gửi hồ sơ cải cách hành chính {period.name}", "period": period,
        "plan": plan, "plan_date": decree_short_date(plan.issued_on), "as_of": decree_short_date(today),
        "late": late, "finish_by": decree_short_date(finish_by(today)), "due": decree_short_date(period.due_date),
        "signature": {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(), "name": plan.signer_name}})
    return data, f"cong-van-don-doc-{slug(period.name)}.pdf"
