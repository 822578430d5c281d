"""One rule per criterion code: facts in, a Part with its explanation lines out. Pure functions.

A part's points are by definition the sum of its lines, so the explanation always adds up.
A rule returns the part `excluded` when the criterion does not apply to the unit (it leads no task
that counts, reports no target); scoring.py then rescales the other criteria (see there).

- tasks: `max_points` shared equally by the counted tasks the unit leads. Accepted as done with a
  completion date on or before the deadline: the full share; done later: share × late_factor
  ("trễ N ngày"; no completion date counts as late); accepted as not done or cannot-do, or not
  accepted yet, or no result: 0 with the reason.
- reports: shared equally by the counted periods. Sent (submitted, reviewed or accepted) with
  late_days 0: full share; late: share × late_factor ("muộn N ngày"); not sent: 0. Over the whole
  plan this is the average over its periods.
  Resubmission after a return (`resubmit_working_days`, N): a report sent back to its unit (returned,
  or reopened) and sent again after the due day counts by the date of its FIRST submission — on time —
  if that was on time and the fix came within N working days after the day it was sent back (weekends
  and the holiday calendar's days off do not count; workdays.py); otherwise by the day it was actually
  sent again. The line says which rule applied. A saved scheme version without the parameter (every
  version saved before it existed) is read with the default N = 3 (DEFAULT_PARAMS), and the editor
  shows it so, for the next version to save it explicitly.
- targets: shared equally by the targets the unit reports; met per its accepted reports. ">=" and
  "=" mean reaching the goal (100 % cannot be exceeded, and more inspections than asked is no
  miss); "<=" means not above it. A target without a figure (the rank target "Thứ hạng cao") is
  met once the unit reports a figure in an accepted report — the figure is shown so the appraisal
  can correct it.
- evidence: shared equally by the unit's accepted task results; a result with at least one file
  earns its share. Excluded when the unit has neither counted tasks nor accepted results.
- quality: the reviewer's grade of each counted report (see `quality`).
- initiatives (bonus): the points VHXH awarded the initiatives of the unit's appraised
  self-assessment (gather.py), one line each, capped at `max_points`; none yet: 0 with a line saying so.
- penalty: minus `per_item` for each item still a draft after its due day, at most `max_points`.
"""
import math
from dataclasses import dataclass, field

from ..formats import vn_number
from ..models import QUALITY_GRADES, State

NO_DATA = "Chưa có dữ liệu (chấm ở bước thẩm định/tự đánh giá)"
STATE_WORDS = {State.DRAFT: "chưa gửi", State.SUBMITTED: "đã gửi, chờ thẩm định",
               State.REVIEWED: "đã thẩm định, chờ tiếp nhận"}
STATUS_WORDS = {"not_started": "chưa triển khai", "in_progress": "đang thực hiện, chưa hoàn thành"}


# Parameters a criterion's rule reads even when its saved version lacks them, with the value it then uses.
RESUBMIT_DAYS = 3
DEFAULT_PARAMS = {"reports": {"resubmit_working_days": RESUBMIT_DAYS}}


def params_of(criterion):
    """The criterion's parameters, the defaults filled in for those its saved version lacks."""
    return {**DEFAULT_PARAMS.get(criterion.code, {}), **(criterion.params or {})}


@dataclass
class Line:
    text: str
    points: float


@dataclass
class Part:
    code: str
    label: str
    kind: str
    max_points: float
    lines: list[Line] = field(default_factory=list)
    note: str = ""
    excluded: bool = False
    scheme_max: float = 0.0  # the scheme's maximum; `max_points` is the unit's (effective) one after rescaling
    factor: float = 1.0      # the rescaling factor applied (scoring._rescale)
    left_out: str = ""       # the excluded criteria that caused it, quoted, for the wording of the maximum

    @property
    def points(self):
        return math.fsum(line.points for line in self.lines)


def num(value, digits=2):
    """1.234,5 style, at most `digits` decimals: for the texts of lines and notes."""
    return vn_number(value, digits)


def _part(criterion, lines, note="", excluded=False):
    return Part(criterion.code, criterion.label, criterion.kind, criterion.max_points, lines, note, excluded,
                scheme_max=criterion.max_points)


def _share_note(criterion, count, what):
    return f"{num(criterion.max_points)} điểm chia đều cho {count} {what}: mỗi {what} {num(criterion.max_points / count)} điểm."


