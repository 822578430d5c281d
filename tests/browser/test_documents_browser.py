"""The chairman downloads the ward's final consolidated report from "Văn bản" in a real browser,
and the file he gets is the one whose SHA-256 the page shows."""
import hashlib
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.consolidated import services as consolidation
from workflow.items import services, states
from workflow.models import ReportingPeriod, UnitReport, User

from ..items_support import ready

PERIOD = "Quý III/2025"
NUMBER = "01/BC-UBND"  # the register's first of 2025
OFFICERS = {"VHXH": "vhxh", "VP": "vp", "KTHTDT": "kthtdt", "TTSNC": "ttsnc", "TTPVHCC": "ttpvhcc"}


@pytest.fixture
def accepted_report(live_server):
    """Quý III/2025 with every unit report accepted and the consolidated report accepted, numbered and its
    final PDF stored, all through the services (the UI is what the test looks at). Returns its sha256."""
    app = live_server.app
    # A request context: rendering the PDF runs the app's template context processors.
    with app.test_request_context():
        def user(username):
            return db.session.scalar(select(User).where(User.username == username))

        tiepnhan = user("tiepnhan")
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(user("admin"), period)
        for report in db.session.scalars(select(UnitReport).where(UnitReport.period_id == period.id)).all():
            officer = user(OFFICERS[report.unit.code])
            ready(report)  # what the unit wrote; the document test is about what follows
            for who, action in ((officer, "submit"), (user("thamdinh"), "review"), (tiepnhan, "accept")):
                states.perform(who, report, action, report.version, grade="A")
        report = consolidation.prefill(user("thamdinh"), period)
        states.perform(user("thamdinh"), report, "submit", report.version)
        states.perform(tiepnhan, report, "review", report.version)
        states.perform(user("chutich"), report, "accept", report.version, now=datetime(2025, 12, 5, 2, 0))
        digest = report.pdf_sha256
        db.session.remove()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    return digest


def test_chairman_downloads_the_final_consolidated_report(live_server, accepted_report, page, login, tmp_path):
    login(page, live_server, "chutich")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Văn bản", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản")
    shown = page.locator("code", has_text=re.compile(r"^[0-9a-f]{64}$"))
    expect(shown).to_have_text(accepted_report)

    link = page.get_by_role("link", name=f"Báo cáo tổng hợp của phường số {NUMBER} ngày 05/12/2025")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown.inner_text().strip() == accepted_report
