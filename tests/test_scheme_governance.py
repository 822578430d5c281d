"""Scheme governance (issue 15, point 4): a period is ranked under the version in force when it opened; a
version saved mid-period is for periods opened later, and reaches a running period only when the chairman
approves VHXH's proposal, whose page lists, before approval, exactly the units whose rank or band changes.
Real database, real services, real workflow."""
import re
from datetime import date

import pytest
from werkzeug.exceptions import Conflict, Forbidden

from tests.ranking_data import Q3, YEAR, period, plan, realistic_mix, user  # noqa: F401 (plan is a fixture)
from tests.test_ranking_sheet import accepted_sheet, new_weights
from workflow.extensions import db
from workflow.items import services as item_services
from workflow.items import states
from workflow.models import ReportingPeriod, SchemeProposal
from workflow.ranking import governance, revision, schemes, services
from workflow.ranking.display import cents
from workflow.ranking.gather import gather_facts
from workflow.ranking.scoring import score_all


def standing(plan, name, scheme=None):
    """{unit code: (rank, band, final)} of the period's live ranking as the ranking service shows it."""
    ranking = services.ranking(user("chutich"), plan, str(period(name).id), scheme)
    return {s.score.unit.code: (s.rank, s.score.band, round(s.score.final, 2)) for s in ranking["standings"]}


def independent_places(plan, name, scheme):
    """{unit code: (rank, band, final)} scored under `scheme` and ranked here: one plus the number of units
    whose final, to 0.01, is higher (ties share a rank)."""
    finals = {s.score.unit.code: (s.score.final, s.score.band)
              for s in score_all(scheme, gather_facts(plan, period(name), None))}
    return {code: (1 + sum(cents(f) > cents(final) for f, _ in finals.values()), band, round(final, 2))
            for code, (final, band) in finals.items()}


def rank_changers(plan, name, old, new):
    before, after = independent_places(plan, name, old), independent_places(plan, name, new)
    return {code for code in before if before[code][:2] != after[code][:2]}


@pytest.fixture
def mid_period(plan):
    """Q3 running with the realistic mix; version 2 (tasks 10, targets 30, reports 45) saved mid-period."""
    realistic_mix()
    before = standing(plan, Q3)
    v1 = schemes.active_scheme(plan)
    base = schemes.active_scheme(plan)
    weights = {"tasks": 10, "reports": 45, "targets": 10}
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": weights.get(c.code, c.max_points),
                          "params": c.params} for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label} for b in base.bands], "note": "Đổi trọng số"}
    v2 = schemes.save_version(user("thamdinh"), plan, base.version, data)
    return before, v1, v2


def test_a_scheme_saved_mid_period_changes_the_running_period_only_once_approved(plan, mid_period):
    before, v1, v2 = mid_period
    q3 = period(Q3)
    assert (q3.scheme.version, period(YEAR).scheme.version) == (1, 1)  # both opened under version 1
    assert standing(plan, Q3) == before  # saved, not approved: the running period is untouched
    whole = services.ranking(user("chutich"), plan, "all")
    assert whole["scheme"].version == 2  # the whole plan looks forward, under the active version
    assert [(name, v) for name, v in whole["period_versions"]] == [(Q3, 1), (YEAR, 1)]

    proposal = governance.propose(user("thamdinh"), q3, "Quý III chưa chốt; áp dụng trọng số mới")
    assert proposal.state == "submitted" and standing(plan, Q3) == before  # proposed, not yet approved
    counter = revision.current()
    states.perform(user("chutich"), proposal, "accept", proposal.version)
    db.session.expire_all()
    assert revision.current() > counter  # the kept standings are dropped with the change
    assert period(Q3).scheme.version == 2 and period(YEAR).scheme.version == 1
    after = standing(plan, Q3)
    assert after == independent_places(plan, Q3, v2) and after != before
    assert services.ranking(user("chutich"), plan, str(period(YEAR).id))["scheme"].version == 1


def test_the_approval_screen_lists_exactly_the_units_whose_rank_changes(plan, mid_period, client, auth):
    _, v1, v2 = mid_period
    expected = rank_changers(plan, Q3, v1, v2)
    assert expected and len(expected) < 5, expected  # the data make some change and some stay

    auth.login("thamdinh")
    response = client.post(f"/ranking/scheme/propose/{period(Q3).id}", data={"reason": "Đổi trọng số giữa kỳ"})
    assert response.status_code == 303
    proposal = db.session.scalar(db.select(SchemeProposal))
    proposed = client.get(f"/items/{SchemeProposal.KIND}/{proposal.id}").text  # the proposal screen
    assert set(re.findall(r'<tr data-unit="([^"]+)"', proposed)) == expected
    assert "Chờ Chủ tịch phê duyệt" in proposed and "Phạm Văn Diện" in proposed  # who acts next, by name
    assert "/do/accept" not in proposed  # the proposer is offered no approval

    auth.logout()
    auth.login("chutich")
    screen = client.get(f"/items/{SchemeProposal.KIND}/{proposal.id}").text  # the approval screen
    assert set(re.findall(r'<tr data-unit="([^"]+)"', screen)) == expected and "/do/accept" in screen
    before, after = independent_places(plan, Q3, v1), independent_places(plan, Q3, v2)
    for code in expected:  # old and new rank and band on the row
        row = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', screen, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[1:5] == [str(before[code][0]), str(after[code][0]), before[code][1], after[code][1]]
    approve = client.post(f"/items/{SchemeProposal.KIND}/{proposal.id}/do/accept", data={"version": proposal.version})
    assert approve.status_code == 303, re.findall(r"alert[^>]*>([^<]*)", approve.text)
    db.session.expire_all()
    now = standing(plan, Q3)
    assert {code for code in now if now[code][:2] != before[code][:2]} == expected


