"""The self-assessment item (issue #5): the unit's scores with explanations, VHXH's appraisal with reasons,
initiatives feeding the bonus, and the ranking following the appraised score."""
import pytest
from sqlalchemy import select

from tests.ranking_data import Q3, apply_to_running, plan, unit, user  # noqa: F401  (plan is a fixture)
from workflow.extensions import db
from workflow.items import states
from workflow.models import SelfAssessment
from workflow.ranking import services
from workflow.validation import FieldError
from .items_support import ready

DEFAULT_CODES = ["tasks", "reports", "quality", "targets", "evidence", "initiatives", "penalty"]


def assessment(unit_code, period_name=Q3):
    return db.session.scalar(select(SelfAssessment).join(SelfAssessment.period).where(
        SelfAssessment.unit_id == unit(unit_code).id, SelfAssessment.period.has(name=period_name)))


def self_form(item, points, explanations=None, initiatives=()):
    """Form data for the unit's draft: points and explanations per line, then initiative rows."""
    explanations = explanations or {}
    data = {"version": item.version}
    for i, line in enumerate(item.lines):
        data[f"lines-{i}-points"] = points.get(line.code, "")
        data[f"lines-{i}-text"] = explanations.get(line.code, "")
    for i, (kind, title, proposed) in enumerate(initiatives):
        data.update({f"initiatives-{i}-kind": kind, f"initiatives-{i}-title": title,
                     f"initiatives-{i}-description": "Hiệu quả rõ rệt", f"initiatives-{i}-points": proposed})
    return data


def appraisal_form(item, points, reasons=None, awards=()):
    reasons = reasons or {}
    data = {"version": item.version}
    for i, line in enumerate(item.lines):
        data[f"lines-{i}-points"] = points.get(line.code, line.self_points if line.self_points is not None else "")
        data[f"lines-{i}-text"] = reasons.get(line.code, "")
    for i, (awarded, note) in enumerate(awards):
        data[f"awards-{i}-points"], data[f"awards-{i}-text"] = awarded, note
    return data


def test_opening_a_period_makes_a_draft_per_unit_with_a_line_per_criterion(plan):
    items = db.session.scalars(select(SelfAssessment)).all()
    assert len(items) == 2 * 5  # two periods × five units
    vhxh = assessment("VHXH")
    assert vhxh.state == "draft" and [line.code for line in vhxh.lines] == DEFAULT_CODES
    assert [line.max_points for line in vhxh.lines] == [40, 15, 15, 10, 10, 10, 10]


def test_unit_scores_its_draft_and_out_of_range_scores_get_a_message_beside_the_field(plan, client, auth):
    item = assessment("TTPVHCC")
    auth.login("ttpvhcc")
    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"tasks": 45}))
    assert response.status_code == 422
    assert 'id="lines-0-points-errors"' in response.text and "Điểm từ 0 đến 40." in response.text
    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"penalty": 3}))
    assert response.status_code == 422 and "Điểm từ -10 đến 0." in response.text
    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"tasks": "abc"}))
    assert response.status_code == 422 and "Vui lòng nhập một số." in response.text
    db.session.expire_all()
    assert assessment("TTPVHCC").lines[0].self_points is None  # nothing saved from refused forms

    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"tasks": 30, "reports": 15}))
    assert response.status_code == 303
    db.session.expire_all()
    saved = assessment("TTPVHCC")
    assert saved.line("tasks").self_points == 30 and saved.line("reports").self_points == 15
    assert saved.line("tasks").computed_points is not None  # what the unit saw, for the reviewer


def test_others_cannot_see_or_score_a_units_self_assessment(plan, client, auth):
    item = assessment("TTPVHCC")
    auth.login("kthtdt")
    assert client.get(f"/items/self-assessment/{item.id}").status_code == 404
    assert client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {})).status_code == 404
    auth.logout()
    auth.login("thamdinh")  # the reviewer sees it but a draft is the unit's to write
    assert client.get(f"/items/self-assessment/{item.id}").status_code == 200
    assert client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {})).status_code == 403


def score_everything(item, extra=None):
    """Points for every line: its live computed value, except those in `extra`."""
    computed = services_computed(item)
    points = {code: round(value, 2) for code, value in computed.items()}
    points.update(extra or {})
    return points


