"""The emulation part of the public page /cong-khai: commended units and the ranking table of an accepted
ranking sheet, initiatives of accepted self-assessments; nothing still in the workflow, no reviewer's word.
All data is made through the real services, as the units, VHXH and the VP office would."""
import pytest
from sqlalchemy import select

from tests.ranking_data import Q3, YEAR, plan, unit, user, with_min_basis  # noqa: F401  (plan is a fixture)
from tests.ranking_data import period as period_named
from tests.test_self_assessment import assessment, score_everything
from workflow.extensions import db
from workflow.items.states import perform
from workflow.models import User
from workflow.ranking import assessments, sheets
from workflow.ranking.display import vn_points

TOP = "Hoàn thành xuất sắc nhiệm vụ"
OWNERS = {"TTPVHCC": "ttpvhcc", "VHXH": "vhxh", "KTHTDT": "kthtdt", "VP": "vp", "TTSNC": "ttsnc"}
# Words only reviewers and acceptors wrote: none may reach the public page.
SECRETS = ["LÝ DO THẨM ĐỊNH", "GHI CHÚ THẨM ĐỊNH", "KHÔNG ĐẠT", "LÝ DO TRẢ LẠI", "đề xuất"]


def sent(unit_code, initiatives=()):
    """The unit's self-assessment at its computed scores, sent. Like test_self_assessment.submitted, but each
    initiative gets a description, which the public page shows."""
    item = assessment(unit_code)
    points = score_everything(item)
    lines = [(None if line.kind == "bonus" else points[line.code], "") for line in item.lines]
    entries = [{"kind": k, "title": t, "description": f"Mô tả: {t}", "points": p} for k, t, p in initiatives]
    owner = user(OWNERS[unit_code])
    assessments.save_self(owner, item, {"lines": lines, "initiatives": entries}, item.version)
    perform(owner, item, "submit", item.version)
    return item


def appraise(item, awards=(), top=False):
    """VHXH's appraisal, marked reviewed. top=True scores every line at its maximum (penalty 0): 90 points
    plus the bonus, the top band of the default scheme."""
    lines = []
    for line in item.lines:
        points = (0.0 if line.kind == "penalty" else line.max_points) if top else line.self_points
        differs = line.self_points is None or abs(points - line.self_points) >= 0.005
        lines.append((points, "LÝ DO THẨM ĐỊNH" if differs else ""))
    assessments.save_appraisal(user("thamdinh"), item, {"lines": lines, "awards": list(awards)}, item.version)
    perform(user("thamdinh"), item, "review", item.version)
    return item


def accept(item):
    perform(user("tiepnhan"), item, "accept", item.version)
    return item


def sheet(period, steps=("submit", "review", "accept")):
    """The period's ranking sheet made by VHXH, then moved: sent by VHXH, checked by the VP office,
    approved by the chairman."""
    item = sheets.make(user("thamdinh"), period)
    actors = {"submit": "vhxh", "review": "tiepnhan", "accept": "chutich"}
    for action in steps:
        perform(user(actors[action]), item, action, item.version)
    return item


@pytest.fixture
def emulation(plan):
    """Q3: TTPVHCC appraised at the top and accepted (one initiative awarded, one refused); VHXH reviewed
    but not accepted; KTHTDT returned. Only TTPVHCC's awarded initiative may be published. TTPVHCC has 1 task
    due in Q3, below the default minimum basis for the top band (3): the scheme's minimum is lowered to 1."""
    with_min_basis(plan, 1)
    top = sent("TTPVHCC", [("initiative", "Một cửa số hóa", 5), ("model", "Tổ tiếp dân lưu động", 4)])
    accept(appraise(top, awards=[(5, "GHI CHÚ THẨM ĐỊNH"), (0, "KHÔNG ĐẠT")], top=True))
    appraise(sent("VHXH", [("model", "Mô hình chưa tiếp nhận", 5)]), awards=[(5, "GHI CHÚ THẨM ĐỊNH")])
    returned = sent("KTHTDT", [("initiative", "Sáng kiến bị trả lại", 3)])
    perform(user("thamdinh"), returned, "return", returned.version, reason="LÝ DO TRẢ LẠI")
    assert [assessment(c).state for c in ("TTPVHCC", "VHXH", "KTHTDT")] == ["accepted", "reviewed", "draft"]
    return period_named(Q3)


