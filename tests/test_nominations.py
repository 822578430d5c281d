"""Nominations for commendation through the real services: who may open, see, edit, appraise and approve;
return with a reason at every step; the draft decision lists only what the chairman approved with VHXH's
agreement, and so does the public page."""
import subprocess

import pytest
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from tests.ranking_data import Q3, plan, unit, user  # noqa: F401  (plan is a fixture)
from tests.ranking_data import period as period_named
from tests.test_public_commended import sheet
from workflow.items import services as items
from workflow.items.states import can, perform, waiting_on
from workflow.models import ItemHistory, State
from workflow.extensions import db
from workflow.nominations import decision, services
from workflow.nominations.services import EntryData
from workflow.validation import FieldError, Incomplete

PERSON = EntryData("individual", "Nguyễn Thị Khen", "Chuyên viên", "Số hóa 100% hồ sơ một cửa", "Báo cáo số 12")
TEAM = EntryData("collective", "Tổ một cửa", "", "Không hồ sơ trễ hạn trong quý", "Sổ theo dõi")


@pytest.fixture
def q3(plan):
    period = period_named(Q3)
    sheet(period)  # made by VHXH, checked by the VP office, approved by the chairman
    return period


def drafted(username="kthtdt", entries=(PERSON, TEAM), period=None):
    owner = user(username)
    item = services.open_for(owner, period or period_named(Q3))
    services.save_entries(owner, item, list(entries), item.version)
    return item


def sent(username="kthtdt", entries=(PERSON, TEAM)):
    item = drafted(username, entries)
    return perform(user(username), item, "submit", item.version)


def appraised(item, verdicts=((True, ""), (False, "Chưa đủ minh chứng"))):
    services.save_appraisal(user("thamdinh"), item, list(verdicts), item.version)
    return perform(user("thamdinh"), item, "review", item.version)


def test_no_nomination_before_the_ranking_sheet_is_approved(plan):
    period = period_named(Q3)
    sheet(period, ("submit", "review"))
    with pytest.raises(Conflict):
        services.open_for(user("kthtdt"), period)


def test_the_whole_flow_and_who_acts_next(q3):
    item = sent()
    assert item.state == State.SUBMITTED and waiting_on(item) == "Chờ thẩm định"
    item = appraised(item)
    assert item.state == State.REVIEWED and waiting_on(item) == "Chờ ký ban hành văn bản"
    assert not can(user("tiepnhan"), item, "accept")      # the VP office checks, it does not approve
    assert not can(user("thamdinh"), item, "accept")
    assert not can(user("phochutich"), item, "accept")    # only by the chairman's delegation
    item = perform(user("chutich"), item, "accept", item.version)
    assert item.state == State.ACCEPTED
    actions = [h.action for h in db.session.query(ItemHistory).filter_by(item_kind="nomination", item_id=item.id)]
    assert actions == ["submit", "review", "accept"]
    found = services.commended([q3.id])
    assert [(c.name, c.achievement) for c in found] == [(PERSON.name, PERSON.achievement)]  # TEAM was not agreed


def test_another_unit_cannot_see_or_edit_and_only_members_open(q3):
    item = drafted()
    with pytest.raises(NotFound):
        items.load_item(user("vhxh"), "nomination", item.id)
    with pytest.raises(Forbidden):
        services.save_entries(user("vhxh"), item, [PERSON], item.version)
    assert items.load_item(user("thamdinh"), "nomination", item.id) == item  # overseers see every unit's
    assert [n.unit.code for n in services.visible(user("vhxh"), [q3.id]).get(q3.id, [])] == []
    assert [n.unit.code for n in services.visible(user("kthtdt"), [q3.id])[q3.id]] == ["KTHTDT"]
    with pytest.raises(Forbidden):
        services.open_for(user("chutich"), q3)  # the chairman does not nominate


def test_only_the_reviewer_appraises_and_not_their_own(q3):
    item = sent()
    for who in ("kthtdt", "tiepnhan", "chutich"):
        with pytest.raises(Forbidden):
            services.save_appraisal(user(who), item, [(True, ""), (True, "")], item.version)
    with pytest.raises(Conflict):
        perform(user("chutich"), item, "accept", item.version)  # not yet appraised
    own = sent("vhxh", [PERSON])
    # vhxh is not a reviewer; thamdinh is, and belongs to VHXH: still a different person from the sender
    services.save_appraisal(user("thamdinh"), own, [(True, "")], own.version)


