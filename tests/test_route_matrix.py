"""Who may open what: every rule of the app's URL map × every demo account (and nobody signed in),
against a table written here. A rule added to the app without a line in the table fails the suite.

Each line names a rule and a method, how to fill the rule's variables from a seeded world (Quý III
opened, items in the states that make every page and button exist), and who is let through:

- let through: a GET answers 2xx/3xx (never a detour to the sign-in page); a POST with an empty form
  may be refused as a form (400/409/422), but never as a person (no 401/403/404);
- everyone else: 403, or 404 where the app hides that the thing exists (another unit's draft);
- nobody signed in: a redirect to the sign-in page, except on the public pages.
"""
import io
import os
from datetime import date, timedelta
from dataclasses import dataclass, field

import pytest
from flask import url_for
from sqlalchemy import select

from workflow.auth import reset
from workflow.calendar import services as calendar
from workflow.consolidated import services as consolidation
from workflow.documents import builders
from workflow.extensions import db
from workflow.issuance import delegations
from workflow.items import evidence, states
from workflow.mail import compose
from workflow.models import (ConsolidatedReport, Delegation, Holiday, Nomination, NominationEntry, RankingSheet,
                             ReportingPeriod, SelfAssessment, Task,
                             TaskResult, Unit, UnitReport, User)
from workflow.nominations import decision as decision_pdf, services as nominations
from workflow.ranking import exports, sheets
from workflow.seed.scoring import load_default_scheme

from .conftest import ROLE_USERS
from .items_support import open_q3, ready, report_of, result_of, user

ANONYMOUS = "anonymous"
PEOPLE = sorted(set(ROLE_USERS.values()))  # the ten demo accounts
EVERYONE = frozenset(PEOPLE)
ROLES = [ANONYMOUS, *PEOPLE]
PUBLIC = frozenset({ANONYMOUS, *PEOPLE})
OVERSEERS = frozenset({"admin", "chutich", "phochutich", "thamdinh", "tiepnhan"})
MEMBERS = frozenset({"vhxh", "vp", "kthtdt", "ttsnc", "ttpvhcc"})
NOBODY = frozenset()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# The world every line of the table is checked in -----------------------------------------------

@dataclass
class World:
    period: ReportingPeriod          # Quý III/2025, opened
    other_period: ReportingPeriod    # Năm 2025, not opened
    result: TaskResult               # 1.d: VHXH's draft; TTSNC and TTPVHCC cooperate
    sent_result: TaskResult          # 3.a: TTPVHCC's, submitted (the review queue)
    report: UnitReport               # TTPVHCC's draft (it reports Biểu II.06a)
    reviewed_report: UnitReport      # KTHTDT's, reviewed (the accept queue)
    assessment: SelfAssessment       # VP's draft
    sent_assessment: SelfAssessment  # KTHTDT's, submitted (to be appraised)
    consolidated: ConsolidatedReport  # VHXH's draft
    sheet: RankingSheet               # VHXH's draft
    task: Task
    unit: Unit                        # VHXH
    person: User                      # vp
    delegation: Delegation            # chutich lends signing to phochutich (kept)
    spare_delegation: Delegation      # another, for the revoke line (revoking it changes no other answer)
    upload_dir: str = ""
    holiday: Holiday | None = None     # Quốc khánh 02/09/2025 of the seeded calendar (kept)
    spare_holiday: Holiday | None = None  # Giỗ Tổ 07/04/2025, for the delete line
    evidence_ids: list = field(default_factory=list)
    nomination: object = None         # KTHTDT's, sent (its sheet is not approved here: made directly)
    decision: object = None           # the period's Quyết định khen thưởng, VHXH's empty draft

    def fresh_evidence(self):
        """A file on VHXH's draft, new each time: deleting one must not change the next person's answer."""
        found = evidence.attach(user("vhxh"), self.result, io.BytesIO(PDF + str(len(self.evidence_ids)).encode()),
                                "minh-chung.pdf", self.upload_dir, 1024 * 1024, "Biên bản")
        self.evidence_ids.append(found.id)
        return found.id


def _of(model, unit_code, period):
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    return db.session.scalar(select(model).where(model.unit_id == unit.id, model.period_id == period.id))


