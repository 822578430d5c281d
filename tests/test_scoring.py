"""Scoring rules on hand-made facts, every expected number computed by hand. No database."""
import copy
import math
from datetime import date
from types import SimpleNamespace

import pytest

from workflow.ranking import schemes
from workflow.ranking.display import apportion, cents
from workflow.ranking.maxima import shown_parts
from workflow.ranking.facts import EvidenceFact, Facts, ReportFact, TargetFact, TaskFact, UnitFacts
from workflow.ranking.scoring import rank, score_unit

DEFAULT = schemes.read_default()
DUE = date(2025, 7, 31)


def scheme(**max_points):
    """The default scheme (40/15/15/10/10 + bonus 10, penalty 2 per item up to 10), some maxima changed."""
    data = copy.deepcopy(DEFAULT)
    for criterion in data["criteria"]:
        criterion["max_points"] = max_points.get(criterion["code"], criterion["max_points"])
    return schemes.build(1, 1, data)


def unit(code="A", unit_id=1):
    return SimpleNamespace(id=unit_id, code=code, name=f"Đơn vị {code}")


def score(facts_of_unit, the_scheme=None):
    return score_unit(the_scheme or scheme(), unit(), Facts("Quý III/2025", by_unit={1: facts_of_unit}))


def part(result, code):
    return next(p for p in result.parts if p.code == code)


def task(code="1.a", state="accepted", status="done", completed=date(2025, 7, 25), **extra):
    return TaskFact(code, f"Nhiệm vụ {code}", DUE, state=state, work_status=status, completed_on=completed, **extra)


def on_time_report(name="Quý III/2025"):
    return ReportFact(name, date(2025, 9, 5), state="accepted", late_days=0)


def unit_facts(**given):
    """A unit to which every criterion applies (nothing excluded, so nothing rescaled): an on-time task,
    an unsent report and an unreported target, unless given otherwise."""
    base = {"tasks": [task()], "reports": [ReportFact("Quý III/2025", date(2025, 9, 5), state="draft")],
            "targets": [TargetFact("3", "Kiểm tra", "≥ 1 cuộc", ">=", 1, None)]}
    return UnitFacts(**{**base, **given})


def assert_adds_up(result):
    for p in result.parts:
        assert math.isclose(p.points, math.fsum(line.points for line in p.lines), abs_tol=1e-12)
    assert math.isclose(result.total, math.fsum(p.points for p in result.parts), abs_tol=1e-12)
    total, shown = shown_parts(result)
    assert sum(s.cents for s in shown) == total == cents(result.total)
    for s in shown:
        assert sum(s.line_cents) == s.cents


def test_task_done_on_time_earns_its_full_share():
    result = score(unit_facts(tasks=[task()]))
    tasks = part(result, "tasks")
    assert tasks.points == 40
    assert "hoàn thành đúng hạn" in tasks.lines[0].text
    assert_adds_up(result)


def test_task_done_late_earns_half_and_says_how_late():
    tasks = part(score(unit_facts(tasks=[task(completed=date(2025, 8, 10))])), "tasks")
    assert tasks.points == 20
    assert "trễ 10 ngày" in tasks.lines[0].text and "tính 50%" in tasks.lines[0].text


@pytest.mark.parametrize("fact, reason", [
    (task(status="cannot_do", completed=None, blocked_reason="Chưa có hướng dẫn"), "không thực hiện được (Chưa có hướng dẫn)"),
    (task(status="in_progress", completed=None), "chưa hoàn thành"),
    (task(state="submitted"), "chưa được tiếp nhận"),
    (task(state=None, status=None, completed=None), "chưa có kết quả"),
])
def test_task_not_done_or_not_accepted_earns_nothing_with_the_reason(fact, reason):
    tasks = part(score(unit_facts(tasks=[fact])), "tasks")
    assert tasks.points == 0 and reason in tasks.lines[0].text


def test_tasks_share_the_points_equally():
    # 40 / 3 each: on time 13.33 + late 6.67 + not done 0 = 20
    given = unit_facts(tasks=[task("1.a"), task("1.b", completed=date(2025, 8, 1)), task("1.c", status="in_progress")])
    result = score(given)
    assert math.isclose(part(result, "tasks").points, 20)
    assert [line.points for line in part(result, "tasks").lines] == pytest.approx([40 / 3, 20 / 3, 0])
    assert_adds_up(result)


def test_tasks_not_yet_due_are_listed_but_share_nothing():
    given = unit_facts(tasks=[task("1.a"), TaskFact("7.a", "Chưa đến hạn", date(2025, 11, 30), counted=False)])
    tasks = part(score(given), "tasks")
    assert tasks.points == 40 and tasks.lines[1].points == 0 and "chưa đến hạn" in tasks.lines[1].text


