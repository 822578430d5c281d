"""The public page /cong-khai: accepted data only, no personal data, open without signing in."""
import hashlib
import re
from datetime import date, datetime

from sqlalchemy import select

from workflow.extensions import db
from workflow.consolidated import services as consolidation
from workflow.items import services, states
from workflow.models import RegisterCounter, ReportingPeriod, TaskResult, User

from .items_support import ready, result_of, user

ACCEPTED_TEXT = "KẾT QUẢ CÔNG KHAI"
SECRETS = ["BÍ MẬT DỰ THẢO", "BÍ MẬT ĐÃ GỬI", "BÍ MẬT ĐÃ THẨM ĐỊNH", "BÍ MẬT TRẢ LẠI", "LÝ DO TRẢ LẠI"]
NUMBER = "312/BC-UBND"


def write(result, text, done=False):
    """Direct field writes on a draft, as a unit would have saved them."""
    result.work_status = "done" if done else "in_progress"
    result.progress = 100 if done else 50
    result.completed_on = date(2025, 8, 15) if done else None
    result.done_text = text
    db.session.commit()


def officer(result):
    return result.unit.code.lower()


def advance(result, *steps, reason=None):
    for who, action in steps:
        who = officer(result) if who == "owner" else who
        states.perform(user(who), ready(result) if action == "submit" else result, action, result.version,
                       reason if action == "return" else None)


def fill(period, codes=("1.a", "1.b", "2.a", "3.a", "3.b")):
    draft, submitted, reviewed, returned, accepted = (result_of(c, period) for c in codes)
    write(draft, "BÍ MẬT DỰ THẢO")
    write(submitted, "BÍ MẬT ĐÃ GỬI")
    advance(submitted, ("owner", "submit"))
    write(reviewed, "BÍ MẬT ĐÃ THẨM ĐỊNH")
    advance(reviewed, ("owner", "submit"), ("thamdinh", "review"))
    write(returned, "BÍ MẬT TRẢ LẠI")
    advance(returned, ("owner", "submit"), ("thamdinh", "return"), reason="LÝ DO TRẢ LẠI")
    write(accepted, ACCEPTED_TEXT, done=True)
    advance(accepted, ("owner", "submit"), ("thamdinh", "review"), ("tiepnhan", "accept"))
    assert [r.state for r in (draft, submitted, reviewed, returned, accepted)] == [
        "draft", "submitted", "reviewed", "draft", "accepted"]
    assert returned.return_reason == "LÝ DO TRẢ LẠI"
    return accepted


def reviewed_consolidated(period):
    report = consolidation.prefill(user("thamdinh"), period)
    states.perform(user("thamdinh"), ready(report), "submit", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    return report


def accept(report):
    """The chairman signs on 06/10/2025; the ward had issued 311 documents that year."""
    db.session.add(RegisterCounter(ward_id=report.unit.ward_id, issuer="UBND", year=2025, last=311))
    db.session.commit()
    states.perform(user("chutich"), report, "accept", report.version, now=datetime(2025, 10, 6, 2, 0))
    assert (report.state, report.doc_number, report.doc_date) == ("accepted", NUMBER, date(2025, 10, 6))
    return report


def unit_pages(text):
    """The links of the public page to each unit's accepted results (issue 14: they are listed there,
    a page at a time, not all on /cong-khai)."""
    return re.findall(r'href="(/cong-khai/\d+/don-vi/\d+)"', text)


def test_public_page_shows_accepted_results_only(client, period):
    accepted = fill(period)
    response = client.get("/cong-khai")
    assert response.status_code == 200
    summary = response.text
    # 3.b's unit (TTPVHCC) also leads 3.a, returned: one of its tasks has an accepted result.
    unit_total = len(db.session.scalars(select(TaskResult.id).where(
        TaskResult.period_id == period.id, TaskResult.unit_id == accepted.unit_id)).all())
    assert unit_total > 1
    assert f"1/{unit_total} nhiệm vụ đã được tiếp nhận kết quả" in summary
    assert unit_pages(summary) == [f"/cong-khai/{period.id}/don-vi/{accepted.unit_id}"]  # only where one was accepted
    unit_page = client.get(unit_pages(summary)[0])
    assert unit_page.status_code == 200
    text = unit_page.text
    assert ACCEPTED_TEXT in text
    assert f"{accepted.task.code}" in text and accepted.task.title in text
    assert "Hoàn thành" in text and "15/08/2025" in text
    for page in (summary, text):
        for secret in SECRETS:
            assert secret not in page, secret
        for name in db.session.scalars(select(User.full_name)):
            assert name not in page, name
        assert "/evidence" not in page and "Đăng xuất" not in page
    # The emulation section is there, empty until a ranking or a self-assessment is accepted
    # (tests/test_public_commended.py fills it).
    assert "Đơn vị được đề nghị khen thưởng" in summary and "Sáng kiến, mô hình được công nhận" in summary
    assert "Chưa có bảng xếp hạng thi đua nào được tiếp nhận." in summary


def test_a_unit_page_shows_only_opened_periods_and_accepted_results(client, period):
    accepted = fill(period)
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))  # not opened
    assert client.get(f"/cong-khai/{year.id}/don-vi/{accepted.unit_id}").status_code == 404
    assert client.get(f"/cong-khai/{period.id}/don-vi/999999").status_code == 404
    other = client.get(f"/cong-khai/{period.id}/don-vi/{user('vhxh').unit_id}")
    assert other.status_code == 200 and ACCEPTED_TEXT not in other.text and "BÍ MẬT" not in other.text


def test_consolidated_report_is_public_only_once_accepted(client, period):
    fill(period)
    report = reviewed_consolidated(period)
    url = f"/cong-khai/bao-cao/{report.id}.pdf"
    assert client.get(url).status_code == 404
    assert url not in client.get("/cong-khai").text
    assert client.get("/cong-khai/bao-cao/999999.pdf").status_code == 404

    accept(report)
    text = client.get("/cong-khai").text
    assert url in text and NUMBER in text and "06/10/2025" in text
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    db.session.refresh(report)
    assert hashlib.sha256(response.data).hexdigest() == report.pdf_sha256


def test_draft_consolidated_report_is_not_served(client, period):
    report = consolidation.prefill(user("thamdinh"), period)
    assert report.state == "draft"
    assert client.get(f"/cong-khai/bao-cao/{report.id}.pdf").status_code == 404


def test_query_count_does_not_grow_with_periods(client, period, count_queries):
    fill(period)
    client.get("/cong-khai")  # warm-up
    db.session.expunge_all()
    with count_queries() as one:
        assert client.get("/cong-khai").status_code == 200
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))
    services.open_period(user("admin"), year)
    fill(year, codes=("1.c", "1.d", "2.b", "3.d", "4.a"))
    db.session.expunge_all()
    with count_queries() as two:
        response = client.get("/cong-khai")
    assert response.status_code == 200 and "Năm 2025" in response.text
    assert len(unit_pages(response.text)) == 2  # each period's accepted result, reachable from the page
    assert two.count == one.count <= 8, (one.statements, two.statements)  # 5 here, 3 for emulation
