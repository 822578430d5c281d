"""The loaded plan matches the seed text: every section-III item is a task in its area, led by its unit."""
import re
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from workflow.extensions import db
from workflow.models import Area, Plan, ReportingPeriod, Target, Task, Unit
from workflow.seed import load_plan, read_plan_file

SOURCE = Path(__file__).parent.parent / "workflow/seed/source/ke-hoach-cchc-phuong-phu-lien-6-thang-cuoi-2025.txt"
LETTERED = re.compile(r"^\s*[a-zđ]\)\s")
AREA_HEADING = re.compile(r"^\s*([1-7])\. \S")


def lettered_items_per_area():
    text = SOURCE.read_text(encoding="utf-8")
    section = text[text.index("III. NHIỆM VỤ, GIẢI PHÁP"):text.index("IV. KINH PHÍ")]
    counts, area = Counter(), None
    for line in section.splitlines():
        if (m := AREA_HEADING.match(line)):
            area = int(m.group(1))
        elif LETTERED.match(line):
            counts[area] += 1
    return counts


def test_task_counts_per_area_match_seed_text(seeded):
    rows = db.session.execute(select(Area.number, func.count(Task.id)).join(Task, Task.area_id == Area.id)
                              .group_by(Area.number)).all()
    expected = lettered_items_per_area()
    assert dict(rows) == dict(expected)
    assert sum(expected.values()) == 36


def test_lead_units_follow_section_v2(seeded):
    leads = dict(db.session.execute(select(Task.code, Unit.code).join(Unit, Task.lead_unit_id == Unit.id)).all())
    assert {leads[c] for c in ("4.a", "4.b", "4.c", "4.d", "5.a", "5.e")} == {"VHXH"}
    assert {leads[c] for c in ("2.a", "2.b", "2.c", "2.d", "1.b")} == {"VP"}
    assert {leads[c] for c in ("6.a", "6.c", "6.f", "3.e")} == {"KTHTDT"}
    assert {leads[c] for c in ("3.a", "3.b", "3.d", "7.d")} == {"TTPVHCC"}
    assert leads["7.đ"] == "TTSNC"


def test_plan_header_targets_and_periods(seeded):
    plan = db.session.scalar(select(Plan))
    assert (plan.number, f"{plan.issued_on:%d/%m/%Y}") == ("116/QĐ-UBND", "11/07/2025")
    assert (f"{plan.start_date:%d/%m/%Y}", f"{plan.end_date:%d/%m/%Y}") == ("01/07/2025", "31/12/2025")
    assert plan.signer_name == "Phạm Văn Diện"
    targets = db.session.scalars(select(Target).order_by(Target.position)).all()
    assert [t.goal_text for t in targets][1:] == ["100%", "≥ 1 cuộc", "100%", "≥ 90%"]
    periods = {p.name: p.due_date for p in db.session.scalars(select(ReportingPeriod))}
    assert {k: f"{v:%d/%m/%Y}" for k, v in periods.items()} == {"Quý III/2025": "05/09/2025",
                                                              "Năm 2025": "05/12/2025"}
    assert [u.code for u in db.session.scalars(select(Unit).order_by(Unit.id))] == \
        ["VHXH", "VP", "KTHTDT", "TTSNC", "TTPVHCC"]


def test_deadlines_inside_plan_and_content_kept(seeded):
    plan = db.session.scalar(select(Plan))
    tasks = db.session.scalars(select(Task)).all()
    assert all(plan.start_date <= t.deadline <= plan.end_date for t in tasks)
    second_e = next(t for t in tasks if t.code == "3.e")
    assert second_e.letter == "đ" and "môi trường đầu tư kinh doanh" in second_e.content


def test_loading_twice_changes_nothing(seeded):
    before = db.session.scalar(select(func.count(Task.id)))
    plan, created = load_plan(read_plan_file())
    assert not created
    assert db.session.scalar(select(func.count(Task.id))) == before