def submit_assessment(item, username):
    """A self-assessment scored and explained on every line, then sent."""
    for line in item.lines:
        line.self_points, line.explanation = 0, "Giải trình của đơn vị."
    db.session.commit()
    states.perform(user(username), item, "submit", item.version)
    return item


def build_world(plan, upload_dir):
    load_default_scheme(plan)
    period = open_q3()
    other = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))
    sent = result_of("3.a", period)
    states.perform(user("ttpvhcc"), ready(sent), "submit", sent.version)
    reviewed = report_of("kthtdt", period)
    states.perform(user("kthtdt"), ready(reviewed), "submit", reviewed.version)
    states.perform(user("thamdinh"), reviewed, "review", reviewed.version, grade="B")
    consolidated = consolidation.prefill(user("vhxh"), period)
    sheet = sheets.make(user("vhxh"), period)
    world = World(period=period, other_period=other, result=result_of("1.d", period), sent_result=sent,
                  report=report_of("ttpvhcc", period), reviewed_report=reviewed,
                  assessment=_of(SelfAssessment, "VP", period),
                  sent_assessment=submit_assessment(_of(SelfAssessment, "KTHTDT", period), "kthtdt"),
                  consolidated=consolidated, sheet=sheet, task=result_of("1.d", period).task,
                  unit=db.session.scalar(select(Unit).where(Unit.code == "VHXH")), person=user("vp"),
                  delegation=delegations.create(user("chutich"), user("chutich"), user("phochutich"), "signer", None,
                                                states.today(), states.today() + timedelta(days=30), "Đi công tác.",
                                                states.today()),
                  spare_delegation=delegations.create(user("admin"), user("tiepnhan"), user("vp"), "acceptor", None,
                                                      states.today() + timedelta(days=1), states.today() + timedelta(days=2),
                                                      "Nghỉ phép.", states.today()),  # not yet running
                  upload_dir=upload_dir,
                  holiday=db.session.scalar(select(Holiday).where(Holiday.day == date(2025, 9, 2))),
                  spare_holiday=db.session.scalar(select(Holiday).where(Holiday.day == date(2025, 4, 7))))
    world.nomination = Nomination(unit_id=user("kthtdt").unit_id, period_id=period.id, state="submitted",
                                  submitted_by_id=user("kthtdt").id,
                                  entries=[NominationEntry(kind="individual", name="Nguyễn Thị Khen", title="Chuyên viên",
                                                           achievement="Số hóa hồ sơ")])
    db.session.add(world.nomination)
    db.session.commit()
    world.decision = nominations.make_decision(user("vhxh"), period)
    return world


# The table ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One case of a rule: `values` fill the rule's variables, `data` is the POST's form (empty unless
    the view reads a form before it can know who may act), `query` the GET's query string."""
    allowed: frozenset
    values: object = lambda w: {}
    data: object = lambda w: {}
    query: str = ""
    public: bool = False  # no sign-in needed: nobody signed in is answered like the others


def stop_token():
    return compose.stop_token(user("ttsnc"), "due")


def feed_token():
    """ttsnc's feed (made again if a line before revoked it: every person may revoke their own)."""
    person = user("ttsnc")
    return person.calendar_token or calendar.issue_token(person)


def item(attr):
    return lambda w: {"kind": getattr(w, attr).KIND, "item_id": getattr(w, attr).id}


def item_id(attr, name="item_id"):
    return lambda w: {name: getattr(w, attr).id}


ADMIN = frozenset({"admin"})
RESULT_SEEN = OVERSEERS | {"vhxh", "ttsnc", "ttpvhcc"}  # 1.d: VHXH's, TTSNC and TTPVHCC cooperate
CONSOLIDATORS = frozenset({"vhxh", "thamdinh"})           # the consolidating unit's drafters
FOLLOW_UP = OVERSEERS | {"vhxh"}                           # overseers and the consolidating unit

