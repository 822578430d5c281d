"""Nominations for commendation and the decision, through the real services: who may open, see, edit,
appraise, take and sign; return with a reason at every step; the decision lists only the entries VHXH agreed
to in the nominations the VP office took, the register numbers it when the chairman signs, and only then
does the public page list them."""
import io
import subprocess
from datetime import timedelta

import pytest
from docx import Document
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from tests.ranking_data import Q3, plan, unit, user  # noqa: F401  (plan is a fixture)
from tests.ranking_data import period as period_named
from tests.test_public_commended import sheet
from workflow.calendar import services as calendar
from workflow.documents import word
from workflow.extensions import db
from workflow.issuance import delegations
from workflow.items import services as items
from workflow.items.states import can, perform, today, waiting_on
from workflow.models import ItemHistory, RegisterEntry, State
from workflow.models.org import utcnow
from workflow.nominations import decision, services
from workflow.reminders import clock, letter, manual
from workflow.nominations.services import EntryData
from workflow.validation import FieldError, Incomplete

PERSON = EntryData("individual", "Nguyễn Thị Khen", "Chuyên viên", "Số hóa 100% hồ sơ một cửa", "Báo cáo số 12")
TEAM = EntryData("collective", "Tổ một cửa", "", "Không hồ sơ trễ hạn trong quý", "Sổ theo dõi")


@pytest.fixture
def q3(plan):
    period = period_named(Q3)
    sheet(period)  # made by VHXH, checked by the VP office, approved by the chairman
    return period


def drafted(username="kthtdt", entries=(PERSON, TEAM)):
    owner = user(username)
    item = services.open_for(owner, period_named(Q3))
    services.save_entries(owner, item, list(entries), item.version)
    return item


def sent(username="kthtdt", entries=(PERSON, TEAM)):
    item = drafted(username, entries)
    return perform(user(username), item, "submit", item.version)


def appraised(item, verdicts=((True, ""), (False, "Chưa đủ minh chứng"))):
    services.save_appraisal(user("thamdinh"), item, list(verdicts), item.version)
    return perform(user("thamdinh"), item, "review", item.version)


def taken(item):
    return perform(user("tiepnhan"), item, "accept", item.version)


def decided(period, steps=("submit", "review", "accept")):
    """The decision made by VHXH's reviewer, sent by VHXH's officer, checked by the VP office, signed by the chairman."""
    item = services.make_decision(user("thamdinh"), period)
    actors = {"submit": "vhxh", "review": "tiepnhan", "accept": "chutich"}
    for action in steps:
        perform(user(actors[action]), item, action, item.version)
    return item


def pdf_text(app, who, item, tmp_path):
    with app.test_request_context():
        data, name = decision.render(user(who), item)
    path = tmp_path / name
    path.write_bytes(data)
    return name, " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                         check=True).stdout.split())


def test_no_nomination_before_the_ranking_sheet_is_approved(plan):
    period = period_named(Q3)
    sheet(period, ("submit", "review"))
    with pytest.raises(Conflict):
        services.open_for(user("kthtdt"), period)


def test_the_whole_flow_who_acts_next_and_the_register(q3):
    item = sent()
    assert item.state == State.SUBMITTED and waiting_on(item) == "Chờ thẩm định"
    item = appraised(item)
    assert item.state == State.REVIEWED and waiting_on(item) == "Chờ tiếp nhận"
    for who in ("chutich", "thamdinh", "kthtdt"):
        assert not can(user(who), item, "accept"), who
    item = taken(item)
    assert item.state == State.ACCEPTED
    actions = [h.action for h in db.session.query(ItemHistory).filter_by(item_kind="nomination", item_id=item.id)]
    assert actions == ["submit", "review", "accept"]

    made = decided(q3, ("submit", "review"))
    assert [r["name"] for r in made.rows] == [PERSON.name]  # TEAM was not agreed
    assert waiting_on(made) == "Chờ ký ban hành văn bản"
    for who in ("tiepnhan", "thamdinh", "vhxh", "phochutich"):  # only the chairman (or by his delegation)
        assert not can(user(who), made, "accept"), who
    assert services.commended() == []  # not yet signed: nothing public
    perform(user("chutich"), made, "accept", made.version)
    assert made.doc_number == "01/QĐ-UBND" and made.signed_as["name"] == user("chutich").full_name
    entry = db.session.query(RegisterEntry).one()
    assert (entry.doc_type, entry.item_kind, entry.item_id) == ("QĐ", "commendation", made.id)
    assert [(c.name, c.achievement) for c in services.commended()] == [(PERSON.name, PERSON.achievement)]


