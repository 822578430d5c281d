"""The chairman's dashboard in Chromium: a mix of states made through the workflow (KTHTDT sends three
task results, VHXH's reviewer passes two, the VP office accepts one), the matrix shows them, and a click
on the red figure lands on the list of exactly the late items. At 390 px the page does not scroll sideways."""
import re
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import states
from workflow.models import State, Task, TaskResult, Unit, User

from ..items_support import ready
from .test_issuing_browser import open_q3


def make_the_mix(live_server, period_id):
    """The workflow's own steps (states.perform), each by the person whose step it is; the late drafts' ids."""
    with live_server.app.app_context():
        people = {u.username: u for u in db.session.scalars(select(User))}
        results = {t.code: r for r, t in db.session.execute(
            select(TaskResult, Task).join(Task).where(TaskResult.period_id == period_id))}
        sent = [ready(results[code]) for code in ("3.e", "6.a", "6.b")]
        for who, result, action in [("kthtdt", sent[0], "submit"), ("kthtdt", sent[1], "submit"),
                                    ("kthtdt", sent[2], "submit"), ("thamdinh", sent[0], "review"),
                                    ("thamdinh", sent[1], "review"), ("tiepnhan", sent[0], "accept")]:
            db.session.refresh(result)
            states.perform(people[who], result, action, result.version)
        late = set(db.session.scalars(select(TaskResult.id).join(Unit, TaskResult.unit_id == Unit.id).where(
            Unit.code == "KTHTDT", TaskResult.period_id == period_id, TaskResult.state == State.DRAFT)))
        db.session.remove()
    return late


def test_the_chairman_reads_the_matrix_and_opens_the_late_items(live_server, page, login, new_context, tmp_path):
    period_id = open_q3(live_server)
    late = make_the_mix(live_server, period_id)  # today's clock is long after 05/09/2025: drafts are late

    login(page, live_server, "chutich")
    matrix = page.locator("table.matrix")
    kthtdt = matrix.locator("tr", has=page.locator("abbr", has_text=re.compile("^KTHTDT$")))
    results = kthtdt.locator("td").first
    for words in ("5 quá hạn", "1 chờ thẩm định", "1 chờ tiếp nhận", "1 đã tiếp nhận"):
        expect(results).to_contain_text(words)
    expect(matrix.locator("tr.total td").first).to_contain_text("33 quá hạn")
    page.screenshot(path=str(tmp_path / "1-dashboard.png"), full_page=True)

    results.locator("li.s-late a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết quả nhiệm vụ quá hạn")
    links = page.locator("main table tbody a")
    expect(links).to_have_count(5)
    shown = {int(href.rsplit("/", 1)[1]) for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    assert shown == late
    page.screenshot(path=str(tmp_path / "2-late-list.png"), full_page=True)

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    login(phone, live_server, "chutich")
    expect(phone.locator("table.matrix")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "3-phone.png"), full_page=True)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (npm pack axe-core@4; MPL-2.0)


def serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => { const r = await axe.run(document); return {passes: r.passes.length, "
                           "violations: r.violations.map(v => ({id: v.id, impact: v.impact, "
                           "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))}; }")
    assert result["passes"] > 20  # axe ran its rules on this page
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_the_dashboard_and_its_list_pass_axe(live_server, login, new_context):
    """axe is injected as a script: the context bypasses the app's CSP (script-src 'self') for it alone."""
    period_id = open_q3(live_server)
    make_the_mix(live_server, period_id)
    page = new_context(bypass_csp=True).new_page()
    login(page, live_server, "chutich")
    expect(page.locator("table.matrix")).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/ho-so?period={period_id}&kind=task-result&late=1")
    assert serious_violations(page) == []
    phone = new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    login(phone, live_server, "kthtdt")
    assert serious_violations(phone) == []