MATRIX = {
    ("/", "GET"): [Line(EVERYONE), Line(EVERYONE, query="period=1"), Line(EVERYONE, query="period=x")],
    ("/login", "GET"): [Line(PUBLIC, public=True)],
    ("/login", "POST"): [Line(PUBLIC, public=True)],
    ("/logout", "POST"): [Line(EVERYONE)],
    ("/quen-mat-khau", "GET"): [Line(PUBLIC, public=True)],
    ("/quen-mat-khau", "POST"): [Line(PUBLIC, public=True)],
    ("/dat-lai-mat-khau/<token>", "GET"): [Line(PUBLIC, lambda w: {"token": reset.token_for(w.person)}, public=True)],
    ("/dat-lai-mat-khau/<token>", "POST"): [Line(PUBLIC, lambda w: {"token": reset.token_for(w.person)}, public=True)],
    ("/doi-mat-khau", "GET"): [Line(EVERYONE)],
    ("/doi-mat-khau", "POST"): [Line(EVERYONE)],
    ("/static/<path:filename>", "GET"): [Line(PUBLIC, lambda w: {"filename": "app.css"}, public=True)],
    ("/cong-khai", "GET"): [Line(PUBLIC, public=True)],
    ("/cong-khai/<int:period_id>/don-vi/<int:unit_id>", "GET"): [
        Line(PUBLIC, lambda w: {"period_id": w.period.id, "unit_id": w.unit.id}, public=True)],
    ("/healthz", "GET"): [Line(PUBLIC, public=True)],
    # no consolidated report is accepted in this world: the PDF is nobody's yet
    ("/cong-khai/bao-cao/<int:report_id>.pdf", "GET"): [Line(NOBODY, item_id("consolidated", "report_id"),
                                                            public=True)],
    # the plan
    ("/tasks", "GET"): [Line(EVERYONE), Line(EVERYONE, query="q=1&area=0&unit=0&before=05/09/2025&page=1")],
    ("/tasks/<int:task_id>", "GET"): [Line(EVERYONE, item_id("task", "task_id"))],
    ("/documents", "GET"): [Line(EVERYONE)],
    ("/documents/plan.pdf", "GET"): [Line(EVERYONE)],
    ("/documents/unit-report/<int:report_id>.pdf", "GET"): [
        Line(OVERSEERS | {"ttpvhcc"}, item_id("report", "report_id"))],
    ("/documents/consolidated/<int:report_id>.pdf", "GET"): [
        Line(FOLLOW_UP, item_id("consolidated", "report_id"))],
    ("/documents/plan.docx", "GET"): [Line(EVERYONE)],
    ("/documents/unit-report/<int:report_id>.docx", "GET"): [
        Line(OVERSEERS | {"ttpvhcc"}, item_id("report", "report_id"))],
    ("/documents/consolidated/<int:report_id>.docx", "GET"): [
        Line(FOLLOW_UP, item_id("consolidated", "report_id"))],
    # the signature check: any file for anyone signed in; the stored final file once issued (a draft has none)
    ("/documents/verify", "GET"): [Line(EVERYONE)],
    ("/documents/verify", "POST"): [Line(EVERYONE)],
    ("/documents/consolidated/<int:report_id>/verify", "GET"): [Line(NOBODY, item_id("consolidated", "report_id"))],
    # issuing: the register, numbers taken by hand (the clerical office), delegations
    ("/register", "GET"): [Line(OVERSEERS), Line(OVERSEERS, query="year=2025&issuer=UBND")],
    ("/register.xlsx", "GET"): [Line(OVERSEERS)],
    ("/register/reserve", "POST"): [Line(frozenset({"tiepnhan", "admin"}))],
    ("/delegations", "GET"): [Line(OVERSEERS)],
    ("/delegations", "POST"): [Line(OVERSEERS)],
    ("/delegations/<int:delegation_id>/revoke", "POST"): [
        Line(frozenset({"tiepnhan", "admin"}), item_id("spare_delegation", "delegation_id"))],
    # a unit's work
    ("/work", "GET"): [Line(MEMBERS)],
    ("/cooperation", "GET"): [Line(MEMBERS)],
    ("/notifications", "GET"): [Line(EVERYONE)],
    ("/notifications/read", "POST"): [Line(EVERYONE)],
    ("/queue/<stage>", "GET"): [Line(frozenset({"thamdinh"}), lambda w: {"stage": "review"}),
                                Line(frozenset({"tiepnhan"}), lambda w: {"stage": "accept"}),
                                # the vice-chairman signs by the chairman's delegation: the queue is his too
                                Line(frozenset({"chutich", "phochutich"}), lambda w: {"stage": "sign"}),
                                Line(NOBODY, lambda w: {"stage": "nowhere"})],
    ("/queue/<stage>/bulk", "POST"): [Line(frozenset({"thamdinh"}), lambda w: {"stage": "review"}),
                                      Line(frozenset({"tiepnhan"}), lambda w: {"stage": "accept"}),
                                      Line(frozenset({"chutich", "phochutich"}), lambda w: {"stage": "sign"})],
    # the item page, per kind: who sees it, who edits it
    ("/items/<kind>/<int:item_id>", "GET"): [
        Line(RESULT_SEEN, item("result")),
        Line(OVERSEERS | {"ttpvhcc"}, item("report")),
        Line(OVERSEERS | {"vp"}, item("assessment")),
        Line(FOLLOW_UP, item("consolidated")),
        Line(FOLLOW_UP, item("sheet")),
        Line(NOBODY, lambda w: {"kind": "no-such-kind", "item_id": w.result.id})],
    ("/items/<kind>/<int:item_id>", "POST"): [
        Line(frozenset({"vhxh"}), item("result")),
        Line(frozenset({"ttpvhcc"}), item("report")),
        Line(frozenset({"vp"}), item("assessment")),
        Line(CONSOLIDATORS, item("consolidated")),
        Line(CONSOLIDATORS, item("sheet"))],
    ("/items/<kind>/<int:item_id>/do/<action>", "POST"): [
        Line(frozenset({"vhxh"}), lambda w: {**item("result")(w), "action": "submit"}),
        Line(frozenset({"thamdinh"}), lambda w: {**item("sent_result")(w), "action": "review"}),
        Line(frozenset({"tiepnhan"}), lambda w: {**item("reviewed_report")(w), "action": "accept"}),
        Line(frozenset({"thamdinh"}), lambda w: {**item("sent_assessment")(w), "action": "review"})],
    ("/items/<kind>/<int:item_id>/evidence", "POST"): [Line(frozenset({"vhxh"}), item("result"))],
    ("/items/<kind>/<int:item_id>/fill/<key>", "POST"): [
        Line(frozenset({"vhxh"}), lambda w: {**item("result")(w), "key": "previous"}),
        Line(frozenset({"ttpvhcc"}), lambda w: {**item("report")(w), "key": "tasks"})],
    ("/items/task-result/<int:item_id>/contribution", "POST"): [
        # the note is read before the service asks who writes it: a real note, so the answer is about the person
        Line(frozenset({"ttsnc", "ttpvhcc"}), item_id("result"), data=lambda w: {"note": "Ý kiến phối hợp."})],
    ("/items/self-assessment/<int:item_id>/appraisal", "POST"): [
        Line(frozenset({"thamdinh"}), item_id("sent_assessment"))],
    ("/items/unit-report/<int:item_id>/dossier", "POST"): [Line(frozenset({"ttpvhcc"}), item_id("report"))],
    ("/items/unit-report/<int:item_id>/dossier/import", "POST"): [Line(frozenset({"ttpvhcc"}), item_id("report"))],
    ("/items/unit-report/<int:item_id>/dossier/template.xlsx", "GET"): [
        Line(OVERSEERS | {"ttpvhcc"}, item_id("report"))],
    ("/evidence/<int:evidence_id>", "GET"): [
        Line(RESULT_SEEN, lambda w: {"evidence_id": w.evidence_ids[0]})],
    ("/evidence/<int:evidence_id>/caption", "POST"): [
        Line(frozenset({"vhxh"}), lambda w: {"evidence_id": w.evidence_ids[0]})],
    ("/evidence/<int:evidence_id>/delete", "POST"): [
        Line(frozenset({"vhxh"}), lambda w: {"evidence_id": w.fresh_evidence()})],
    # đôn đốc: a reminder by hand, the mail stop link, the calendar and its feed
    ("/items/<kind>/<int:item_id>/remind", "POST"): [
        Line(frozenset({"thamdinh", "tiepnhan", "chutich", "phochutich"}), item("result"))],
    ("/mail/stop/<token>", "GET"): [Line(PUBLIC, lambda w: {"token": stop_token()}, public=True),
                                    Line(NOBODY, lambda w: {"token": "khong-phai-ma"}, public=True)],
    ("/mail/stop/<token>", "POST"): [Line(PUBLIC, lambda w: {"token": stop_token()}, public=True)],
    ("/units/<int:unit_id>/periods/<int:period_id>/remind", "POST"): [
        Line(frozenset({"thamdinh", "tiepnhan", "chutich", "phochutich"}),
             lambda w: {"unit_id": w.unit.id, "period_id": w.period.id})],
    ("/periods/<int:period_id>/cong-van-don-doc.pdf", "GET"): [
        Line(frozenset({"thamdinh", "tiepnhan", "chutich", "phochutich"}), lambda w: {"period_id": w.period.id})],
    ("/nhac-han", "GET"): [Line(frozenset({"thamdinh", "admin"}))],
    ("/nhac-han", "POST"): [Line(frozenset({"thamdinh", "admin"}))],
    ("/lich", "GET"): [Line(EVERYONE), Line(EVERYONE, query="thang=2025-09")],
    ("/nhan-thu", "GET"): [Line(EVERYONE)],
    ("/tim-kiem", "GET"): [Line(EVERYONE), Line(EVERYONE, query="q=cai+cach&kind=task&page=1")],
    # the dashboard's lists (Quý III/2025 is period 1): a unit's people get their own unit's whatever is asked
    ("/bao-cao-nhanh.pdf", "GET"): [Line(FOLLOW_UP, query="period=1")],
    ("/ho-so", "GET"): [Line(EVERYONE, query="period=1"), Line(EVERYONE, query="period=1&kind=unit-report&unit=1&state=draft&late=1")],
    ("/nhan-thu", "POST"): [Line(EVERYONE)],
    ("/lich/feed", "POST"): [Line(EVERYONE)],
    ("/lich/feed/revoke", "POST"): [Line(EVERYONE)],
    ("/lich/<token>.ics", "GET"): [Line(PUBLIC, lambda w: {"token": feed_token()}, public=True),
                                   Line(NOBODY, lambda w: {"token": "khong-co"}, public=True)],
    # the ward's documents and the emulation
    ("/periods/<int:period_id>/consolidated", "GET"): [Line(FOLLOW_UP, item_id("period", "period_id"))],
    ("/periods/<int:period_id>/consolidated", "POST"): [Line(CONSOLIDATORS, item_id("period", "period_id"))],
    ("/ranking", "GET"): [Line(OVERSEERS), Line(OVERSEERS, query="period=all&scheme=1")],
    ("/ranking/<int:unit_id>", "GET"): [Line(OVERSEERS | {"vhxh"}, item_id("unit", "unit_id"))],
    ("/items/nomination/<int:item_id>/appraisal", "POST"): [Line(frozenset({"thamdinh"}), item_id("nomination"))],
    ("/khen-thuong", "GET"): [Line(EVERYONE)],
    # no ranking sheet approved in this world: the members are answered 409 (allowed, nothing to open yet)
    ("/khen-thuong/<int:period_id>/de-nghi", "POST"): [Line(MEMBERS, item_id("period", "period_id"))],
    ("/khen-thuong/<int:period_id>/quyet-dinh", "POST"): [Line(CONSOLIDATORS, item_id("period", "period_id"))],
    ("/khen-thuong/quyet-dinh/<int:item_id>.pdf", "GET"): [Line(FOLLOW_UP, item_id("decision"))],
    ("/khen-thuong/quyet-dinh/<int:item_id>.docx", "GET"): [Line(FOLLOW_UP, item_id("decision"))],
    ("/ranking/export.pdf", "GET"): [Line(OVERSEERS)],
    ("/ranking/export.docx", "GET"): [
        Line(OVERSEERS),
        Line(FOLLOW_UP, lambda w: {"period": w.period.id, "sheet": w.sheet.id})],
    ("/ranking/export.xlsx", "GET"): [
        Line(OVERSEERS),
        Line(FOLLOW_UP, lambda w: {"period": w.period.id, "sheet": w.sheet.id})],
    ("/ranking/scheme", "GET"): [Line(frozenset({"thamdinh", "admin"}))],
    ("/ranking/scheme", "POST"): [Line(frozenset({"thamdinh", "admin"}))],
    ("/ranking/sheet", "POST"): [Line(CONSOLIDATORS, data=lambda w: {"period": w.period.id})],
    ("/ranking/scheme/propose/<int:period_id>", "POST"): [Line(frozenset({"thamdinh"}), item_id("period", "period_id"))],
    # the catalogue: the administrator's alone
    ("/admin/", "GET"): [Line(ADMIN)],
    ("/admin/periods/<int:period_id>/open", "POST"): [Line(ADMIN, item_id("period", "period_id"))],
    ("/admin/tasks/import", "GET"): [Line(ADMIN)],
    ("/admin/tasks/import", "POST"): [Line(ADMIN)],
    ("/admin/tasks/import/template.xlsx", "GET"): [Line(ADMIN)],
    ("/admin/holidays/<int:holiday_id>/delete", "POST"): [Line(ADMIN, item_id("spare_holiday", "holiday_id"))],
}
for _name, _attr in (("periods", "other_period"), ("tasks", "task"), ("units", "unit"), ("users", "person"),
                     ("holidays", "holiday")):
    MATRIX[(f"/admin/{_name}", "GET")] = [Line(ADMIN)]
    for _method in ("GET", "POST"):
        MATRIX[(f"/admin/{_name}/new", _method)] = [Line(ADMIN)]
        MATRIX[(f"/admin/{_name}/<int:obj_id>", _method)] = [Line(ADMIN, item_id(_attr, "obj_id"))]