def test_late_factor_is_a_parameter():
    the_scheme = scheme()
    the_scheme.criteria[0].params = {"late_factor": 0.25}
    assert part(score(unit_facts(tasks=[task(completed=date(2025, 8, 2))]), the_scheme), "tasks").points == 10


def test_reports_on_time_late_and_missing():
    # 15 / 3 each: on time 5 + late 2.5 + missing 0 = 7.5
    given = unit_facts(reports=[on_time_report("Tháng 7"),
                               ReportFact("Tháng 8", date(2025, 8, 5), state="submitted", late_days=4),
                               ReportFact("Tháng 9", date(2025, 9, 5), state="draft")])
    reports = part(score(given), "reports")
    assert math.isclose(reports.points, 7.5)
    assert "gửi đúng hạn" in reports.lines[0].text
    assert "muộn 4 ngày" in reports.lines[1].text and reports.lines[1].points == 2.5
    assert "chưa gửi" in reports.lines[2].text and reports.lines[2].points == 0


def test_returned_report_counts_as_not_sent():
    given = unit_facts(reports=[ReportFact("Quý III/2025", date(2025, 9, 5), state="draft", late_days=0, returned=True)])
    reports = part(score(given), "reports")
    assert reports.points == 0 and "bị trả lại" in reports.lines[0].text


def test_targets_met_missed_and_unreported():
    given = unit_facts(targets=[
        TargetFact("5", "Hài lòng", "≥ 90%", ">=", 90, 92, "Quý III/2025"),      # met
        TargetFact("4", "Theo dõi", "100%", "=", 100, 99.5, "Quý III/2025"),     # missed
        TargetFact("1", "Thứ hạng", "Thứ hạng cao", None, None, 7, "Quý III/2025"),  # no figure: reported = met
        TargetFact("3", "Kiểm tra", "≥ 1 cuộc", ">=", 1, None),                  # nothing accepted
    ])
    targets = part(score(given), "targets")
    assert [line.points for line in targets.lines] == [2.5, 0, 2.5, 0]
    assert "không đạt" in targets.lines[1].text and "chưa có số liệu" in targets.lines[3].text


def test_evidence_is_the_share_of_accepted_results_with_a_file():
    given = unit_facts(tasks=[task()], evidence=[EvidenceFact("1.a", 2), EvidenceFact("1.b", 0), EvidenceFact("1.c", 1)])
    assert math.isclose(part(score(given), "evidence").points, 20 / 3)


def test_quality_is_zero_until_reviewed_and_initiatives_have_no_data_yet():
    result = score(unit_facts(tasks=[task()]))
    assert part(result, "quality").points == 0
    assert part(result, "quality").lines[0].text == "Báo cáo Quý III/2025: chưa được thẩm định chất lượng"
    assert part(result, "initiatives").points == 0
    assert part(result, "initiatives").lines[0].text == "Chưa có dữ liệu (chấm ở bước thẩm định/tự đánh giá)"


def test_bonus_is_capped():
    given = unit_facts(tasks=[task()], entered={"initiatives": [("Mô hình “Một cửa thân thiện”", 6), ("Sáng kiến số hóa", 7)]})
    bonus = part(score(given), "initiatives")
    assert bonus.points == 10
    assert [line.points for line in bonus.lines] == [6, 7, -3]  # the cap is a line of its own


def test_penalty_per_overdue_item():
    penalty = part(score(unit_facts(tasks=[task()], overdue=["Báo cáo Quý III/2025", "Kết quả nhiệm vụ 1.b"])), "penalty")
    assert penalty.points == -4 and len(penalty.lines) == 2


def test_penalty_is_capped():
    result = score(unit_facts(tasks=[task()], overdue=[f"Hồ sơ {i}" for i in range(7)]))  # 7 × 2 = 14 > 10
    penalty = part(result, "penalty")
    assert penalty.points == -10 and penalty.lines[-1].points == 4
    assert result.total == 30  # 40 - 10
    assert_adds_up(result)


def test_total_never_below_zero():
    result = score(unit_facts(tasks=[task(state="draft")], overdue=["Hồ sơ 1", "Hồ sơ 2"]))
    assert result.total == 0 and part(result, "penalty").points == 0
    assert "không âm" in part(result, "penalty").lines[-1].text
    assert_adds_up(result)


def test_a_unit_leading_no_task_is_scored_on_the_rest_rescaled():
    # tasks and evidence excluded: kept 15 + 15 + 10 = 40 of 90, factor 2.25.
    # reports 15 × 2.25 = 33.75, targets 10 × 2.25 = 22.5, quality 0: total 56.25.
    facts = UnitFacts(reports=[on_time_report()], targets=[TargetFact("5", "Hài lòng", "≥ 90%", ">=", 90, 95, "Q3")])
    result = score(facts)
    assert part(result, "tasks").excluded and part(result, "evidence").excluded
    assert result.scale == 2.25
    assert math.isclose(part(result, "reports").points, 33.75) and math.isclose(part(result, "targets").points, 22.5)
    assert math.isclose(result.total, 56.25) and result.band == "Hoàn thành nhiệm vụ"
    assert "Quy đổi ×2,25" in part(result, "reports").note
    assert_adds_up(result)


