"""The period's ranking sheet (issue #5): VHXH freezes the ranking with its scheme version, the VP office
accepts it, and later changes of weights or data change the live ranking but never the accepted sheet."""
import pytest
from sqlalchemy import select

from tests.ranking_data import Q3, apply_to_running, period, plan, realistic_mix, unit, user  # noqa: F401 (fixture)
from tests.test_self_assessment import submitted
from workflow.extensions import db
from workflow.items import states
from workflow.models import RankingSheet
from workflow.ranking import assessments, schemes, services, sheets
from .items_support import ready


def new_weights(plan, tasks=20, targets=30):
    """Save the next scheme version with other weights (the total stays 100)."""
    base = schemes.active_scheme(plan)
    weights = {"tasks": tasks, "targets": targets}
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": weights.get(c.code, c.max_points),
                          "params": c.params} for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label} for b in base.bands], "note": "Đổi trọng số"}
    return schemes.save_version(user("thamdinh"), plan, base.version, data)


def accepted_sheet(q3):
    sheet = sheets.make(user("thamdinh"), q3)
    states.perform(user("vhxh"), ready(sheet), "submit", sheet.version)
    states.perform(user("tiepnhan"), sheet, "review", sheet.version)
    states.perform(user("chutich"), sheet, "accept", sheet.version)  # the chairman approves it
    return sheet


def live(plan, q3, scheme=None):
    return {s.score.unit.code: round(s.score.final, 2)
            for s in services.ranking(user("chutich"), plan, str(q3.id), scheme)["standings"]}


def test_the_sheet_freezes_the_live_ranking_with_its_scheme_version(plan):
    realistic_mix()
    q3 = period(Q3)
    sheet = sheets.make(user("thamdinh"), q3)
    assert sheet.scheme.version == 1 and sheet.state == "draft" and sheet.unit.code == "VHXH"
    assert {row["code"]: row["final"] / 100 for row in sheet.rows} == live(plan, q3)
    assert [row["rank"] for row in sheet.rows] == sorted(row["rank"] for row in sheet.rows)
    for row in sheet.rows:
        assert sum(row["criteria"]) == row["final"]  # the criteria shown add up to the score shown
    assert [c[0] for c in sheet.columns] == [c.label for c in schemes.active_scheme(plan).criteria]


def test_an_accepted_ranking_keeps_its_scheme_version_after_the_weights_change(plan):
    realistic_mix()
    q3 = period(Q3)
    sheet = accepted_sheet(q3)
    frozen_rows, before = sheet.rows, live(plan, q3)
    assert sheet.state == "accepted"
    new_weights(plan)
    assert live(plan, q3) == before  # a closed period (its sheet approved) keeps its version
    assert live(plan, q3, "2") != before  # the new weights rank it otherwise when asked for
    db.session.expire_all()
    sheet = db.session.get(RankingSheet, sheet.id)
    assert sheet.scheme.version == 1 and sheet.rows == frozen_rows  # the accepted one does not
    with pytest.raises(Exception):
        sheets.make(user("thamdinh"), q3, sheet.version)  # an accepted sheet is not remade


def test_a_draft_sheet_is_remade_from_the_new_scheme(plan, client, auth):
    realistic_mix()
    q3 = period(Q3)
    sheet = sheets.make(user("thamdinh"), q3)
    new_weights(plan)
    apply_to_running(Q3)  # a running period takes a new version only once the chairman approves it
    auth.login("thamdinh")
    response = client.post(f"/items/ranking/{sheet.id}", data={"version": sheet.version})
    assert response.status_code == 303
    db.session.expire_all()
    sheet = db.session.get(RankingSheet, sheet.id)
    assert sheet.scheme.version == 2 and {r["code"]: r["final"] / 100 for r in sheet.rows} == live(plan, q3)
    stale = client.post(f"/items/ranking/{sheet.id}", data={"version": sheet.version - 1})
    assert stale.status_code == 409


def test_the_sheet_takes_the_appraised_score_and_says_so(plan, client, auth):
    q3 = period(Q3)
    item = submitted("TTPVHCC", {"reports": 0}, {"reports": "Chưa gửi đủ."})
    lines = [(line.self_points, "") for line in item.lines]
    assessments.save_appraisal(user("thamdinh"), item, {"lines": lines, "awards": []}, item.version)
    states.perform(user("thamdinh"), item, "review", item.version)
    auth.login("thamdinh")
    assert client.post("/ranking/sheet", data={"period": q3.id}).status_code == 303
    sheet = sheets.for_period(q3)
    row = next(r for r in sheet.rows if r["code"] == "TTPVHCC")
    assert row["basis"] == "appraised" and row["self"] == row["appraised"] == row["final"]
    assert all(r["basis"] == "computed" and r["appraised"] is None for r in sheet.rows if r["code"] != "TTPVHCC")
    page = client.get(f"/items/ranking/{sheet.id}").text
    assert "bộ tiêu chí phiên bản 1" in page and "thẩm định" in page


def test_only_vhxh_makes_the_sheet(plan, client, auth):
    q3 = period(Q3)
    for who in ("ttpvhcc", "tiepnhan", "chutich"):
        auth.login(who)
        assert client.post("/ranking/sheet", data={"period": q3.id}).status_code == 403, who
        auth.logout()
    auth.login("vhxh")
    assert client.post("/ranking/sheet", data={"period": "abc"}).status_code == 404
    assert client.post("/ranking/sheet", data={"period": q3.id}).status_code == 303
    assert db.session.scalar(select(RankingSheet).where(RankingSheet.period_id == q3.id)) is not None