def test_another_unit_cannot_see_or_edit_and_only_members_open(q3):
    item = drafted()
    with pytest.raises(NotFound):
        items.load_item(user("vhxh"), "nomination", item.id)
    with pytest.raises(Forbidden):
        services.save_entries(user("vhxh"), item, [PERSON], item.version)
    assert items.load_item(user("thamdinh"), "nomination", item.id) == item  # overseers see every unit's
    assert services.visible(user("vhxh"), [q3.id]).get(q3.id, []) == []
    assert [n.unit.code for n in services.visible(user("kthtdt"), [q3.id])[q3.id]] == ["KTHTDT"]
    with pytest.raises(Forbidden):
        services.open_for(user("chutich"), q3)  # the chairman does not nominate
    with pytest.raises(Forbidden):
        services.make_decision(user("kthtdt"), q3)  # only the consolidating unit drafts the decision


def test_only_the_reviewer_appraises_and_not_their_own(q3):
    item = sent()
    for who in ("kthtdt", "tiepnhan", "chutich"):
        with pytest.raises(Forbidden):
            services.save_appraisal(user(who), item, [(True, ""), (True, "")], item.version)
    with pytest.raises(Conflict):
        taken(item)  # not yet appraised


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


@pytest.mark.parametrize("returner,at", [("thamdinh", "submitted"), ("tiepnhan", "reviewed")])
def test_a_nomination_returns_with_a_reason_at_every_step(q3, returner, at):
    item = sent()
    if at == "reviewed":
        item = appraised(item)
    with pytest.raises(FieldError):
        perform(user(returner), item, "return", item.version, reason="  ")
    item = perform(user(returner), item, "return", item.version, reason="Bổ sung minh chứng")
    assert item.is_returned and item.return_reason == "Bổ sung minh chứng"
    assert services.consolidated_rows(q3) == []
    # the unit fixes it and sends again: the earlier verdicts are gone, VHXH appraises again
    services.save_entries(user("kthtdt"), item, [PERSON], item.version)
    assert item.entries[0].agreed is None
    perform(user("kthtdt"), item, "submit", item.version)
    assert item.state == State.SUBMITTED


@pytest.mark.parametrize("returner,steps", [("tiepnhan", ("submit",)), ("chutich", ("submit", "review"))])
def test_the_decision_returns_with_a_reason(q3, returner, steps):
    taken(appraised(sent()))
    made = decided(q3, steps)
    with pytest.raises(FieldError):
        perform(user(returner), made, "return", made.version, reason="")
    perform(user(returner), made, "return", made.version, reason="Sửa căn cứ")
    assert made.is_returned and made.doc_number is None and services.commended() == []


def test_taking_a_nomination_needs_an_agreed_entry(q3):
    item = appraised(sent(), [(False, "Không đạt"), (False, "Không đạt")])
    with pytest.raises(Incomplete):
        taken(item)


def test_an_empty_decision_cannot_be_sent(q3):
    made = services.make_decision(user("thamdinh"), q3)
    with pytest.raises(Incomplete):
        perform(user("vhxh"), made, "submit", made.version)


def test_the_decision_pdf_draft_then_issued(q3, tmp_path, app):
    taken(appraised(sent()))
    appraised(sent("vhxh", [EntryData("individual", "Lê Chưa Tổng Hợp", "Công chức", "Đang chờ")]), [(True, "")])
    made = decided(q3, ("submit",))
    with pytest.raises(NotFound):
        items.load_item(user("kthtdt"), "commendation", made.id)  # a unit does not see the ward's draft
    name, text = pdf_text(app, "tiepnhan", made, tmp_path)
    assert name.startswith("du-thao-quyet-dinh-khen-thuong")
    assert "QUYẾT ĐỊNH" in text and "DỰ THẢO" in text and "/QĐ-UBND" in text and "Điều 1." in text
    assert "cho 1 cá nhân đã có thành tích" in text and "I. CÁ NHÂN" in text
    assert PERSON.name in text and "Chuyên viên" in text and unit("KTHTDT").name in text
    assert "Lê Chưa Tổng Hợp" not in text and TEAM.name not in text
    for action, who in (("review", "tiepnhan"), ("accept", "chutich")):
        perform(user(who), made, action, made.version)
    name, text = pdf_text(app, "chutich", made, tmp_path)
    assert name.startswith("01-QĐ-UBND".replace("Đ", "D")) and "Số: 01/QĐ-UBND" in text and "DỰ THẢO" not in text
    assert user("chutich").full_name in text


