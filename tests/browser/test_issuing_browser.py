"""Issuing the consolidated report through the real pages, with the demo accounts only: vhxh drafts
and sends it, tiepnhan checks it (thẩm tra), chutich signs it; the register gives 01/BC-UBND; the
final PDF is signed by the configured certificate, whole (pyHanko, pdfsig); one byte flipped in the
stored file and "Kiểm tra chữ ký" says it was altered."""
import re
import subprocess

from playwright.sync_api import expect
from sqlalchemy import select

from workflow.documents import final, signing
from workflow.extensions import db
from workflow.consolidated import services as consolidation
from workflow.items import services, states
from workflow.models import ConsolidatedReport, RegisterEntry, ReportingPeriod, User

PERIOD = "Quý III/2025"
SIGNING_WAIT = 30_000  # ms: the step renders and signs the final PDF (≈ 1.5 s alone, far more under load)


def open_q3(live_server):
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(admin, period)
        period_id = period.id
        db.session.remove()
    return period_id


def stored(live_server):
    with live_server.app.app_context():
        report = db.session.scalar(select(ConsolidatedReport))
        path = final.path_of(report)
        found = (report.id, report.doc_number, report.pdf_sha256, path,
                 db.session.scalars(select(RegisterEntry.seq)).all())
        db.session.remove()
    return found


def test_draft_check_sign_and_verify_with_the_demo_accounts(live_server, page, login, tmp_path, new_context):
    period_id = open_q3(live_server)

    login(page, live_server, "vhxh")
    page.goto(f"{live_server.url}/periods/{period_id}/consolidated")
    page.get_by_role("button", name="Tạo dự thảo tổng hợp").click()
    page.get_by_label(re.compile("^Nơi nhận")).fill("UBND thành phố (Sở Nội vụ)\nThường trực Đảng ủy phường")
    page.get_by_role("button", name="Lưu và gửi").click()
    expect(page.locator("#panel")).to_contain_text("Chờ thẩm tra")
    expect(page.locator("#panel")).to_contain_text("Trần Văn Tiếp Nhận")  # who is expected to act, by name
    page.screenshot(path=str(tmp_path / "1-sent.png"), full_page=True)

    clerk = new_context().new_page()
    login(clerk, live_server, "tiepnhan")
    clerk.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ tiếp nhận").click()
    clerk.get_by_role("link", name=re.compile("Báo cáo tổng hợp")).click()
    clerk.wait_for_url(re.compile(r"/items/consolidated/\d+$"))
    clerk.get_by_role("button", name="Thẩm tra đạt", exact=True).click()
    expect(clerk.locator("#panel")).to_contain_text("Chờ Chủ tịch ký")
    expect(clerk.locator("#panel")).to_contain_text("Phạm Văn Diện (Chủ tịch)")
    clerk.screenshot(path=str(tmp_path / "2-checked.png"), full_page=True)

    chairman = new_context().new_page()
    login(chairman, live_server, "chutich")
    chairman.get_by_role("link", name=re.compile("văn bản chờ ký ban hành")).click()
    chairman.get_by_role("link", name=re.compile("Báo cáo tổng hợp")).click()
    chairman.wait_for_url(re.compile(r"/items/consolidated/\d+$"))
    chairman.get_by_role("button", name="Ký ban hành", exact=True).click()
    # signing renders the final PDF and signs it: seconds on a loaded machine, more than expect()'s 5 s
    expect(chairman.locator("#panel")).to_contain_text("Đã ban hành", timeout=SIGNING_WAIT)
    expect(chairman.locator("main")).to_contain_text("01/BC-UBND")
    chairman.screenshot(path=str(tmp_path / "3-signed.png"), full_page=True)

    report_id, number, digest, path, seqs = stored(live_server)
    assert (number, seqs) == ("01/BC-UBND", [1])
    with chairman.expect_download() as download:
        chairman.get_by_role("link", name=re.compile("Tải PDF")).click()
    pdf = tmp_path / "issued.pdf"
    download.value.save_as(pdf)
    data = pdf.read_bytes()
    assert signing.sha256(data) == digest  # served byte-identical to the stored file
    with live_server.app.app_context():
        verdict = signing.verify(data, signing.SigningConfig.from_app(live_server.app))
    assert (verdict.signed, verdict.intact, verdict.trusted, verdict.count) == (True, True, True, 1), verdict
    listed = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout
    assert listed.count("Signature #") == 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Số: 01/BC-UBND" in text and "Phạm Văn Diện" in text and "DỰ THẢO" not in text

    chairman.get_by_role("navigation", name="Chính").get_by_role("link", name="Sổ văn bản đi").click()
    expect(chairman.locator("table.register")).to_contain_text("01/BC-UBND")
    expect(chairman.locator("table.register")).to_contain_text("Phạm Văn Diện")

    chairman.goto(f"{live_server.url}/items/consolidated/{report_id}")
    chairman.get_by_role("link", name="Kiểm tra chữ ký").click()
    expect(chairman.locator("#verdict")).to_contain_text("Còn nguyên vẹn như khi ký")

    altered = bytearray(open(path, "rb").read())
    middle = len(altered) // 3
    altered[middle] ^= 0x01
    with open(path, "wb") as fh:
        fh.write(altered)
    chairman.reload()
    expect(chairman.locator("#verdict")).to_contain_text("Đã bị thay đổi sau khi ký")
    chairman.screenshot(path=str(tmp_path / "4-altered.png"), full_page=True)


