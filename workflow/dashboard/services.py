"""The dashboard of a period as one object: the matrix, progress, targets, trend, ranking and the charts
drawn from them (the home page and the "Báo cáo nhanh" PDF show the same object)."""
from dataclasses import dataclass

from ..access import may_follow_up
from ..items.states import today
from ..models.org import utcnow
from ..reminders import manual
from ..validation import parse_id
from . import charts as charts_of, figures, glance


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
    targets: list = ()
    trend: list = ()
    ranking: list | None = None
    charts: dict = None
    reminders: dict = None   # unit id -> Reminded, for each unit with late items


def dashboard(user, plan, args):
    """The figures of the period asked for (else the one being worked on), for the home page; None
    before any period is opened."""
    periods = figures.opened_periods()
    if not periods or plan is None:
        return None
    asked = {p.id: p for p in periods}.get(parse_id(args.get("period")))
    period = asked or figures.default_period(periods)
    unit_id = None if may_follow_up(user) else user.unit_id
    rows, total = figures.matrix(period, utcnow(), unit_id)
    d = Dashboard(periods, period, rows, total, figures.unit_kinds(),
                  *figures.progress(period, today(), unit_id), figures.late_units(rows), unit_id is None)
    d.reminders = manual.reminded(period, [unit.id for unit, _ in d.late_units])
    d.targets = glance.targets(plan, period)
    if d.whole_ward:
        d.trend = glance.trend(periods)
        d.ranking = glance.ranking(user, plan, periods, period)
    d.charts = _charts(d)
    return d


def _charts(d):
    charts = {"units": charts_of.progress_bars(f"Tiến độ nhiệm vụ {d.period.name} theo đơn vị chủ trì", d.by_unit,
                                               lambda line: line.key),
              "areas": charts_of.progress_bars(f"Tiến độ nhiệm vụ {d.period.name} theo lĩnh vực", d.by_area,
                                               lambda line: line.key)}
    if d.trend:
        charts["trend"] = charts_of.trend_columns("Gửi đúng hạn qua các kỳ", d.trend)
    return charts