def test_full_marks_without_bonus_reach_90_with_bonus_100():
    # three tasks: the default scheme's minimum basis for the top band (see test_scoring_basis.py)
    facts = UnitFacts(tasks=[task("1.a"), task("1.b"), task("1.c")], reports=[on_time_report()],
                      evidence=[EvidenceFact("1.a", 1)],
                      targets=[TargetFact("5", "Hài lòng", "≥ 90%", ">=", 90, 95, "Q3")],
                      entered={"quality": [("Điểm thẩm định", 15)]})
    assert score(facts).total == 90 and score(facts).band == "Hoàn thành xuất sắc nhiệm vụ"
    facts.entered["initiatives"] = [("Mô hình mới", 12)]
    assert score(facts).total == 100


@pytest.mark.parametrize("total, band", [(90, "Hoàn thành xuất sắc nhiệm vụ"), (89.996, "Hoàn thành xuất sắc nhiệm vụ"),
                                         (89.994, "Hoàn thành tốt nhiệm vụ"), (70, "Hoàn thành tốt nhiệm vụ"),
                                         (69.99, "Hoàn thành nhiệm vụ"), (49.99, "Không hoàn thành nhiệm vụ"),
                                         (0, "Không hoàn thành nhiệm vụ")])
def test_bands_judge_the_total_as_shown(total, band):
    from workflow.ranking.scoring import band_for
    assert band_for(scheme(), total) == band


def test_ties_share_a_rank_and_the_next_rank_skips():
    scores = [SimpleNamespace(unit=unit(code), total=total, final=total)
              for code, total in [("D", 80), ("B", 90), ("C", 80.004), ("A", 70), ("E", 79.999)]]
    standings = rank(scores)
    assert [(s.score.unit.code, s.rank, s.tied) for s in standings] == [
        ("B", 1, False), ("C", 2, True), ("D", 2, True), ("E", 2, True), ("A", 5, False)]


def test_changing_a_weight_changes_the_order():
    strong_tasks = UnitFacts(tasks=[task()], reports=[ReportFact("Q3", date(2025, 9, 5), state="draft")])
    strong_reports = UnitFacts(tasks=[task(status="in_progress")], reports=[on_time_report()])
    facts = Facts("Q3", units=[unit("A", 1), unit("B", 2)], by_unit={1: strong_tasks, 2: strong_reports})

    def order(the_scheme):
        return [s.score.unit.code for s in rank([score_unit(the_scheme, u, facts) for u in facts.units])]

    assert order(scheme()) == ["A", "B"]                     # 40 vs 15
    assert order(scheme(tasks=10, reports=45)) == ["B", "A"]  # 10 vs 45


def test_shown_figures_add_up_after_rounding():
    assert apportion([40 / 3] * 3, 4000) == [1334, 1333, 1333]
    assert apportion([2 / 3, 2 / 3, -2], cents(2 / 3 + 2 / 3 - 2)) == [67, 66, -200]  # -0.67 shown, signs mixed
    values = [40 / 17] * 17
    assert sum(apportion(values, cents(math.fsum(values)))) == 4000


def resubmitted(fix_working_days, first=date(2025, 9, 4)):
    """Q3's report sent on `first`, returned on 05/09, sent again on 11/09 (6 days late)."""
    return ReportFact("Quý III/2025", date(2025, 9, 5), state="submitted", late_days=6, returned=False,
                      first_sent_on=first, sent_back_on=date(2025, 9, 5), sent_on=date(2025, 9, 11),
                      fix_working_days=fix_working_days)


@pytest.mark.parametrize("params, used, full", [
    ({"late_factor": 0.5, "resubmit_working_days": 3}, 3, True),
    ({"late_factor": 0.5, "resubmit_working_days": 3}, 4, False),
    ({"late_factor": 0.5}, 3, True),                          # a version saved before the parameter: 3
    ({"late_factor": 0.5}, 4, False),
    ({"late_factor": 0.5, "resubmit_working_days": 0}, 0, True),  # 0: fixed the day it was returned
    ({"late_factor": 0.5, "resubmit_working_days": 0}, 1, False),
])
def test_a_fix_after_a_return_counts_on_time_within_the_window(params, used, full):
    the_scheme = scheme()
    the_scheme.criteria[1].params = params
    reports = part(score(unit_facts(reports=[resubmitted(used)]), the_scheme), "reports")
    assert reports.points == (15 if full else 7.5)
    assert ("tính đúng hạn" in reports.lines[0].text) is full


