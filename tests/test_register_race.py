"""Twenty documents signed at the same instant on a live server: the register gives twenty consecutive
numbers, none twice, none skipped (SQLite here; PostgreSQL when TEST_DATABASE_URL points there)."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.live_server import serving
from workflow.extensions import db, limiter
from workflow.models import ConsolidatedReport, RegisterEntry, ReportingPeriod, State, User
from workflow.seed import load_plan, seed_demo_accounts

from .conftest import make_app
from .test_races import FormSession, in_db, race

pytestmark = pytest.mark.db

DOCUMENTS = 20


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    """The seeded app with twenty checked consolidated reports (one per period), waiting for signing."""
    app = make_app(tmp_path_factory.mktemp("register-race"), LOGIN_LIMIT="1000 per minute",
                   LOGIN_IP_LIMIT="1000 per minute")
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        plan, _ = load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        people = {u.username: u for u in db.session.scalars(select(User))}
        for n in range(DOCUMENTS):
            period = ReportingPeriod(plan=plan, name=f"Đợt {n + 1}/2025", kind="quarter", start_date=date(2025, 7, 1),
                                     end_date=date(2025, 9, 30), due_date=date(2025, 9, 5))
            db.session.add(ConsolidatedReport(
                unit=people["vhxh"].unit, period=period, summary=f"Báo cáo đợt {n + 1}", state=State.REVIEWED,
                submitted_by_id=people["vhxh"].id, reviewed_by_id=people["tiepnhan"].id))
        db.session.commit()
        db.session.remove()
    with serving(app, "register-race") as live:
        yield live


def test_twenty_signings_at_once_take_twenty_consecutive_numbers(live):
    reports = in_db(live, lambda: [(r.id, r.version) for r in db.session.scalars(
        select(ConsolidatedReport).order_by(ConsolidatedReport.id))])
    assert len(reports) == DOCUMENTS
    chairman = FormSession(live.url, "chutich")
    answers = race([(chairman, f"/items/consolidated/{report_id}/do/accept", {"version": version})
                    for report_id, version in reports])
    assert sorted(status for status, _, _ in answers) == [303] * DOCUMENTS, [a[:2] for a in answers if a[0] != 303]

    def read():
        numbers = db.session.scalars(select(ConsolidatedReport.doc_number)).all()
        seqs = db.session.scalars(select(RegisterEntry.seq).order_by(RegisterEntry.seq)).all()
        return numbers, seqs
    numbers, seqs = in_db(live, read)
    assert seqs == list(range(1, DOCUMENTS + 1))
    assert sorted(numbers) == [f"{n:02d}/BC-UBND" for n in range(1, DOCUMENTS + 1)]