def app_rules(app):
    """(rule, method) of every route the app answers (HEAD and OPTIONS are Flask's own)."""
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_matrix(app):
    rules = app_rules(app)
    assert sorted(rules - MATRIX.keys()) == [], "a new route: add who may open it to MATRIX"
    assert sorted(MATRIX.keys() - rules) == [], "a route in MATRIX the app no longer has"



@pytest.fixture
def world(app, seeded):
    found = build_world(seeded, os.path.join(app.instance_path, "uploads"))
    found.fresh_evidence()
    return found


@pytest.fixture
def quick_pdfs(monkeypatch):
    """Who may download a PDF is decided before it is built: skip building it (seconds per plan)."""
    for module, name in ((builders, "plan_document"), (builders, "unit_report"), (builders, "consolidated"),
                         (exports, "table_pdf")):
        monkeypatch.setattr(module, name, lambda *args, **kwargs: PDF)
    monkeypatch.setattr(decision_pdf, "render", lambda *args, **kwargs: (PDF, "quyet-dinh.pdf"))


def endpoints(app):
    return {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}


def url_of(app, rule, line, world):
    with app.test_request_context():
        url = url_for(endpoints(app)[rule], **line.values(world))
    return url + ("?" + line.query if line.query else "")


def outcome(response):
    """"ok", "refused", "login" (login_required's 302 to the sign-in page; signing out answers 303 there),
    or the status when it is none of them (a 500)."""
    status = response.status_code
    if status == 302 and response.location.startswith("/login"):
        return "login"
    if status in (401, 403, 404):
        return "refused"
    return "ok" if status < 500 else status


def expected(line, who):
    if who == ANONYMOUS and not line.public:
        return "login"
    return "ok" if who in line.allowed else "refused"


def _last_logout(entry):
    return entry[0] == ("/logout", "POST")


def test_every_route_answers_every_person_as_the_matrix_says(app, auth, client, world, quick_pdfs):
    wrong, asked = [], 0
    for who in ROLES:
        if who != ANONYMOUS:
            assert auth.login(who).status_code == 303, who
        for (rule, method), lines in sorted(MATRIX.items(), key=_last_logout):  # signing out last
            for line in lines:
                url = url_of(app, rule, line, world)
                response = client.open(url, method=method, data=line.data(world))
                asked += 1
                got, want = outcome(response), expected(line, who)
                if got != want:
                    wrong.append(f"{who:9} {method:4} {url}: {response.status_code} ({got}), expected {want}")
        if who != ANONYMOUS:
            client.post("/logout")
    assert wrong == [], "\n".join(wrong)
    assert asked > 500
