"""The reviewer grades a unit report's quality when reviewing it; the quality criterion reads it."""
import math

from sqlalchemy import select

from workflow.extensions import db
from workflow.items import states
from workflow.models import ItemHistory, UnitReport
from workflow.ranking.criteria import quality
from workflow.ranking.facts import ReportFact, UnitFacts

from .items_support import ready, report_of, user


def submitted_report(period):
    report = report_of("ttpvhcc", period)
    states.perform(user("ttpvhcc"), ready(report), "submit", report.version)
    return report


def test_review_of_a_unit_report_needs_a_grade(auth, client, period):
    report = submitted_report(period)
    auth.login("thamdinh")
    missing = client.post(f"/items/unit-report/{report.id}/do/review", data={"version": report.version})
    assert missing.status_code == 422 and "Vui lòng chọn mức chất lượng của báo cáo." in missing.text
    bogus = client.post(f"/items/unit-report/{report.id}/do/review", data={"version": report.version, "grade": "Z"})
    assert bogus.status_code == 422
    done = client.post(f"/items/unit-report/{report.id}/do/review", data={"version": report.version, "grade": "B"})
    assert done.status_code == 303
    db.session.expire_all()
    report = db.session.get(UnitReport, report.id)
    assert (report.state, report.quality_grade, report.quality_label) == ("reviewed", "B", "Khá")
    assert db.session.scalar(select(ItemHistory.action).order_by(ItemHistory.id.desc()).limit(1)) == "review"


def test_the_panel_asks_for_the_grade(auth, client, period):
    report = submitted_report(period)
    auth.login("thamdinh")
    page = client.get(f"/items/unit-report/{report.id}").text
    assert 'name="grade"' in page and "Khá (75%)" in page


def test_task_results_are_reviewed_without_a_grade(period):
    from .items_support import result_of
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    states.perform(user("thamdinh"), item, "review", item.version)
    assert item.state == "reviewed"


def test_a_return_clears_the_grade_for_the_next_review(period):
    report = submitted_report(period)
    states.perform(user("thamdinh"), report, "review", report.version, grade="A")
    states.perform(user("tiepnhan"), report, "return", report.version, "Bổ sung số liệu")
    assert report.quality_grade is None


def test_quality_points_follow_the_grades():
    criterion = type("C", (), {"code": "quality", "label": "Chất lượng", "kind": "entered", "max_points": 15,
                               "params": {}})()
    facts = UnitFacts(reports=[ReportFact("Quý III/2025", None, grade="B"), ReportFact("Năm 2025", None, grade=None)])
    part = quality(criterion, facts)
    assert [line.points for line in part.lines] == [7.5 * 0.75, 0]
    assert math.isclose(part.points, 5.625)
    assert "Khá" in part.lines[0].text and "chưa được thẩm định" in part.lines[1].text
