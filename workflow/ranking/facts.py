"""What the scoring reads, as plain data: one UnitFacts per unit, gathered by gather.py.

Scoring (criteria.py, scoring.py) only reads these dataclasses, so it is tested with hand-made facts
and no database.
"""
from dataclasses import dataclass, field
from datetime import date

from ..models.state import APPRAISED, State


@dataclass
class TaskFact:
    """A task the unit leads, with the result that is scored.

    `counted` is False for a task not yet due at the scoring time nor accepted as done or cannot-do:
    it is listed (0 points) but does not share the criterion's points."""
    code: str
    title: str
    deadline: date
    counted: bool = True
    state: str | None = None         # workflow state of the scored result; None when there is none
    work_status: str | None = None   # not_started | in_progress | done | cannot_do
    completed_on: date | None = None
    blocked_reason: str = ""
    period_name: str = ""


@dataclass
class ReportFact:
    """The unit's periodic report of one period. `counted`: its due day is over, or it was sent.

    For the resubmission rule (criteria.reports), the ward days of its history: the first submission,
    the last time it was sent back (returned, or reopened) and the current submission, and how many
    working days (workdays.py) the unit took from the one to the other; the last two only for a report
    sent late (the only one the rule asks about), None where there is none."""
    period_name: str
    due_date: date
    counted: bool = True
    state: str | None = None  # None: the period was never opened, so no report exists
    late_days: int | None = None  # of the current submission
    returned: bool = False
    grade: str | None = None  # the reviewer's quality grade (QUALITY_GRADES), once reviewed
    first_sent_on: date | None = None
    sent_back_on: date | None = None
    sent_on: date | None = None
    fix_working_days: int | None = None  # working days after sent_back_on up to sent_on


@dataclass
class TargetFact:
    """A plan target the unit reports, with the figure of its latest accepted report (None: none)."""
    code: str
    title: str
    goal_text: str
    comparator: str | None
    goal: float | None
    actual: float | None = None
    source: str = ""  # the period whose accepted report gave `actual`


@dataclass
class EvidenceFact:
    """One accepted task result of the unit and how many evidence files it carries."""
    label: str
    files: int


@dataclass
class AssessmentFact:
    """The unit's self-assessment of the period: its scores per criterion code once sent, VHXH's once
    appraised (state reviewed or accepted)."""
    item_id: int
    state: str
    self_points: dict = field(default_factory=dict)       # code → points (None: not scored)
    appraised_points: dict = field(default_factory=dict)  # code → points
    reasons: dict = field(default_factory=dict)           # code → VHXH's reason where it differs

    @property
    def sent(self):
        return self.state != State.DRAFT

    @property
    def appraised(self):
        return self.state in APPRAISED


@dataclass
class UnitFacts:
    tasks: list[TaskFact] = field(default_factory=list)
    reports: list[ReportFact] = field(default_factory=list)
    targets: list[TargetFact] = field(default_factory=list)
    evidence: list[EvidenceFact] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)  # items still a draft after their due day
    # Points graded by people, per criterion code: (what, points) entries — the initiatives VHXH
    # awarded points to in an appraised self-assessment.
    entered: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    assessment: AssessmentFact | None = None  # per period only: the whole plan has no single one


@dataclass(frozen=True)
class UnitRef:
    """A ranked unit as the scores name it: plain values, so standings can be kept between requests
    (services.py) without holding a database session's objects."""
    id: int
    code: str
    name: str


@dataclass
class Facts:
    """Everything about every ranked unit in one scope (a period, or the whole plan)."""
    scope: str
    units: list[UnitRef] = field(default_factory=list)  # the ranked units (active), by code
    by_unit: dict[int, UnitFacts] = field(default_factory=dict)

    def of(self, unit_id):
        return self.by_unit.setdefault(unit_id, UnitFacts())
