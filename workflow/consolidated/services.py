"""The ward's consolidated report: drafted by the consolidating unit from the accepted unit reports and
task results of a period, then moved through the same workflow (kind.py registers it). One per period
(a unique constraint): of two people making the first draft at the same moment one makes it, the other
gets 409 and a message pointing to it (versioning.commit_first)."""
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import kinds
from ..access import require_drafter, require_editable
from ..extensions import db
from ..documents.builders import recipient_entries
from ..formats import decree_short_date, vn_sort_key
from ..items import states
from ..items.deadlines import local_date, period_is_late
from ..items.states import claim, edit_draft
from ..models import (NARRATIVE, TASK_STATUSES, ConsolidatedReport, ConsolidatedSection, DOSSIER_COUNTS,
                      ItemHistory, State, Task, TaskResult, Unit, UnitReport)
from ..models.org import utcnow
from ..versioning import commit_first
from ..wards import of_user

ACCEPTED, DRAFT = State.ACCEPTED, State.DRAFT
ALREADY_MADE = ("Dự thảo báo cáo tổng hợp của kỳ {period} vừa được người khác tạo. Thao tác của bạn chưa được ghi nhận; "
                "hãy tải lại trang để mở bản đã tạo.")


def for_period(period):
    return db.session.scalar(select(ConsolidatedReport).where(ConsolidatedReport.period_id == period.id))


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.REVIEWED)
BLOCKING = (UnitReport, TaskResult)  # what the consolidated report is made from


@dataclass(frozen=True)
class Column:
    """One figure of the status page: a kind's items in one state, and who is expected to act on them."""
    kind: str
    label: str
    state: State
    waiting_on: str

    @property
    def is_draft(self):
        """Its items are late once the period's due day has passed."""
        return self.state == DRAFT


@dataclass
class UnitBlockers:
    """A unit's items of the period not yet accepted, counted per (kind, state); `late` are its drafts
    after the due day. unit None: the whole ward."""
    unit: object
    counts: dict = field(default_factory=dict)   # (kind key, state) -> n
    late: int = 0

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class StatusSummary:
    columns: list
    rows: list          # UnitBlockers, unit code order
    ward: UnitBlockers  # the totals
    days_late: int      # after the period's due day; 0 before it


def status_summary(period, now):
    """What still blocks the period's consolidated report, per unit: one grouped query per kind and one
    for the units, whatever the number of units and items (the flat list of every item did not hold at
    city size: 2.2 MB for 100 units and 10,000 tasks)."""
    days_late = (local_date(now) - period.due_date).days if period_is_late(period, now) else 0
    columns = [Column(m.KIND, kinds.get(m.KIND).label, s, states.waiting_on_state(m.KIND, s))
               for m in BLOCKING for s in OPEN_STATES]
    by_unit, ward = _open_counts(period, days_late > 0)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(by_unit)).order_by(Unit.code)).all() if by_unit else []
    for unit in units:
        by_unit[unit.id].unit = unit
    return StatusSummary(columns, [by_unit[unit.id] for unit in units], ward, days_late)


def _open_counts(period, late):
    """({unit id: UnitBlockers}, the ward's UnitBlockers) of the period's items not yet accepted; with
    `late`, the drafts count as late too."""
    by_unit, ward = {}, UnitBlockers(None)
    for model in BLOCKING:
        query = (select(model.unit_id, model.state, func.count())
                 .where(model.period_id == period.id, model.state != ACCEPTED).group_by(model.unit_id, model.state))
        for unit_id, state, n in db.session.execute(query):
            key = (model.KIND, State(state))
            for row in (by_unit.setdefault(unit_id, UnitBlockers(None)), ward):
                row.counts[key] = row.counts.get(key, 0) + n
                row.late += n if late and key[1] == DRAFT else 0
    return by_unit, ward


def blockers(period):
    """Every unit report and task result of the period not yet accepted, with its owner and state."""
    rows = []
    for model in (UnitReport, TaskResult):
        options = [joinedload(model.unit)] + ([joinedload(TaskResult.task)] if model is TaskResult else [])
        rows += db.session.scalars(select(model).options(*options)
                                   .where(model.period_id == period.id, model.state != ACCEPTED)).all()
    return sorted(rows, key=lambda i: (i.KIND != UnitReport.KIND, i.unit.code, vn_sort_key(i.title)))


def _accepted(model, period, *options):
    return db.session.scalars(select(model).options(*options).where(
        model.period_id == period.id, model.state == ACCEPTED)).all()


def prefill(actor, period, version=None):
    """Create (or, while still a draft, rebuild) the consolidated draft from what has been accepted."""
    require_drafter(actor, ConsolidatedReport.KIND, "lập báo cáo tổng hợp")
    report = for_period(period)
    reports = _accepted(UnitReport, period, joinedload(UnitReport.unit),
                        selectinload(UnitReport.sections), selectinload(UnitReport.dossier_rows),
                        selectinload(UnitReport.target_actuals))
    annex = {"tasks": task_annex(period), "targets": targets_table(period.plan, reports),
             "dossiers": dossier_totals(reports)}
    first = report is None
    if first:  # joins the session at commit_first, once built
        report = ConsolidatedReport(unit_id=actor.unit_id, period_id=period.id)  # the drafter's unit consolidates
    else:
        claim(report, version, DRAFT)
    plan = period.plan
    report.summary = report.summary or f"Kết quả thực hiện công tác cải cách hành chính {period.name}"
    report.intro = report.intro or (f"Thực hiện {plan.title} ban hành kèm theo Quyết định số {plan.number} "
                                    f"ngày {decree_short_date(plan.issued_on)}, Ủy ban nhân dân {of_user(actor).kind} báo cáo kết quả "
                                    f"{period.name} như sau:")
    _fill_sections(report, plan, reports)
    for name in NARRATIVE:
        setattr(report, name, _joined(reports, lambda r, n=name: getattr(r, n)))
    report.annex, report.prefilled_at = annex, utcnow()
    if first:
        commit_first(report, lambda: for_period(period), ALREADY_MADE.format(period=period.name))
    else:
        db.session.commit()
    return report