def services_computed(item):
    from workflow.ranking.assessments import computed_scores
    return computed_scores(item)


def test_submit_needs_every_score_and_an_explanation_where_it_differs_from_the_computed_one(plan, client, auth):
    item = assessment("TTPVHCC")
    auth.login("ttpvhcc")
    response = client.post(f"/items/self-assessment/{item.id}/do/submit", data={"version": item.version})
    assert response.status_code == 422
    assert "Chưa tự chấm điểm tiêu chí “Nhiệm vụ chủ trì hoàn thành đúng hạn”" in response.text

    points = score_everything(item, {"tasks": 40})
    client.post(f"/items/self-assessment/{item.id}", data=self_form(item, points))
    db.session.expire_all()
    item = assessment("TTPVHCC")
    assert item.line("tasks").computed_points < 40  # nothing is accepted yet: the computed score is lower
    response = client.post(f"/items/self-assessment/{item.id}/do/submit", data={"version": item.version})
    assert response.status_code == 422 and "khác điểm tính tự động: vui lòng giải trình" in response.text

    data = self_form(item, points, {"tasks": "Các nhiệm vụ đã xong, chờ tiếp nhận; xem minh chứng."})
    data["then"] = "submit"  # "Lưu và gửi"
    assert client.post(f"/items/self-assessment/{item.id}", data=data).status_code == 303
    db.session.expire_all()
    assert assessment("TTPVHCC").state == "submitted"


def submitted(unit_code, points_extra, explanations, initiatives=()):
    """The unit's self-assessment saved and sent through the services, as the unit would."""
    from workflow.ranking import assessments
    item = assessment(unit_code)
    points = score_everything(item, points_extra)
    lines = [(None if line.kind == "bonus" else points[line.code], explanations.get(line.code, ""))
             for line in item.lines]
    entries = [{"kind": k, "title": t, "description": "", "points": p} for k, t, p in initiatives]
    owner = {"TTPVHCC": "ttpvhcc", "VHXH": "vhxh", "KTHTDT": "kthtdt", "VP": "vp", "TTSNC": "ttsnc"}[unit_code]
    assessments.save_self(user(owner), item, {"lines": lines, "initiatives": entries}, item.version)
    states.perform(user(owner), ready(item), "submit", item.version)
    return item


def test_reviewer_appraises_with_a_reason_where_the_score_differs_and_the_ranking_follows(plan, client, auth):
    item = submitted("TTPVHCC", {"tasks": 40}, {"tasks": "Đã hoàn thành cả hai nhiệm vụ."})
    auth.login("thamdinh")
    page = client.get(f"/items/self-assessment/{item.id}")
    assert page.status_code == 200 and "Lưu và thẩm định đạt" in page.text

    form = appraisal_form(item, {"tasks": 25})
    form["then"] = "review"
    response = client.post(f"/items/self-assessment/{item.id}/appraisal", data=form, follow_redirects=True)
    assert "khác điểm tự chấm: vui lòng nêu lý do" in response.text
    db.session.expire_all()
    item = assessment("TTPVHCC")
    assert item.state == "submitted" and item.line("tasks").appraised_points == 25  # saved, not reviewed

    form = appraisal_form(item, {"tasks": 25}, {"tasks": "Nhiệm vụ 3.b hoàn thành trễ hạn."})
    form["then"] = "review"
    assert client.post(f"/items/self-assessment/{item.id}/appraisal", data=form).status_code == 303
    db.session.expire_all()
    item = assessment("TTPVHCC")
    assert item.state == "reviewed" and item.reviewed_by_id == user("thamdinh").id

    ranking = services.ranking(user("chutich"), plan, str(item.period_id))
    row = next(s for s in ranking["standings"] if s.score.unit.code == "TTPVHCC")
    expected = sum(line.appraised_points for line in item.lines)
    assert row.score.basis == "appraised" and row.score.final == pytest.approx(expected)
    others = [s for s in ranking["standings"] if s.score.unit.code != "TTPVHCC"]
    assert all(s.score.basis == "computed" for s in others)
    assert [s.score.final for s in ranking["standings"]] == sorted(
        (s.score.final for s in ranking["standings"]), reverse=True)
    page = client.get(f"/ranking?period={item.period_id}").text
    assert "Thẩm định" in page and "Tính tự động" in page
    explained = client.get(f"/ranking/{unit('TTPVHCC').id}?period={item.period_id}").text
    assert "Nhiệm vụ 3.b hoàn thành trễ hạn." in explained and "25,00" in explained
    assert f"/items/self-assessment/{item.id}" in explained