def test_review_needs_every_verdict_and_a_reason_for_a_refusal(q3):
    item = sent()
    services.save_appraisal(user("thamdinh"), item, [(True, ""), (None, "")], item.version)
    with pytest.raises(Incomplete):
        perform(user("thamdinh"), item, "review", item.version)
    services.save_appraisal(user("thamdinh"), item, [(True, ""), (False, " ")], item.version)
    with pytest.raises(Incomplete):
        perform(user("thamdinh"), item, "review", item.version)


def test_sending_needs_a_position_for_a_person_and_an_achievement(q3):
    item = drafted(entries=[EntryData("individual", "Trần Văn B", "", "Thành tích")])
    with pytest.raises(Incomplete):
        perform(user("kthtdt"), item, "submit", item.version)
    with pytest.raises(FieldError):
        services.save_entries(user("kthtdt"), item, [EntryData("individual", " ")], item.version)


@pytest.mark.parametrize("returner,at", [("thamdinh", "submitted"), ("tiepnhan", "reviewed"), ("chutich", "reviewed")])
def test_return_with_a_reason_at_every_step_and_nothing_is_published(q3, returner, at):
    item = sent()
    if at == "reviewed":
        item = appraised(item)
    with pytest.raises(FieldError):
        perform(user(returner), item, "return", item.version, reason="  ")
    item = perform(user(returner), item, "return", item.version, reason="Bổ sung minh chứng")
    assert item.is_returned and item.return_reason == "Bổ sung minh chứng"
    assert services.commended() == []
    # the unit fixes it and sends again: the earlier verdicts are gone, VHXH appraises again
    services.save_entries(user("kthtdt"), item, [PERSON], item.version)
    assert item.entries[0].agreed is None
    perform(user("kthtdt"), item, "submit", item.version)
    assert item.state == State.SUBMITTED


def test_approval_needs_an_agreed_entry(q3):
    item = appraised(sent(), [(False, "Không đạt"), (False, "Không đạt")])
    with pytest.raises(Incomplete):
        perform(user("chutich"), item, "accept", item.version)


def test_the_draft_decision_lists_only_the_approved(q3, tmp_path, app):
    approved = appraised(sent())
    perform(user("chutich"), approved, "accept", approved.version)
    appraised(sent("vhxh", [EntryData("individual", "Lê Chưa Duyệt", "Công chức", "Đang chờ")]), [(True, "")])
    with pytest.raises(Forbidden):
        decision.render(user("kthtdt"), q3)
    with app.test_request_context():
        data, name = decision.render(user("tiepnhan"), q3)
    assert name.startswith("du-thao-quyet-dinh-khen-thuong")
    path = tmp_path / "qd.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "QUYẾT ĐỊNH" in text and "DỰ THẢO" in text and "/QĐ-UBND" in text and "Điều 1." in text
    assert PERSON.name in text and "Chuyên viên" in text and "Lê Chưa Duyệt" not in text and TEAM.name not in text
    assert unit("KTHTDT").name in " ".join(text.split())


def test_no_decision_before_anything_is_approved(q3, app):
    sent()
    with app.test_request_context(), pytest.raises(Conflict):
        decision.render(user("chutich"), q3)


def test_the_public_page_shows_the_approved_names_and_achievements_only(q3, client):
    approved = appraised(sent())
    perform(user("chutich"), approved, "accept", approved.version)
    pending = appraised(sent("vhxh", [EntryData("individual", "Lê Chưa Duyệt", "Công chức", "Đang chờ phê duyệt")]),
                        [(True, "")])
    assert pending.state == State.REVIEWED
    text = client.get("/cong-khai").text  # nobody signed in
    table = text[text.index('id="commended"'):text.index("</table>", text.index('id="commended"'))]
    assert PERSON.name in table and PERSON.achievement in table and unit("KTHTDT").name in table and Q3 in table
    for hidden in (TEAM.name, "Chưa đủ minh chứng", PERSON.evidence, PERSON.title, "Lê Chưa Duyệt", "Đang chờ phê duyệt"):
        assert hidden not in text, hidden


def test_the_decision_counts_only_the_groups_it_has(q3, app):
    approved = appraised(sent())
    perform(user("chutich"), approved, "accept", approved.version)
    with app.test_request_context():
        data = decision.context(user("chutich"), q3)
    assert data["whom"] == "1 cá nhân" and [g for g, _ in data["groups"]] == ["I. CÁ NHÂN"]
