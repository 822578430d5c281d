"""Issuing the ward's documents (issue #12): VHXH drafts → the VP office checks (thẩm tra) → the
chairman signs, or a vice-chairman by his delegation; the outgoing register numbers what is signed,
per issuing body and year, with no gap and no duplicate; a unit report takes its unit's number when
first sent; numbers can be taken by hand for paper documents; a reopened document keeps its number,
marked withdrawn."""
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from workflow.consolidated import services as consolidation
from workflow.extensions import db
from workflow.issuance import delegations, register
from workflow.items import states
from workflow.models import ConsolidatedReport, ItemHistory, RegisterEntry
from workflow.validation import FieldError

from .items_support import ready, report_of, user

pytestmark = pytest.mark.db

SEPT_5 = datetime(2025, 9, 5, 2, 0)   # 09:00 in the ward
SEPT_6 = datetime(2025, 9, 6, 2, 0)


def checked(period):
    """The period's consolidated report drafted by VHXH, sent, and checked by the VP office."""
    report = consolidation.prefill(user("vhxh"), period)
    states.perform(user("vhxh"), report, "submit", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    return report


def sign(report, who="chutich", now=SEPT_5):
    return states.perform(user(who), report, "accept", report.version, now=now)


def history(report):
    return db.session.scalars(select(ItemHistory).where(ItemHistory.item_kind == report.KIND,
                                                        ItemHistory.item_id == report.id).order_by(ItemHistory.id)).all()


def entries():
    return db.session.scalars(select(RegisterEntry).order_by(RegisterEntry.issuer, RegisterEntry.year,
                                                             RegisterEntry.seq)).all()


# ---- the issuing workflow --------------------------------------------------------------------------

def test_the_chairman_signs_and_the_register_numbers_it(period):
    report = checked(period)
    assert report.state_label == "Chờ Chủ tịch ký"
    sign(report)
    assert (report.state, report.state_label) == ("accepted", "Đã ban hành")
    assert (report.doc_number, report.doc_date) == ("01/BC-UBND", date(2025, 9, 5))
    assert report.signed_as == {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": "CHỦ TỊCH", "name": "Phạm Văn Diện"}
    assert report.signer_id == user("chutich").id
    [entry] = entries()
    assert (entry.number, entry.issued_on, entry.doc_type, entry.signer_name, entry.item_id) == (
        "01/BC-UBND", date(2025, 9, 5), "BC", "Phạm Văn Diện", report.id)
    assert [(h.action, h.actor.username) for h in history(report)] == [
        ("submit", "vhxh"), ("review", "tiepnhan"), ("accept", "chutich")]


def test_one_vp_clerk_is_enough_and_nobody_takes_two_steps_in_a_row(period):
    report = consolidation.prefill(user("vhxh"), period)
    states.perform(user("vhxh"), report, "submit", report.version)
    with pytest.raises(Forbidden):  # the chairman does not check documents: that is the VP office's step
        states.perform(user("chutich"), report, "review", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    with pytest.raises(Forbidden):  # the clerk who checked it does not sign it
        states.perform(user("tiepnhan"), report, "accept", report.version)
    assert sorted(states.available_actions(user("chutich"), report)) == ["accept", "return"]


def test_a_return_from_the_chairman_gives_no_number_and_the_second_signing_takes_the_first(period):
    report = checked(period)
    states.perform(user("chutich"), report, "return", report.version, reason="Bổ sung số liệu Biểu II.06a.")
    assert (report.state, report.doc_number, report.return_reason) == ("draft", None, "Bổ sung số liệu Biểu II.06a.")
    states.perform(user("vhxh"), report, "submit", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    sign(report)
    assert report.doc_number == "01/BC-UBND"
    assert [e.number for e in entries()] == ["01/BC-UBND"]


def test_reopening_withdraws_the_number_and_signing_again_takes_the_next(period):
    report = checked(period)
    sign(report)
    states.perform(user("admin"), report, "reopen", report.version, reason="Sai số liệu phụ lục.")
    assert (report.doc_number, report.signed_as) == (None, None)
    states.perform(user("vhxh"), report, "submit", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    sign(report, now=SEPT_6)
    assert (report.doc_number, report.doc_date) == ("02/BC-UBND", date(2025, 9, 6))
    first, second = entries()
    assert (first.number, first.withdrawn_reason, second.number, second.withdrawn_at) == (
        "01/BC-UBND", "Sai số liệu phụ lục.", "02/BC-UBND", None)


def test_the_page_says_who_must_act_next(auth, client, period):
    report = checked(period)
    auth.login("vhxh")
    page = client.get(f"/items/consolidated/{report.id}").text
    assert "Chờ Chủ tịch ký" in page and "Ký ban hành" in page and "Phạm Văn Diện (Chủ tịch)" in page
    auth.logout()
    auth.login("chutich")
    assert "1</strong> văn bản chờ ký ban hành" in client.get("/").text
    queue = client.get("/queue/sign").text
    assert report.title in queue and "Ký ban hành các hồ sơ đã chọn" in queue


# ---- delegation ------------------------------------------------------------------------------------

def lend_signing(start, end):
    return delegations.create(user("chutich"), user("chutich"), user("phochutich"), "signer", None, start, end,
                              "Chủ tịch đi công tác.", start)


def test_a_vice_chairman_signs_for_the_chairman_only_within_the_delegation(period):
    lend_signing(date(2025, 9, 4), date(2025, 9, 5))
    report = checked(period)
    with pytest.raises(Forbidden):  # the day after the range: no longer his to sign
        states.perform(user("phochutich"), report, "accept", report.version, now=SEPT_6)
    sign(report, who="phochutich", now=SEPT_5)
    assert report.signed_as["authority"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert (report.signed_as["title"], report.signed_as["name"]) == ("PHÓ CHỦ TỊCH", "Nguyễn Văn Thành")
    assert report.signed_as["delegation"]["from"] == "Phạm Văn Diện"
    last = history(report)[-1]
    assert (last.actor.username, last.on_behalf_of.username) == ("phochutich", "chutich")
    assert entries()[0].signer_title == "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH"


def test_the_item_shows_the_delegation_and_its_history_names_both(auth, client, period):
    today = states.today()
    lend_signing(today, today + timedelta(days=3))
    report = checked(period)
    auth.login("vhxh")
    page = client.get(f"/items/consolidated/{report.id}").text
    assert "Ủy quyền đang có hiệu lực: Nguyễn Văn Thành thay Phạm Văn Diện" in page
    auth.logout()
    auth.login("phochutich")
    assert "văn bản chờ ký ban hành" in client.get("/").text
    response = client.post(f"/items/consolidated/{report.id}/do/accept", data={"version": report.version})
    assert response.status_code == 303
    page = client.get(f"/items/consolidated/{report.id}").text
    assert "Theo ủy quyền của Phạm Văn Diện (Chủ tịch)" in page


def test_a_revoked_delegation_or_a_lender_without_the_role_lends_nothing(period):
    today = states.today()
    lent = lend_signing(today, today + timedelta(days=3))
    report = checked(period)
    assert states.can(user("phochutich"), report, "accept")
    delegations.revoke(user("chutich"), lent)
    assert not states.can(user("phochutich"), report, "accept")
    lend_signing(today, today)
    chairman = user("chutich")
    chairman.roles = ["chairman"]  # no longer the signer: what he lent goes with it
    db.session.commit()
    assert not states.can(user("phochutich"), report, "accept")


@pytest.mark.parametrize("change, field, message", [
    (dict(delegate="vhxh"), "delegate", "Chỉ lãnh đạo UBND (Phó Chủ tịch) được ủy quyền ký ban hành."),
    (dict(delegate="chutich"), "delegate", "Chọn một người khác, đang hoạt động."),
    (dict(ends_on=date(2025, 9, 1)), "ends_on", "Ngày kết thúc không thể trước ngày bắt đầu."),
    (dict(ends_on=date(2026, 12, 1)), "ends_on", "Ủy quyền tối đa một năm; hết hạn thì tạo ủy quyền mới."),
    (dict(role="reviewer"), "role", "Người ủy quyền không có vai trò này để ủy quyền."),
])
def test_a_delegation_that_cannot_stand_is_refused_beside_its_field(seeded, change, field, message):
    wanted = {"delegate": "phochutich", "role": "signer", "ends_on": date(2025, 9, 10), **change}
    with pytest.raises(FieldError) as refused:
        delegations.create(user("chutich"), user("chutich"), user(wanted["delegate"]), wanted["role"], None,
                           date(2025, 9, 5), wanted["ends_on"], "Đi công tác.", date(2025, 9, 5))
    assert (refused.value.field, refused.value.message) == (field, message)


def test_only_the_lender_or_an_administrator_records_a_delegation(seeded):
    with pytest.raises(Forbidden):
        delegations.create(user("tiepnhan"), user("chutich"), user("phochutich"), "signer", None,
                           date(2025, 9, 5), date(2025, 9, 6), "Thay mặt.", date(2025, 9, 5))
    made = delegations.create(user("admin"), user("chutich"), user("phochutich"), "signer", None,
                              date(2025, 9, 5), date(2025, 9, 6), "Theo văn bản ủy quyền số 12/GUQ-UBND.",
                              date(2025, 9, 5))
    assert (made.delegator.username, made.created_by_id) == ("chutich", user("admin").id)


def test_the_delegations_page_creates_and_refuses_beside_the_field(auth, client, seeded):
    auth.login("chutich")
    today = states.today()
    form = {"delegator": user("chutich").id, "role": "signer", "kind": "", "delegate": user("phochutich").id,
            "starts_on": f"{today:%d/%m/%Y}", "ends_on": f"{today + timedelta(days=2):%d/%m/%Y}", "reason": "Đi học."}
    assert client.post("/delegations", data=form).status_code == 303
    assert "Đang hiệu lực" in client.get("/delegations").text
    bad = client.post("/delegations", data={**form, "ends_on": "31/02/2025"})
    assert bad.status_code == 422 and "has-error" in bad.text


# ---- the register ----------------------------------------------------------------------------------

def test_a_unit_report_takes_its_units_number_when_first_sent_and_keeps_it(period):
    report = ready(report_of("kthtdt", period))
    states.perform(user("kthtdt"), report, "submit", report.version, now=SEPT_5)
    assert (report.doc_number, report.doc_date) == ("01/BC-KT-HT&ĐT", date(2025, 9, 5))
    states.perform(user("thamdinh"), report, "return", report.version, reason="Bổ sung lĩnh vực 2.")
    states.perform(user("kthtdt"), report, "submit", report.version, now=SEPT_6)
    assert (report.doc_number, report.doc_date) == ("01/BC-KT-HT&ĐT", date(2025, 9, 5))
    other = ready(report_of("vhxh", period))
    states.perform(user("vhxh"), other, "submit", other.version, now=SEPT_6)
    assert other.doc_number == "01/BC-VHXH"  # each unit its own sequence
    assert [(e.issuer, e.number) for e in entries()] == [("KTHTDT", "01/BC-KT-HT&ĐT"), ("VHXH", "01/BC-VHXH")]


def test_a_number_taken_by_hand_keeps_the_sequence_true(auth, client, period):
    auth.login("tiepnhan")
    form = {"doc_type": "QĐ", "symbol": "QĐ-UBND", "issued_on": "04/09/2025",
            "summary": "Quyết định kiện toàn Tổ công tác CCHC", "signer_name": "Phạm Văn Diện", "signer_title": "Chủ tịch"}
    response = client.post("/register/reserve", data=form)
    assert response.status_code == 303
    report = checked(period)
    sign(report)
    assert [e.number for e in entries()] == ["01/QĐ-UBND", "02/BC-UBND"]  # one sequence for the body's year
    page = client.get("/register?year=2025").text
    assert "01/QĐ-UBND" in page and "Lấy số bằng tay" in page and "02/BC-UBND" in page
    refused = client.post("/register/reserve", data={**form, "summary": "", "issued_on": "31/02/2025"})
    assert refused.status_code == 422 and "Vui lòng nhập trích yếu." in refused.text
    auth.logout()
    auth.login("vhxh")
    assert client.post("/register/reserve", data=form).status_code == 403


def test_numbers_start_again_each_year(period):
    day = date(2025, 12, 31)
    register.take(register.Issue(user("admin").unit.ward_id, "UBND", "TB-UBND", "TB", day, "Thông báo"))
    register.take(register.Issue(user("admin").unit.ward_id, "UBND", "TB-UBND", "TB", date(2026, 1, 2), "Thông báo"))
    db.session.commit()
    assert [(e.year, e.number) for e in entries()] == [(2025, "01/TB-UBND"), (2026, "01/TB-UBND")]


def test_the_register_exports_to_xlsx_as_the_page_lists_it(auth, client, period):
    report = checked(period)
    sign(report)
    auth.login("chutich")
    response = client.get("/register.xlsx?year=2025")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[0][:5] == [1, "BC-UBND", "01/BC-UBND", datetime(2025, 9, 5), "Báo cáo"]
    assert rows[0][6:8] == ["Phạm Văn Diện", "CHỦ TỊCH"]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2025" in sheet["A1"].value


def test_a_consolidated_report_keeps_one_number_per_year_across_reports(seeded):
    """Two consolidated reports of two periods signed the same day: 01 and 02, in order."""
    from .items_support import open_q3
    from workflow.models import ReportingPeriod
    q3 = open_q3()
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))
    first, second = checked(q3), checked(year)
    sign(first)
    sign(second)
    assert (first.doc_number, second.doc_number) == ("01/BC-UBND", "02/BC-UBND")
    assert db.session.scalar(select(ConsolidatedReport.doc_number).where(ConsolidatedReport.id == second.id)) == "02/BC-UBND"


def test_a_sent_unit_report_shows_its_number_on_its_page(auth, client, period):
    report = ready(report_of("kthtdt", period))
    states.perform(user("kthtdt"), report, "submit", report.version, now=SEPT_5)
    auth.login("kthtdt")
    page = client.get(f"/items/unit-report/{report.id}").text
    assert "Số <strong>01/BC-KT-HT&amp;ĐT</strong>, ngày 05/09/2025" in page