def test_a_fix_after_a_late_first_submission_counts_by_the_day_sent_again():
    reports = part(score(unit_facts(reports=[resubmitted(1, first=date(2025, 9, 8))])), "reports")
    assert reports.points == 7.5 and "đã muộn" in reports.lines[0].text


# --- issue 15: effective maxima and the minimum basis for the top band ------------------------------------

def test_effective_maxima_are_worded_with_how_they_arise_and_add_up_as_shown():
    from workflow.ranking.maxima import max_phrase, shown_maxima
    # only the report and its quality apply (no task, target or evidence): × 90/30 = 3
    result = score(UnitFacts(reports=[on_time_report()]))
    maxima = shown_maxima(result.parts)
    words = {p.code: max_phrase(p, m) for p, m in zip(result.parts, maxima)}
    assert words["reports"] == ("tối đa 45,00 = 15,00 × 3 vì không tính “Nhiệm vụ chủ trì hoàn thành đúng hạn”, "
                                "“Chỉ tiêu được giao đạt”, “Đầy đủ minh chứng”")
    assert words["tasks"] == words["targets"] == words["evidence"] == "không áp dụng"
    assert words["initiatives"] == "cộng tối đa 10,00" and words["penalty"] == "trừ tối đa 10,00"
    assert maxima[1:3] == [4500, 4500] and sum(m or 0 for m in maxima[:5]) == 9000


def test_rescaled_maxima_that_do_not_round_evenly_are_apportioned_and_never_exceeded():
    from workflow.ranking.maxima import max_phrase, shown_maxima, shown_parts
    # targets left out: × 90/80; 15 × 1,125 = 16,875 twice, shown 16,88 and 16,87 ("≈"), adding up to 90,00
    the_scheme = scheme()
    result = score(UnitFacts(tasks=[task()], reports=[on_time_report()], evidence=[EvidenceFact("1.a", 1)],
                             entered={"quality": [("Điểm thẩm định", 15)]}), the_scheme)
    maxima = dict(zip([p.code for p in result.parts], shown_maxima(result.parts)))
    assert (maxima["reports"], maxima["quality"]) == (1688, 1687) and maxima["targets"] is None
    assert sum(m for code, m in maxima.items() if code in ("tasks", "reports", "quality", "evidence")) == 9000
    reports = part(result, "reports")
    assert max_phrase(reports, 1688) == "tối đa 16,88 ≈ 15,00 × 1,125 vì không tính “Chỉ tiêu được giao đạt”"
    total, shown = shown_parts(result)
    assert total == 9000 and all(s.cents <= s.max_cents for s in shown if s.max_cents is not None)
    assert apportion([16.875, 16.875], 3375, caps=[1687, 1688]) == [1687, 1688]  # the cap decides the round-up


@pytest.mark.parametrize("tasks_due, band, note", [
    (0, "Hoàn thành tốt nhiệm vụ", "Chưa đủ cơ sở xếp loại cao nhất: 0/3 nhiệm vụ đến hạn"),
    (2, "Hoàn thành tốt nhiệm vụ", "Chưa đủ cơ sở xếp loại cao nhất: 2/3 nhiệm vụ đến hạn"),
    (3, "Hoàn thành xuất sắc nhiệm vụ", ""),
])
def test_the_top_band_needs_the_minimum_basis(tasks_due, band, note):
    from workflow.ranking.scoring import band_with_basis
    found, why = band_with_basis(scheme(), 95, tasks_due)
    assert (found.label, why) == (band, note)
    below_top, why = band_with_basis(scheme(), 75, 0)  # only the top band needs the basis
    assert (below_top.label, why) == ("Hoàn thành tốt nhiệm vụ", "")


def test_each_band_carries_the_heads_assessment():
    heads = [(b.label, b.head_assessment) for b in scheme().bands]
    assert heads[0] == ("Hoàn thành xuất sắc nhiệm vụ", "Người đứng đầu hoàn thành xuất sắc trách nhiệm về CCHC")
    assert heads[-1][1] == "Người đứng đầu không hoàn thành trách nhiệm về CCHC"
    facts = UnitFacts(tasks=[task("1.a"), task("1.b"), task("1.c")], reports=[on_time_report()],
                      evidence=[EvidenceFact("1.a", 1)], targets=[TargetFact("5", "Hài lòng", "≥ 90%", ">=", 90, 95, "Q3")],
                      entered={"quality": [("Điểm thẩm định", 15)]})
    result = score(facts)
    assert (result.tasks_due, result.reports_due, result.band_note) == (3, 1, "")
    assert result.head == "Người đứng đầu hoàn thành xuất sắc trách nhiệm về CCHC"
