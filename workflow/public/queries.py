"""Read-side queries of the public page: accepted data only, a fixed number of SQL statements
whatever the number of periods, units, tasks or initiatives. No personal data is selected: the
emulation queries select named columns only, so reviewers' notes and scores never reach the page."""
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..nominations.services import commended
from ..models import (INITIATIVE_KINDS, ConsolidatedReport, Initiative, RankingSheet, ReportingPeriod, ScoringBand,
                      SelfAssessment, State, Task, TaskResult, Unit)

ACCEPTED = State.ACCEPTED


RESULTS_PER_PAGE = 50


@dataclass
class UnitResults:
    unit: Unit
    total: int = 0
    accepted: int = 0  # how many of its task results were accepted (listed on the unit's own page)


@dataclass
class PublicPeriod:
    period: ReportingPeriod
    consolidated: ConsolidatedReport | None = None  # only when accepted
    units: list = field(default_factory=list)       # UnitResults, in unit code order


def opened_periods():
    return db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None))
                              .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date)).all()


def accepted_consolidated(period_ids):
    return db.session.scalars(select(ConsolidatedReport).where(
        ConsolidatedReport.period_id.in_(period_ids), ConsolidatedReport.state == ACCEPTED)).all()


def result_counts(period_ids):
    """{(period_id, unit): (task results, accepted ones)}: counted from the (period, unit, state) index
    alone, then the units that have any (one statement each, whatever the number of results)."""
    rows = db.session.execute(
        select(TaskResult.period_id, TaskResult.unit_id, func.count(),
               func.sum(case((TaskResult.state == ACCEPTED, 1), else_=0)))
        .where(TaskResult.period_id.in_(period_ids)).group_by(TaskResult.period_id, TaskResult.unit_id)).all()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({r[1] for r in rows})))} if rows else {}
    return {(p, units[u]): (total, int(accepted or 0)) for p, u, total, accepted in rows}


def accepted_results(period_id, unit_id, page):
    """One page of a unit's accepted task results in an opened period, in the plan's task order."""
    stmt = (select(TaskResult).join(TaskResult.task).options(contains_eager(TaskResult.task))
            .join(ReportingPeriod, TaskResult.period_id == ReportingPeriod.id)
            .where(TaskResult.period_id == period_id, TaskResult.unit_id == unit_id, TaskResult.state == ACCEPTED,
                   ReportingPeriod.opened_at.is_not(None))
            .order_by(Task.position, Task.code))
    return db.paginate(stmt, page=page, per_page=RESULTS_PER_PAGE, error_out=False, count=True)


def opened_period(period_id):
    return db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.id == period_id,
                                                           ReportingPeriod.opened_at.is_not(None)))


def public_page():
    """Every opened period with its accepted consolidated report and, per unit, how many of its task
    results were accepted: four statements, however many periods, units and results there are (the
    results themselves are on each unit's page: listing them all here made 4.4 MB at city size)."""
    periods = opened_periods()
    ids = [p.id for p in periods]
    consolidated = {r.period_id: r for r in accepted_consolidated(ids)}
    counts = result_counts(ids)
    units = sorted({unit for _, unit in counts}, key=lambda u: u.code)
    pages = []
    for period in periods:
        rows = [UnitResults(unit, *counts[(period.id, unit)]) for unit in units if (period.id, unit) in counts]
        pages.append(PublicPeriod(period=period, consolidated=consolidated.get(period.id), units=rows))
    return pages


def accepted_report(report_id):
    return db.session.scalar(select(ConsolidatedReport).where(
        ConsolidatedReport.id == report_id, ConsolidatedReport.state == ACCEPTED))


@dataclass
class RankRow:
    rank: int
    tied: bool
    unit_name: str
    final: int      # hundredths
    band: str


@dataclass
class PublicRanking:
    period: ReportingPeriod
    top_band: str
    rows: list      # RankRow, in ranking order

    @property
    def commended(self):
        """Decision: the units proposed for commendation are those in the scheme's highest band."""
        return [row for row in self.rows if row.band == self.top_band]


def accepted_rankings():
    """The accepted ranking sheet of each period, period order: one statement. The top band's label
    comes from the scheme version the sheet was frozen with, not today's scheme."""
    top_band = (select(ScoringBand.label).where(ScoringBand.scheme_id == RankingSheet.scheme_id)
                .order_by(ScoringBand.min_score.desc()).limit(1).correlate(RankingSheet).scalar_subquery())
    found = db.session.execute(
        select(ReportingPeriod, RankingSheet.rows, top_band)
        .join(RankingSheet, RankingSheet.period_id == ReportingPeriod.id)
        .where(RankingSheet.state == ACCEPTED)
        .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date))
    # The frozen rows carry the unit's name as it was when the sheet was made: that is the record.
    return [PublicRanking(period=period, top_band=top or "",
                          rows=[RankRow(rank=r["rank"], tied=r["tied"], unit_name=r["name"], final=r["final"],
                                        band=r["band"]) for r in rows])
            for period, rows, top in found]


@dataclass
class PublicInitiative:
    kind: str
    title: str
    description: str
    unit_name: str
    period_name: str

    @property
    def kind_label(self):
        return INITIATIVE_KINDS.get(self.kind, self.kind)


def recognised_initiatives():
    """Initiatives awarded points in an accepted self-assessment: one statement. An initiative
    awarded nothing was not recognised, and a reviewed assessment can still be returned."""
    found = db.session.execute(
        select(Initiative.kind, Initiative.title, Initiative.description, Unit.name, ReportingPeriod.name)
        .join(SelfAssessment, Initiative.assessment_id == SelfAssessment.id)
        .join(Unit, SelfAssessment.unit_id == Unit.id)
        .join(ReportingPeriod, SelfAssessment.period_id == ReportingPeriod.id)
        .where(SelfAssessment.state == ACCEPTED, Initiative.awarded_points > 0)
        .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date, Unit.code, Initiative.id))
    return [PublicInitiative(*row) for row in found]


def emulation_page():
    """The emulation section of the page: accepted rankings (with the commended units), the recognised
    initiatives and the collectives and individuals the chairman approved for commendation (their name,
    position left out, and achievement only: nominations.services.commended), three statements."""
    return {"rankings": accepted_rankings(), "initiatives": recognised_initiatives(), "commended_people": commended()}