def _shared(criterion, items, line_of, not_due, none_text, excluded_note, what):
    """The criterion's points shared equally by the counted items, each earning its share through
    `line_of(item, share, late_factor)`; items not yet due are listed at 0. Excluded when none counts."""
    counted = [i for i in items if i.counted]
    if not counted:
        return _part(criterion, [not_due(i) for i in items] or [Line(none_text, 0)], excluded_note, excluded=True)
    share, factor = criterion.max_points / len(counted), criterion.params.get("late_factor", 0.5)
    lines = [line_of(i, share, factor) if i.counted else not_due(i) for i in items]
    return _part(criterion, lines, _share_note(criterion, len(counted), what))


def tasks(criterion, facts):
    return _shared(criterion, facts.tasks, _task_line,
                   lambda t: Line(f"{t.code}. {t.title}: chưa đến hạn ({t.deadline:%d/%m/%Y}), chưa tính", 0),
                   "Đơn vị không chủ trì nhiệm vụ nào",
                   "Không có nhiệm vụ chủ trì nào đến hạn: tiêu chí không tính.", "nhiệm vụ")


def _task_line(task, share, factor):
    name = f"{task.code}. {task.title}"
    if task.state is None:
        return Line(f"{name}: chưa có kết quả", 0)
    if task.state != State.ACCEPTED:
        return Line(f"{name}: kết quả {STATE_WORDS[task.state]}, chưa được tiếp nhận", 0)
    if task.work_status == "cannot_do":
        return Line(f"{name}: không thực hiện được ({task.blocked_reason.strip() or 'không nêu lý do'})", 0)
    if task.work_status != "done":
        return Line(f"{name}: {STATUS_WORDS.get(task.work_status, task.work_status)}", 0)
    if task.completed_on is None:
        return Line(f"{name}: hoàn thành nhưng không ghi ngày hoàn thành, tính như trễ hạn", share * factor)
    late = (task.completed_on - task.deadline).days
    when = f"ngày {task.completed_on:%d/%m/%Y}, hạn {task.deadline:%d/%m/%Y}"
    if late <= 0:
        return Line(f"{name}: hoàn thành đúng hạn ({when})", share)
    return Line(f"{name}: hoàn thành trễ {late} ngày ({when}), tính {num(factor * 100)}%", share * factor)


def reports(criterion, facts):
    window = int(params_of(criterion)["resubmit_working_days"])
    return _shared(criterion, facts.reports, lambda r, share, factor: _report_line(r, share, factor, window),
                   lambda r: Line(f"Báo cáo {r.period_name}: chưa đến hạn gửi ({r.due_date:%d/%m/%Y})", 0),
                   "Không có kỳ báo cáo",
                   "Chưa có kỳ báo cáo nào đến hạn: tiêu chí không tính.", "kỳ báo cáo")


def _report_line(report, share, factor, window):
    name = f"Báo cáo {report.period_name} (hạn {report.due_date:%d/%m/%Y})"
    if report.state is None or report.state == State.DRAFT:
        return Line(f"{name}: {'bị trả lại, chưa gửi lại' if report.returned else 'chưa gửi'}", 0)
    if not report.late_days:
        return Line(f"{name}: gửi đúng hạn", share)
    on_time, story = _resubmission(report, window)
    if on_time:
        return Line(f"{name}: {story}: tính đúng hạn", share)
    late = f"{name}: gửi muộn {report.late_days} ngày" + (f" ({story})" if story else "")
    return Line(f"{late}, tính {num(factor * 100)}%", share * factor)


def _resubmission(report, window):
    """(on time by the first submission?, what happened) for a report sent late after being sent back;
    (False, "") when it was never sent back."""
    if report.sent_back_on is None or report.first_sent_on is None:
        return False, ""
    back, again = f"bị trả lại ngày {report.sent_back_on:%d/%m/%Y}", f"gửi lại ngày {report.sent_on:%d/%m/%Y}"
    if report.first_sent_on > report.due_date:
        return False, f"gửi lần đầu ngày {report.first_sent_on:%d/%m/%Y} đã muộn, {back}, {again}: tính theo ngày gửi lại"
    first = f"gửi lần đầu đúng hạn ngày {report.first_sent_on:%d/%m/%Y}, {back}, {again}"
    if report.fix_working_days <= window:
        return True, f"{first} trong {report.fix_working_days}/{window} ngày làm việc"
    return False, (f"{first} sau {report.fix_working_days} ngày làm việc, quá {window} ngày làm việc được sửa: "
                   f"tính theo ngày gửi lại")