def _joined(reports, text_of):
    """Each unit's text labelled with the unit, in unit order."""
    return "\n\n".join(f"{r.unit.name}: {text_of(r).strip()}" for r in sorted(reports, key=lambda r: r.unit.id)
                       if text_of(r).strip())


def _fill_sections(report, plan, reports):
    """One section per plan area, each unit's text labelled; existing sections are rewritten in place."""
    bodies = defaultdict(list)
    for r in sorted(reports, key=lambda r: r.unit.id):
        for s in r.sections:
            if s.body.strip():
                bodies[s.area_id].append(f"{r.unit.name}: {s.body.strip()}")
    existing = {s.area_id: s for s in report.sections}
    for area in plan.areas:
        section = existing.get(area.id)
        if section is None:
            section = ConsolidatedSection(area=area, position=area.number)
            report.sections.append(section)
        section.body = "\n\n".join(bodies[area.id])


def task_annex(period):
    """Every task of the plan with its result for the period; only accepted results count as reported."""
    results = {r.task_id: r for r in db.session.scalars(select(TaskResult).where(TaskResult.period_id == period.id))}
    tasks = db.session.scalars(select(Task).options(joinedload(Task.area), joinedload(Task.lead_unit))
                               .where(Task.plan_id == period.plan_id).order_by(Task.area_id, Task.position)).all()
    rows = []
    for t in tasks:
        r = results.get(t.id)
        accepted = r is not None and r.state == ACCEPTED
        rows.append({
            "area": t.area.number, "code": t.code, "title": t.title, "lead": t.lead_unit.symbol,
            "deadline": f"{t.deadline:%d/%m/%Y}",
            "status": TASK_STATUSES[r.work_status] if accepted else f"Chưa tiếp nhận ({r.state_label if r else 'chưa mở'})",
            "completed_on": f"{r.completed_on:%d/%m/%Y}" if accepted and r.completed_on else "",
            "result": (r.blocked_reason if r.work_status == "cannot_do" else r.done_text) if accepted else "",
            "late_days": max(0, (r.completed_on - t.deadline).days) if accepted and r.completed_on else 0,
            "not_done": accepted and r.work_status == "cannot_do",
        })
    return rows


def targets_table(plan, reports):
    actuals = defaultdict(list)
    for r in reports:
        for a in r.target_actuals:
            if a.reported or a.note:
                actuals[a.target_id].append(f"{r.unit.code}: {a.summary()}".strip())
    return [{"code": t.code, "title": t.title, "goal": t.goal_text, "actual": "; ".join(actuals[t.id]) or "Chưa báo cáo"}
            for t in plan.targets]


def dossier_totals(reports):
    """Biểu II.06a summed over the units, field by field, with a total row."""
    by_field = defaultdict(lambda: dict.fromkeys(DOSSIER_COUNTS, 0))
    for r in reports:
        for row in r.dossier_rows:
            for name in DOSSIER_COUNTS:
                by_field[row.field_name][name] += getattr(row, name)
    rows = [{"field_name": name, **counts} for name, counts in by_field.items()]
    if rows:
        rows.append({"field_name": "Tổng cộng", **{n: sum(r[n] for r in rows) for n in DOSSIER_COUNTS}})
    return rows


def recipients_of(report):
    """The draft's "Nơi nhận" lines without print punctuation: as edited, else the ward's list (the
    "- " and ";" and the file copy line "Lưu: VT, …." are added when printed)."""
    if report.recipients is not None:
        return list(report.recipients)
    ward = report.unit.ward
    return recipient_lines("\n".join(ward.recipients)) if ward else []


def recipient_lines(text):
    """One recipient per line as typed on the draft, at most 20 (documents.builders.recipient_entries)."""
    return recipient_entries((text or "").splitlines())[:20]


def is_out_of_date(report):
    """An accepted unit item of the period was reopened after the draft was made."""
    if report.prefilled_at is None:
        return False
    for model in (UnitReport, TaskResult):
        reopened = db.session.scalar(
            select(ItemHistory.id).join(model, (ItemHistory.item_id == model.id) & (ItemHistory.item_kind == model.KIND))
            .where(model.period_id == report.period_id, ItemHistory.action == "reopen",
                   ItemHistory.at > report.prefilled_at).limit(1))
        if reopened is not None:
            return True
    return False


def save(user, report, data, version, then=None):
    """The draft's text; with `then` ("submit") sent in the same step (states.edit_draft)."""
    require_editable(user, report)

    def write():
        report.summary, report.intro = data["summary"], data["intro"]
        if "recipients" in data:
            report.recipients = data["recipients"]
        for name in NARRATIVE:
            setattr(report, name, data[name])
        for section in report.sections:
            section.body = data["sections"].get(section.id, section.body)
    return edit_draft(user, report, version, write, then)