def checked_report(live_server, period_id):
    """Set-up: the Q3 consolidated report drafted by vhxh, sent, checked by tiepnhan."""
    with live_server.app.app_context():
        def user(name):
            return db.session.scalar(select(User).where(User.username == name))
        report = consolidation.prefill(user("vhxh"), db.session.get(ReportingPeriod, period_id))
        states.perform(user("vhxh"), report, "submit", report.version)
        states.perform(user("tiepnhan"), report, "review", report.version)
        report_id = report.id
        db.session.remove()
    return report_id


def test_the_chairman_lends_signing_and_the_vice_chairman_signs_for_him(live_server, page, login, tmp_path,
                                                                       new_context):
    report_id = checked_report(live_server, open_q3(live_server))
    login(page, live_server, "chutich")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Ủy quyền").click()
    page.get_by_label("Người được ủy quyền").select_option(label="Nguyễn Văn Thành (Phó Chủ tịch)")
    page.get_by_label("Ủy quyền việc").select_option(label="Ký ban hành văn bản")
    today = states.today()
    page.get_by_label("Từ ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Đến hết ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Lý do").fill("Chủ tịch đi công tác thành phố.")
    page.get_by_role("button", name="Ủy quyền", exact=True).click()
    expect(page.locator("main")).to_contain_text("Đang hiệu lực")
    page.screenshot(path=str(tmp_path / "1-delegated.png"), full_page=True)

    deputy = new_context().new_page()
    login(deputy, live_server, "phochutich")
    deputy.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ ký").click()
    deputy.get_by_role("link", name=re.compile("Báo cáo tổng hợp")).click()
    deputy.wait_for_url(re.compile(rf"/items/consolidated/{report_id}$"))
    deputy.get_by_role("button", name="Ký ban hành", exact=True).click()
    expect(deputy.locator("#panel")).to_contain_text("Đã ban hành", timeout=SIGNING_WAIT)
    expect(deputy.locator("#timeline")).to_contain_text("Theo ủy quyền của Phạm Văn Diện (Chủ tịch)")
    deputy.screenshot(path=str(tmp_path / "2-signed-by-deputy.png"), full_page=True)
    with deputy.expect_download() as download:
        deputy.get_by_role("link", name=re.compile("Tải PDF")).click()
    pdf = tmp_path / "issued.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Nguyễn Văn Thành" in text
