import io, re
from flask_wtf.csrf import CSRFError
from tests.conftest import make_app
from tests.test_evidence import *
from workflow.seed import load_plan, seed_demo_accounts
def test_dbg(tmp_path, monkeypatch):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, UPLOAD_MAX_MB=1)
    @app.errorhandler(CSRFError)
    def h(e): return "CSRF:" + e.description, 400
    with app.app_context():
        db.create_all(); load_plan(); seed_demo_accounts()
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý III/2025"))
        services.open_period(user("admin"), period)
        item = result_of("7.d", period)
    c = app.test_client()
    tok = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"username": "ttpvhcc", "password": "PhuLien@2025", "csrf_token": tok})
    print(r.status_code, r.headers.getlist("Set-Cookie"))
    r = c.get(f"/items/task-result/{item.id}")
    print(r.status_code, r.headers.getlist("Set-Cookie"))
    with c.session_transaction() as s: print(dict(s))