def target_met(target):
    """True, False, or None when no accepted figure exists."""
    if target.actual is None:
        return None
    if target.goal is None:
        return True
    if target.comparator == "<=":
        return target.actual <= target.goal
    return target.actual >= target.goal


def targets(criterion, facts):
    if not facts.targets:
        return _part(criterion, [Line("Đơn vị không được giao báo cáo chỉ tiêu nào", 0)],
                     "Tiêu chí không tính.", excluded=True)
    share = criterion.max_points / len(facts.targets)
    lines = []
    for t in facts.targets:
        name, met = f"Chỉ tiêu {t.code} ({t.goal_text})", target_met(t)
        if met is None:
            lines.append(Line(f"{name}: chưa có số liệu trong báo cáo được tiếp nhận", 0))
            continue
        figure = f"{num(t.actual)} (báo cáo {t.source})"
        if t.goal is None:
            lines.append(Line(f"{name}: đã báo cáo {figure}; chỉ tiêu không có mức định lượng, tính là đạt", share))
        else:
            lines.append(Line(f"{name}: {'đạt' if met else 'không đạt'}, thực hiện {figure}", share if met else 0))
    return _part(criterion, lines, _share_note(criterion, len(facts.targets), "chỉ tiêu"))


def evidence(criterion, facts):
    if not facts.evidence:
        if any(t.counted for t in facts.tasks):
            return _part(criterion, [Line("Chưa có kết quả nhiệm vụ nào được tiếp nhận", 0)])
        return _part(criterion, [Line("Không có kết quả nhiệm vụ nào để xét minh chứng", 0)],
                     "Tiêu chí không tính.", excluded=True)
    share = criterion.max_points / len(facts.evidence)
    lines = [Line(f"Kết quả nhiệm vụ {e.label}: {e.files} tệp minh chứng", share) if e.files
             else Line(f"Kết quả nhiệm vụ {e.label}: chưa có minh chứng", 0) for e in facts.evidence]
    return _part(criterion, lines, _share_note(criterion, len(facts.evidence), "kết quả được tiếp nhận"))


def graded(criterion, facts):
    """Entered and bonus criteria: what people graded, never above the criterion's maximum."""
    entries = facts.entered.get(criterion.code, [])
    if not entries:
        return _part(criterion, [Line(NO_DATA, 0)])
    lines = [Line(text, max(0.0, points)) for text, points in entries]
    over = math.fsum(line.points for line in lines) - criterion.max_points
    if over > 0:
        lines.append(Line(f"Vượt mức tối đa {num(criterion.max_points)} điểm, không tính phần vượt", -over))
    return _part(criterion, lines)


def quality(criterion, facts):
    """The reviewer's grade of each counted report: its equal share of the points times the grade's
    factor (Tốt 100 %, Khá 75 %, Trung bình 50 %, Yếu 25 %); a report not yet reviewed scores 0.
    Points entered directly (facts.entered) take precedence, as for the other graded criteria."""
    counted = [r for r in facts.reports if r.counted]
    if criterion.code in facts.entered or not counted:
        return graded(criterion, facts)
    share = criterion.max_points / len(counted)
    lines = []
    for r in counted:
        if r.grade in QUALITY_GRADES:
            label, factor = QUALITY_GRADES[r.grade]
            lines.append(Line(f"Báo cáo {r.period_name}: chất lượng {label} ({num(factor * 100)}%)", share * factor))
        else:
            lines.append(Line(f"Báo cáo {r.period_name}: chưa được thẩm định chất lượng", 0))
    return _part(criterion, lines, _share_note(criterion, len(counted), "kỳ báo cáo"))


def penalty(criterion, facts):
    per_item = criterion.params.get("per_item", 2)
    if not facts.overdue:
        return _part(criterion, [Line("Không có hồ sơ quá hạn chưa gửi", 0)])
    lines = [Line(f"{item}: quá hạn chưa gửi", -per_item) for item in facts.overdue]
    over = per_item * len(lines) - criterion.max_points
    if over > 0:
        lines.append(Line(f"Trừ tối đa {num(criterion.max_points)} điểm", over))
    return _part(criterion, lines)


RULES = {"tasks": tasks, "reports": reports, "quality": quality, "targets": targets, "evidence": evidence,
         "initiatives": graded, "penalty": penalty}