def test_only_the_chairman_approves_and_only_vhxh_proposes(plan, mid_period):
    q3 = period(Q3)
    for who in ("tiepnhan", "admin", "vhxh", "vp"):
        with pytest.raises(Forbidden):
            governance.propose(user(who), q3, "Đề nghị")
    proposal = governance.propose(user("thamdinh"), q3, "Đề nghị áp dụng")
    for who in ("thamdinh", "tiepnhan", "admin", "vhxh"):
        with pytest.raises(Forbidden) as refused:
            states.perform(user(who), proposal, "accept", proposal.version)
        assert refused.value.code == 403
    db.session.expire_all()
    assert period(Q3).scheme.version == 1 and proposal.state == "submitted"
    with pytest.raises(Conflict):  # one proposal at a time for a period
        governance.propose(user("thamdinh"), q3, "Lần nữa")


def test_the_chairman_returns_with_a_reason_and_vhxh_sends_again(plan, mid_period, client, auth):
    proposal = governance.propose(user("thamdinh"), period(Q3), "Đề nghị áp dụng")
    with pytest.raises(Exception):
        states.perform(user("chutich"), proposal, "return", proposal.version)  # a return needs its reason
    db.session.rollback()
    states.perform(user("phochutich"), proposal, "return", proposal.version, reason="Chờ hết quý rồi áp dụng")
    assert proposal.state == "draft" and period(Q3).scheme.version == 1
    auth.login("thamdinh")
    page = client.get(f"/items/{SchemeProposal.KIND}/{proposal.id}").text
    assert "Chờ hết quý rồi áp dụng" in page
    sent = client.post(f"/items/{SchemeProposal.KIND}/{proposal.id}",
                       data={"version": proposal.version, "reason": "Đã thống nhất với các đơn vị", "then": "submit"})
    assert sent.status_code == 303
    db.session.expire_all()
    assert proposal.state == "submitted" and proposal.reason == "Đã thống nhất với các đơn vị"
    rows = item_services.history(proposal)
    assert [r.action for r in rows] == ["submit", "return", "submit"]


def test_a_period_opened_later_takes_the_active_version(plan, mid_period):
    extra = ReportingPeriod(plan_id=plan.id, name="Quý IV/2025", kind="quarter", start_date=date(2025, 10, 1),
                            end_date=date(2025, 12, 31), due_date=date(2025, 12, 5))
    db.session.add(extra)
    db.session.commit()
    assert governance.scheme_for(extra).version == 2  # not opened: the active one
    item_services.open_period(user("admin"), extra)
    db.session.expire_all()
    assert extra.scheme.version == 2 and period(Q3).scheme.version == 1


def test_a_closed_period_takes_no_proposal(plan):
    realistic_mix()
    accepted_sheet(period(Q3))
    new_weights(plan)
    with pytest.raises(Conflict):
        governance.propose(user("thamdinh"), period(Q3), "Đề nghị")
    assert [p.name for p, _ in governance.running_behind(plan)] == [YEAR]


def test_drafts_follow_an_approved_version_and_sent_ones_only_when_returned(plan):
    from tests.test_self_assessment import assessment, submitted
    sent = submitted("TTPVHCC", {}, {})
    base = schemes.active_scheme(plan)
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": 30 if c.code == "tasks" else
                          (20 if c.code == "targets" else c.max_points), "params": c.params} for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label} for b in base.bands], "note": ""}
    schemes.save_version(user("thamdinh"), plan, base.version, data)
    proposal = governance.propose(user("thamdinh"), period(Q3), "Áp dụng cho Quý III")
    states.perform(user("chutich"), proposal, "accept", proposal.version)
    db.session.expire_all()
    assert assessment("VP").scheme.version == 2 and assessment("VP").line("tasks").max_points == 30  # a draft
    assert assessment("TTPVHCC").scheme.version == 1 and assessment("TTPVHCC").line("tasks").max_points == 40
    sent = assessment("TTPVHCC")
    states.perform(user("thamdinh"), sent, "return", sent.version, reason="Chấm lại theo bộ tiêu chí mới")
    db.session.expire_all()
    returned = assessment("TTPVHCC")
    assert returned.state == "draft" and returned.scheme.version == 2 and returned.line("tasks").max_points == 30