def between(text, start, end):
    return text[text.index(start):text.index(end, text.index(start))]


def assert_nothing_private(text):
    for secret in SECRETS:
        assert secret not in text, secret
    for name in db.session.scalars(select(User.full_name)):
        assert name not in text, name
    assert "Đăng xuất" not in text


def test_accepted_ranking_shows_the_commended_units_and_the_whole_table(emulation, client):
    rows = sheet(emulation).rows
    top = [row for row in rows if row["band"] == TOP]
    assert [row["code"] for row in top] == ["TTPVHCC"] and top[0]["final"] == 9500  # 90 + the 5 awarded

    response = client.get("/cong-khai")  # nobody signed in
    assert response.status_code == 200
    text = response.text
    commended = between(text, "Đơn vị được đề nghị khen thưởng", "Bảng xếp hạng Quý III/2025")
    assert unit("TTPVHCC").name in commended and "95,00" in commended and TOP in commended
    assert Q3 in commended
    for row in rows:
        if row["code"] != "TTPVHCC":
            assert row["name"] not in commended, row["name"]

    table = between(text, "Bảng xếp hạng Quý III/2025", "Sáng kiến, mô hình được công nhận")
    assert [table.index(row["name"]) for row in rows] == sorted(table.index(row["name"]) for row in rows)
    for row in rows:
        assert vn_points(row["final"]) in table and row["band"] in table
    assert_nothing_private(text)


@pytest.mark.parametrize("steps", [(), ("submit",), ("submit", "review")], ids=["draft", "submitted", "reviewed"])
def test_a_ranking_sheet_not_yet_accepted_shows_nothing(emulation, client, steps):
    item = sheet(emulation, steps)
    assert item.state == {0: "draft", 1: "submitted", 2: "reviewed"}[len(steps)]
    text = client.get("/cong-khai").text
    assert "Bảng xếp hạng Quý III/2025" not in text and "95,00" not in text and TOP not in text
    assert "Chưa có đơn vị nào được đề nghị khen thưởng" in text
    assert "Chưa có bảng xếp hạng thi đua nào được tiếp nhận." in text


def test_only_awarded_initiatives_of_accepted_self_assessments_are_public(emulation, client):
    text = client.get("/cong-khai").text
    recognised = between(text, "Sáng kiến, mô hình được công nhận", "</section>")
    assert "Một cửa số hóa" in recognised and "Mô tả: Một cửa số hóa" in recognised
    assert "Sáng kiến" in recognised and unit("TTPVHCC").name in recognised and Q3 in recognised
    assert "Tổ tiếp dân lưu động" not in text     # awarded 0 points
    assert "Mô hình chưa tiếp nhận" not in text   # reviewed, not accepted
    assert "Sáng kiến bị trả lại" not in text     # returned
    assert_nothing_private(text)


def test_query_count_does_not_grow_with_initiatives_or_sheets(emulation, client, count_queries):
    sheet(emulation)
    client.get("/cong-khai")  # warm-up
    db.session.expunge_all()
    with count_queries() as one:
        assert client.get("/cong-khai").status_code == 200

    more = [("model", f"Mô hình số {n}", 1) for n in range(1, 4)]
    accept(appraise(sent("VP", more), awards=[(1, "")] * len(more)))
    year = sheets.make(user("thamdinh"), period_named(YEAR))
    for who, action in (("vhxh", "submit"), ("tiepnhan", "review"), ("chutich", "accept")):
        perform(user(who), year, action, year.version)
    db.session.expunge_all()
    with count_queries() as two:
        text = client.get("/cong-khai").text
    assert all(title in text for _, title, _ in more) and f"Bảng xếp hạng {YEAR}" in text
    assert two.count == one.count <= 8, (one.statements, two.statements)  # 5 for tasks and reports, 3 for emulation (rankings, initiatives, commended)