def test_appraisal_is_refused_to_others_and_out_of_state(plan, client, auth):
    item = submitted("TTPVHCC", {}, {})
    auth.login("tiepnhan")
    assert client.post(f"/items/self-assessment/{item.id}/appraisal",
                       data=appraisal_form(item, {})).status_code == 403
    auth.logout()
    auth.login("thamdinh")
    response = client.post(f"/items/self-assessment/{item.id}/appraisal", data=appraisal_form(item, {"reports": 99}))
    assert response.status_code == 422 and "Điểm từ 0 đến 15." in response.text
    stale = appraisal_form(item, {})
    stale["version"] = item.version - 1
    assert client.post(f"/items/self-assessment/{item.id}/appraisal", data=stale).status_code == 409
    draft = assessment("VP")
    assert client.post(f"/items/self-assessment/{draft.id}/appraisal",
                       data=appraisal_form(draft, {})).status_code == 409


def test_initiatives_feed_the_bonus_capped_at_its_maximum(plan):
    from workflow.ranking import assessments
    item = submitted("TTSNC", {}, {}, initiatives=[("initiative", "Số hóa hồ sơ hộ tịch", 6),
                                                     ("model", "Tổ công nghệ số cộng đồng", 6)])
    assert item.line("initiatives").self_points == 10  # 12 proposed, capped at 10
    lines = [(line.self_points, "") for line in item.lines]
    assessments.save_appraisal(user("thamdinh"), item, {"lines": lines, "awards": [(None, ""), (None, "")]},
                               item.version)
    with pytest.raises(FieldError) as refused:
        states.perform(user("thamdinh"), item, "review", item.version)
    assert refused.value.field.startswith("awarded-")  # each initiative must be scored
    assessments.save_appraisal(user("thamdinh"), item, {"lines": lines, "awards": [(6, ""), (5, "Mới triển khai một tổ")]},
                               item.version)
    assert item.line("initiatives").appraised_points == 10
    states.perform(user("thamdinh"), item, "review", item.version)
    explained = services.unit_explanation(user("chutich"), plan, unit("TTSNC").id, str(item.period_id))
    bonus = next(p for p in explained["parts"] if p.part.code == "initiatives")
    texts = [line.text for line, _ in bonus.lines]
    assert any("Số hóa hồ sơ hộ tịch" in t for t in texts) and any("Vượt mức tối đa" in t for t in texts)
    assert bonus.cents == 1000


def test_a_new_scheme_version_is_followed_by_drafts_and_not_by_sent_items(plan):
    from workflow.ranking import schemes
    sent = submitted("TTPVHCC", {}, {})
    draft = assessment("VP")
    old = sent.scheme.version
    base = schemes.active_scheme(plan)
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": 30 if c.code == "tasks" else
                          (20 if c.code == "targets" else c.max_points), "params": c.params} for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label} for b in base.bands], "note": ""}
    new = schemes.save_version(user("thamdinh"), plan, base.version, data)
    db.session.expire_all()
    assert assessment("VP").scheme.version == old  # the running period keeps its version until approved
    apply_to_running(Q3)
    db.session.expire_all()
    assert assessment("VP").scheme.version == new.version and assessment("VP").line("tasks").max_points == 30
    assert assessment("TTPVHCC").scheme.version == old and assessment("TTPVHCC").line("tasks").max_points == 40
    assert draft.id != sent.id


def test_a_unit_finds_its_own_score_page_from_the_menu(plan, client, auth):
    auth.login("ttsnc")
    home = client.get("/").text
    own = f'/ranking/{unit("TTSNC").id}'
    assert f'href="{own}"' in home and 'href="/ranking"' not in home
    page = client.get(own + f"?period={assessment('TTSNC').period_id}").text
    assert "Cả kế hoạch" in page and "Quý III/2025" in page and 'href="/ranking?' not in page