def test_the_public_page_shows_the_signed_names_and_achievements_only(q3, client):
    taken(appraised(sent()))
    pending = appraised(sent("vhxh", [EntryData("individual", "Lê Chưa Tổng Hợp", "Công chức", "Đang chờ tổng hợp")]),
                        [(True, "")])
    assert pending.state == State.REVIEWED
    made = decided(q3, ("submit", "review"))
    assert "Nguyễn Thị Khen" not in client.get("/cong-khai").text  # checked, not yet signed
    perform(user("chutich"), made, "accept", made.version)
    text = client.get("/cong-khai").text  # nobody signed in
    table = text[text.index('id="commended"'):text.index("</table>", text.index('id="commended"'))]
    assert PERSON.name in table and PERSON.achievement in table and unit("KTHTDT").name in table and Q3 in table
    for hidden in (TEAM.name, "Chưa đủ minh chứng", PERSON.evidence, PERSON.title, "Lê Chưa Tổng Hợp", "Đang chờ tổng hợp"):
        assert hidden not in text, hidden


def test_a_vice_chairman_signs_by_delegation_and_a_reopening_withdraws_the_number(q3):
    taken(appraised(sent()))
    made = decided(q3, ("submit", "review"))
    assert not can(user("phochutich"), made, "accept")
    delegations.create(user("chutich"), user("chutich"), user("phochutich"), "signer", "commendation",
                       today(), today() + timedelta(days=7), "Đi công tác.", today())
    perform(user("phochutich"), made, "accept", made.version)
    assert made.doc_number == "01/QĐ-UBND" and made.signed_as["authority"][-1].startswith("KT. ")
    perform(user("admin"), made, "reopen", made.version, reason="Sai tên cá nhân")
    assert made.doc_number is None and made.signed_as is None and services.commended() == []
    entry = db.session.query(RegisterEntry).one()
    assert entry.withdrawn_at is not None and entry.withdrawn_reason == "Sai tên cá nhân"
    for action, who in (("submit", "vhxh"), ("review", "tiepnhan"), ("accept", "chutich")):
        perform(user(who), made, action, made.version)
    assert made.doc_number == "02/QĐ-UBND"  # a withdrawn number is not given again


def test_a_nomination_has_no_due_day(q3, client, auth):
    """Made after the period's ranking, so after its due day by nature: never overdue, never in a reminder,
    the công văn đôn đốc or the calendar, and its sending records no lateness."""
    item = drafted()
    now = utcnow()
    kthtdt = unit("KTHTDT")
    assert item not in manual.overdue_items(kthtdt, q3, now)
    assert all(item not in found for _, found in letter.late_units(q3, now))
    assert "Đề nghị khen thưởng CCHC" not in clock.draft_counts([q3.id], kthtdt.id).get((kthtdt.id, q3.id), {})
    assert all(d.item is not item for d in calendar._item_dues(kthtdt.id, None, now.date()))
    auth.login("kthtdt")
    page = client.get(f"/items/nomination/{item.id}").text
    assert "Quá hạn" not in page
    perform(user("kthtdt"), item, "submit", item.version)
    assert item.late_days is None


def test_the_word_copy_says_what_the_pdf_says(q3, app):
    taken(appraised(sent()))
    made = decided(q3)
    with app.test_request_context():
        doc = decision.document(user("chutich"), made)
        data = word.docx_bytes(doc)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    cells = " ".join(c.text for t in Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells)
    assert "QUYẾT ĐỊNH" in text and "Số: 01/QĐ-UBND" in cells + text and "cho 1 cá nhân đã có thành tích" in text
    assert PERSON.name in cells and PERSON.achievement in cells and "Chuyên viên" in cells
    assert doc.final and "01-QD-UBND" in doc.filename
