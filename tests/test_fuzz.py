"""Hold under attack: malformed values posted to every form of every POST route answer 4xx, never 500.

The forms are read from the pages as their users see them (every input, textarea and select, and the
buttons that post the form elsewhere), plus the fields of the WTForms class a page does not show (an
action's number and date). Each field is posted with the form's own values and that one field replaced
by a value of a fixed corpus: control characters and NUL, 5,000-digit numbers, 2^31, 2^63, -1, 1e400,
NaN, dates such as 31/12/9999 and 00/00/0000, 100,000 characters, a file where text is expected, the
field twice, the field left out, wrong types ("[]", "null", "True"); then the whole form with each value
in every field. The sign-in form gets every pair of username and password; the pages that read a query
string and the ids in URLs get the same corpus. Over FUZZ_MINIMUM requests, none may answer ≥ 500 nor
reach a value the database refuses (errors.py answers that 400 and logs it: here, a failure); every
POST route must have been fuzzed; afterwards the main pages still answer 200 to the people they serve.

How deep each form goes depends on what a request to it costs (DEPTH): the catalogue's forms, the
sign-in and Biểu II.06a's live totals (the unit report's whole form, read and checked, nothing stored)
take the whole corpus; pages that render the item page back with every 422 take a sample.
"""
import io
import logging
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import DateField

from workflow import forms
from workflow.auth import reset
from workflow.errors import REFUSED_LOG
from workflow.extensions import db
from workflow.items.forms import ActionForm
from workflow.mail import compose
from workflow.models import RankingSheet, ScoringScheme, SelfAssessment, Task, TaskResult, Unit, User
from workflow.validation import (CONTROL_CHARS, DATE_MAX, DATE_MIN, DATE_RANGE, INT_RANGE, LINE_BREAK, MAX_ID,
                                 NOT_TEXT, FieldError, check_date, check_int, clean_text, parse_id, text_problem)

from .items_support import add_user, report_of, result_of, user
from .test_items_edit import GOOD_ROW, report_form, result_form
from .test_route_matrix import MEMBERS, OVERSEERS, PDF, build_world

FUZZ_MINIMUM = 5000


@pytest.fixture
def app_config():
    # Wrong passwords are part of the corpus: the sign-in limits would turn the rest into 429s.
    return {"LOGIN_LIMIT": "100000 per minute", "LOGIN_IP_LIMIT": "100000 per minute"}


# The corpus --------------------------------------------------------------------------------------

class Special:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


FILE = Special("<a file>")       # a file part where a text field is expected
ARRAY = Special("<two values>")  # the field sent twice
MISSING = Special("<left out>")  # the field not sent at all

LONG = "x" * 100_000
PADDED_RANK = "3" + "\t\u2003" * 40 + "/30"  # "3/30" as check_rank reads it, longer than its String(40)
TEXTS = ["\x00", "ab\x00cd", "\x01\x02\x03\x1f", "\x7f\x85\x9f", "\x1b[2J", "\x0b\x0c", "dòng 1\r\ndòng 2", "\t",
         "\ufeff\u202e\u200b", "\uffff", "\ufffd", LONG, "ă" * 5000, "<script>alert(1)</script>", "{{7*7}}",
         "' OR '1'='1' --", "%00", "../../etc/passwd", "   ", PADDED_RANK, "a" * 301, "\r", "\u2028\u2029",
         "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀", "e\u0301\u0301\u0301", "%s%n%x"]
NUMBERS = ["9" * 5000, "-" + "9" * 5000, str(2**31), str(2**31 - 1), str(-(2**31) - 1), str(2**63), str(2**64),
           "-1", "0", "1e400", "-1e400", "1e308", "1e-400", "NaN", "nan", "inf", "-Infinity", "1,5", "1.200,5",
           "1_000", "0x1F", "١٢٣", "²", " 12 ", "0" * 30 + "1", "9" * 20, "2147483648.0", "-0", "+5", ".5",
           "1.000.000.000.000", "99,999,9", "1e-5"]
DATES = ["31/12/9999", "00/00/0000", "29/02/2025", "01/01/0001", "31/12/1999", "01/01/2101", "9999-12-31",
         "1/1/10000", "32/13/2025", "2025-09-05", "05/09/2025 05/09/2025", "05/09/" + "9" * 5000, "5/9/25",
         "2025/09/05", "29/02/2024", "31/04/2025", " 05/09/2025 ", "05/09/2025T00:00", "٠٥/٠٩/٢٠٢٥"]
TYPES = ["True", "[]", "{}", "null", "None", "-", ""]
SPECIALS = [FILE, ARRAY, MISSING]
# every field gets these; a field of a kind also gets its kind's list
UNIVERSAL = ["\x00", "ab\x00cd", "\x01\x1f", "a\r\nb", "9" * 5000, str(2**31), str(2**63), str(-(2**63) - 1), "-1",
             "1e400", "NaN", "31/12/9999", "00/00/0000", LONG, "[]", *SPECIALS]
BY_KIND = {"text": TEXTS + TYPES, "number": NUMBERS + TYPES, "date": DATES + TYPES,
           "choice": NUMBERS[:9] + TYPES + ["\x00", "ă"], "file": ["text where a file is expected", "", *TEXTS[:3]]}
# every field at once: a few of each list
WHOLE_FORM = [*TEXTS[:8], LONG, "ă" * 5000, "<script>alert(1)</script>", *NUMBERS[:12], "NaN", "١٢٣", *DATES[:5],
              *TYPES, *SPECIALS]
QUERY = ["\x00", "9" * 5000, str(2**31), str(2**63), "-1", "1e400", "31/12/9999", "x" * 5000, "[]", ""]


# Reading the forms of a page ---------------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str            # text | number | date | choice | file
    value: object        # what the page would send (a list for several checkboxes of one name)
    options: list = field(default_factory=list)  # a checkbox's values, ticked or not


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict = field(default_factory=dict)
    htmx: bool = False  # posted by htmx (hx-post): its answers are fragments
    buttons: list = field(default_factory=list)  # (formaction, multipart) of buttons posting elsewhere


class FormReader(HTMLParser):
    """The POST forms of a page, each field with its kind and the value the page would send."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self._form, self._select, self._textarea = page, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = Form(attrs.get("action") or self.page, attrs.get("enctype") == "multipart/form-data",
                              htmx="hx-post" in attrs)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "button" and attrs.get("formaction"):
            self._form.buttons.append((attrs["formaction"], attrs.get("formenctype") == "multipart/form-data"))
        elif tag == "input" and attrs.get("name"):
            self._input(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = Field(attrs["name"], "text", None)
            self._form.fields[attrs["name"]] = self._textarea
        elif tag == "select" and attrs.get("name"):
            self._select = Field(attrs["name"], "choice", None)
            self._form.fields[attrs["name"]] = self._select
        elif tag == "option" and self._select is not None and (self._select.value is None or "selected" in attrs):
            self._select.value = attrs.get("value", "")

    def _input(self, attrs):
        name, kind = attrs["name"], attrs.get("type", "text")
        if name == "csrf_token":  # off in the tests: nothing reads it
            return
        if kind == "file":
            self._form.fields[name] = Field(name, "file", None)
        elif kind in ("checkbox", "radio"):
            known = self._form.fields.setdefault(name, Field(name, "choice", None))
            value = attrs.get("value", "y")
            known.options.append(value)
            if "checked" in attrs:
                known.value = value if kind == "radio" else [*(known.value or []), value]
        else:
            guess = ("date" if "data-date" in attrs else
                     "number" if attrs.get("inputmode") in ("numeric", "decimal") else "text")
            self._form.fields[name] = Field(name, guess, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:  # a browser drops the line break that opens a textarea's content
            self._textarea.value = data.removeprefix("\n") if self._textarea.value is None \
                else self._textarea.value + data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value is None:
                self._textarea.value = ""
            self._textarea = None


def forms_on(page, html):
    reader = FormReader(urlsplit(page).path)
    reader.feed(html)
    return reader.forms


# Sending -----------------------------------------------------------------------------------------

class Refusals(logging.Handler):
    """The database refusing a value is answered 400 (errors.py) and logged: for this suite, a 500."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        if record.msg == REFUSED_LOG:
            self.messages.append(record.getMessage())


class Fuzzer:
    """Posts and counts; a 500, an exception (the test client raises the app's under TESTING) or a value
    only the database refused is noted with what caused it, the session rolled back for the next one."""

    def __init__(self, client, refusals):
        self.client, self.refusals, self.count, self.failures = client, refusals, 0, []
        self.by_status, self.started = {}, time.perf_counter()

    def send(self, method, url, data=None, what="", **kwargs):
        self.count += 1
        refused = len(self.refusals.messages)
        try:
            response = self.client.open(url, method=method, data=data, **kwargs)
            status = response.status_code
        except Exception as err:  # noqa: BLE001 - the test client re-raises the app's exception
            db.session.rollback()
            status, response = 500, None
            what = f"{what} → {type(err).__name__}: {str(err)[:200]}"
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if status >= 500:
            self.failures.append(f"{method} {url} [{what}] → {status}")
        elif len(self.refusals.messages) > refused:
            self.failures.append(f"{method} {url} [{what}] → {self.refusals.messages[-1]}")
        return response


def _file(name="fuzz.txt"):
    return (io.BytesIO(b"\x00not a text\xff" * 10), name)


def _pdf(n):
    return (io.BytesIO(PDF + f"% fuzz {n}\n".encode()), "minh-chung.pdf")


def payload(form, refresh, name=None, value=None):
    """The form's own values (hidden versions as they are now), with `name` set to `value` (every
    field when `name` is None and a value is given)."""
    current = refresh()
    data, multipart = {}, form.multipart
    for spot, field_ in enumerate(form.fields.values()):
        if field_.kind == "file" and not form.multipart and field_.name != name:
            continue  # a browser sends a file only with a multipart form
        base = _pdf(spot) if field_.kind == "file" else current.get(field_.name, field_.value)
        chosen = value if value is not None and name in (None, field_.name) else base
        if chosen is MISSING or chosen is None:
            continue
        if chosen is FILE:
            chosen = _file()
        elif chosen is ARRAY:
            chosen = ([_pdf(spot), _pdf(spot + 100)] if field_.kind == "file" else
                      [*base, "2"] if isinstance(base, list) else [base or "1", "2"])
        data[field_.name] = chosen
    if any(isinstance(v, tuple) or isinstance(v, list) and any(isinstance(x, tuple) for x in v)
           for v in data.values()):
        multipart = True
    return data, ("multipart/form-data" if multipart else None)


def template_of(name):
    return re.sub(r"-\d+(?=-|$)", "-#", name)


# How deep each form is fuzzed, by what a request to it costs (the whole item page is rendered back
# with every 422: 15 to 70 ms, against 5 to 10 for the catalogue's forms and the live totals):
#   full   every field alone with the whole corpus of its kind (a list's later rows with one value
#          each), then the whole form with each value of the corpus;
#   sample every field alone with SAMPLE (later rows: one value), the whole form with WHOLE_SAMPLE;
#   light  the first of each field's rows with LIGHT, the whole form with WHOLE_SAMPLE;
#   store  the first of each text field's rows with STORE (text a form may let through that a column
#          may not hold), the whole form with WHOLE_SAMPLE;
#   whole  the whole form with WHOLE_SAMPLE; tiny: with WHOLE_TINY (buttons posting a form fuzzed
#          elsewhere, and the same upload on each kind of item).
# The unit report's 70 fields get "full" through its live totals (the same form read and checked,
# nothing stored) and "store" through its save (40 ms a request: the whole item page is rendered back).
# The first matching pattern wins; the rest is "full".
DEPTH = [
    (r"^/items/unit-report/\d+/dossier$", "full"),
    (r"^/items/(unit-report|task-result)/\d+/(fill/\w+|dossier/import)$", "tiny"),
    (r"^/items/(unit-report|self-assessment|consolidated|ranking)/\d+/evidence$", "tiny"),
    (r"^/items/unit-report/\d+$", "store"),
    (r"^/admin/tasks/\d+$", "whole"),
    (r"^/items/(self-assessment|ranking)/\d+$", "light"),
    (r"^/ranking/scheme$", "light"),
    (r"^/items/self-assessment/\d+/do/\w+$", "light"),
    (r"^/items/unit-report/\d+/do/return$", "light"),
    (r"^/items/self-assessment/\d+/appraisal$", "sample"),
    (r"^/periods/\d+/consolidated$", "sample"),
    (r"^/ranking/sheet$", "sample"),
    (r"^/admin/tasks/new$", "sample"),
    (r"^/admin/users/\d+$", "sample"),
    (r"^/queue/accept/bulk$", "sample"),
]
SAMPLE = ["\x00", "\x01\x1f", "9" * 5000, str(2**31), "1e400", "31/12/9999", LONG, FILE, ARRAY]
LIGHT = ["ab\x00cd", str(2**63), FILE]
STORE = [PADDED_RANK, "ă" * 5000, "ab\x00cd"]
WHOLE_SAMPLE = ["\x00", "ab\x00cd", "\x7f\x85", "9" * 5000, str(2**31), str(2**63), "-1", "1e400", "NaN",
                "31/12/9999", "00/00/0000", LONG, "[]", "", *SPECIALS]
WHOLE_TINY = ["ab\x00cd", str(2**31), "1e400", "31/12/9999", LONG, FILE]


def depth_of(action):
    return next((depth for pattern, depth in DEPTH if re.match(pattern, action)), "full")


def values_for(depth, field_, first, position):
    """The values `field_` is posted with alone: its kind's corpus for the first of its rows."""
    if depth == "full":
        if first:
            return list(dict.fromkeys(UNIVERSAL + BY_KIND[field_.kind], None))
        return [UNIVERSAL[(position + k) % len(UNIVERSAL)] for k in range(2)]
    if depth == "sample":
        return SAMPLE if first else [SAMPLE[position % len(SAMPLE)]]
    if depth == "store":
        return STORE if first and field_.kind == "text" else []
    return LIGHT if depth == "light" and first else []


def fuzz_form(fuzzer, form, action, refresh):
    """Each field alone with its values, then the whole form with each value."""
    if not form.fields:  # a button: the empty post, a stray field, a stray file
        for data in ({}, {"x": "\x00" + "9" * 5000}, {"x": _file()}):
            fuzzer.send("POST", action, data, what=f"button {sorted(data)}")
        return
    depth, seen = depth_of(action), set()
    headers = {"HX-Request": "true"} if form.htmx else {}  # as the page posts it; the whole-form posts plain
    for position, field_ in enumerate(form.fields.values()):
        template = template_of(field_.name)
        for value in values_for(depth, field_, template not in seen, position):
            data, content_type = payload(form, refresh, field_.name, value)
            fuzzer.send("POST", action, data, what=f"{field_.name}={value!r:.40}", content_type=content_type,
                        headers=headers)
        seen.add(template)
    whole = WHOLE_FORM if depth == "full" else WHOLE_TINY if depth == "tiny" else WHOLE_SAMPLE
    for value in whole:
        data, content_type = payload(form, refresh, None, value)
        fuzzer.send("POST", action, data, what=f"every field={value!r:.40}", content_type=content_type)


# Where the forms are ---------------------------------------------------------------------------

def _version(model, ident, name="version"):
    """The row's version now (a save the fuzz let through moved it on): read from the database, not the
    session's copy, so nothing the next request uses is expired."""
    return lambda: {name: str(db.session.scalar(select(model.version).where(model.id == ident)))}


def _queue_versions(model, kind, ident):
    return lambda: {f"version-{kind}:{ident}": _version(model, ident)()["version"]}


def _scheme_version(plan_id):
    def current():
        version = db.session.scalar(select(func.max(ScoringScheme.version)).where(ScoringScheme.plan_id == plan_id))
        return {"base_version": str(version)} if version else {}
    return current


@dataclass
class Station:
    """A page as one person sees it, whose POST forms are fuzzed."""
    who: str
    page: str
    refresh: object = dict  # {hidden field: its value now}, read before each post
    tick: tuple = ()                 # checkboxes ticked in the form's own values (a queue's items)
    extra: dict = field(default_factory=dict)  # {action path: [(name, kind, value)]} the page does not show
    forms: list = field(default_factory=list)  # forms the page cannot show, posted all the same


def stations(w, plan_id, fuzz_unit, fuzz_user):
    """Every page with POST forms, as its user sees it; the state-changing ones last for each person."""
    action_fields = [(f.name, "date" if isinstance(f, DateField) else "text", "")
                     for f in ActionForm(formdata=None) if f.name != "csrf_token"]
    filters = [("unit", "choice", ""), ("kind", "choice", "")]  # the queue's, sent back with a bulk action
    sheet = Form("/ranking/sheet", False, {"period": Field("period", "choice", str(w.period.id)),
                                           "version": Field("version", "text", str(w.sheet.version))})
    propose = Form(f"/ranking/scheme/propose/{w.period.id}", False,  # shown only while a period is behind
                   {"reason": Field("reason", "text", "Áp dụng trọng số mới")})
    return [
        Station("anonymous", "/login"),
        Station("admin", "/admin/units/new"),
        Station("admin", f"/admin/units/{fuzz_unit}"),
        Station("admin", "/admin/users/new"),
        Station("admin", f"/admin/users/{fuzz_user}"),
        Station("admin", "/admin/periods/new"),
        Station("admin", f"/admin/periods/{w.period.id}"),   # the opened period: its dates reach every page
        Station("admin", "/admin/tasks/new"),
        Station("admin", f"/admin/tasks/{w.task.id}", _version(Task, w.task.id)),
        Station("admin", "/admin/tasks/import"),
        Station("admin", "/admin/periods"),
        Station("admin", "/admin/holidays/new"),
        Station("admin", f"/admin/holidays/{w.holiday.id}"),
        Station("admin", "/admin/holidays"),                # deleting a day
        Station("admin", "/ranking/scheme", _scheme_version(plan_id)),
        Station("vp", f"/items/self-assessment/{w.assessment.id}", _version(SelfAssessment, w.assessment.id)),
        Station("ttsnc", f"/items/task-result/{w.result.id}"),  # a cooperating unit's note
        Station("ttpvhcc", f"/items/unit-report/{w.report.id}", _version(type(w.report), w.report.id)),
        Station("vhxh", "/notifications"),
        Station("vhxh", f"/items/consolidated/{w.consolidated.id}", _version(type(w.consolidated), w.consolidated.id)),
        Station("vhxh", f"/periods/{w.period.id}/consolidated", _version(type(w.consolidated), w.consolidated.id)),
        Station("vhxh", f"/items/ranking/{w.sheet.id}", _version(RankingSheet, w.sheet.id), forms=[sheet]),
        Station("vhxh", f"/items/task-result/{w.result.id}", _version(TaskResult, w.result.id)),
        Station("thamdinh", f"/items/self-assessment/{w.sent_assessment.id}",
                _version(SelfAssessment, w.sent_assessment.id)),
        Station("thamdinh", f"/queue/review?period={w.period.id}",
                _queue_versions(TaskResult, "task-result", w.sent_result.id), tick=("item",),
                extra={"/queue/review/bulk": filters}),
        Station("tiepnhan", f"/items/unit-report/{w.reviewed_report.id}",
                _version(type(w.reviewed_report), w.reviewed_report.id),
                extra={"/do/": action_fields}),
        Station("tiepnhan", "/register"),                # a number taken by hand
        Station("vhxh", "/documents/verify"),            # a PDF to check (multipart)
        Station("chutich", "/delegations"),              # lending a step; revoking one
        Station("thamdinh", f"/items/task-result/{w.result.id}"),  # "Nhắc nhở" with a message
        Station("thamdinh", "/nhac-han"),                # the reminder policy
        Station("thamdinh", "/ranking", forms=[propose]),  # a proposal to apply a newer scheme version
        Station("thamdinh", f"/items/nomination/{w.nomination.id}", _version(type(w.nomination), w.nomination.id)),
        # Shown only once the period's ranking sheet is approved (not in this world): posted all the same.
        Station("kthtdt", "/khen-thuong", forms=[Form(f"/khen-thuong/{w.period.id}/de-nghi", False)]),
        Station("vhxh", "/khen-thuong", forms=[Form(f"/khen-thuong/{w.period.id}/quyet-dinh", False)]),
        Station("chutich", "/"),                         # "Nhắc nhở đơn vị" on a late unit
        Station("vhxh", "/lich"),                        # the calendar feed: made …
        Station("vhxh", "/lich"),                        # … then, once it exists, revoked
        Station("anonymous", f"/mail/stop/{compose.stop_token(user('ttsnc'), 'due')}"),
        Station("anonymous", "/quen-mat-khau"),
        Station("anonymous", f"/dat-lai-mat-khau/{reset.token_for(db.session.get(User, fuzz_user))}"),
        Station("kthtdt", "/doi-mat-khau"),
        Station("ttsnc", "/nhan-thu"),
        Station("tiepnhan", f"/queue/accept?period={w.period.id}",
                _queue_versions(type(w.reviewed_report), "unit-report", w.reviewed_report.id), tick=("item",),
                extra={"/queue/accept/bulk": filters}),
    ]


def read_station(client, station):
    """The station's forms as (action, Form): each form, and the same fields posted by its other buttons
    (Biểu II.06a's "Thêm dòng" posts to its live totals, where htmx posts the form as the unit types)."""
    page = client.get(station.page)
    assert page.status_code == 200, (station.who, station.page, page.status_code)
    found = []
    for form in forms_on(station.page, page.text) + station.forms:
        for name in station.tick:
            if name in form.fields:
                form.fields[name].value = list(form.fields[name].options)
        for marker, extra in station.extra.items():
            if marker in form.action:
                for name, kind, value in extra:
                    form.fields.setdefault(name, Field(name, kind, value))
        found.append((form.action, form))
        found += [(action, Form(action, multipart, form.fields)) for action, multipart in form.buttons]
    actions = [(a, f) for a, f in found if a != "/logout"]
    return sorted(actions, key=lambda af: "/do/" in af[0] or af[0].endswith("/delete"))  # state changes last


# The query strings of the pages that read one -----------------------------------------------------

def queries(w):
    """(who, path, parameters with the values a page would send)."""
    return [
        ("anonymous", "/login", {"next": "/"}),
        ("admin", "/tasks", {"q": "cải cách", "area": "0", "unit": "0", "before": "05/09/2025", "page": "1",
                             "period": str(w.period.id)}),
        ("admin", "/ranking", {"period": str(w.period.id), "scheme": "1"}),
        ("admin", f"/ranking/{w.unit.id}", {"period": str(w.period.id), "scheme": "1"}),
        ("admin", "/ranking/export.xlsx", {"period": str(w.period.id), "sheet": str(w.sheet.id)}),
        ("thamdinh", "/queue/review", {"unit": str(w.unit.id), "period": str(w.period.id), "kind": "task-result",
                                       "sort": "due", "page": "2"}),
    ]


def fuzz_sign_in(fuzzer):
    """The one form anybody can post: every pair of malformed username and password."""
    for username in UNIVERSAL:
        for password in UNIVERSAL:
            data = {"username": _file() if username is FILE else username,
                    "password": _file() if password is FILE else password}
            data = {k: (["a", "b"] if v is ARRAY else v) for k, v in data.items() if v is not MISSING}
            fuzzer.send("POST", "/login", data, what=f"{username!r:.20} / {password!r:.20}",
                        content_type="multipart/form-data" if FILE in (username, password) else None)


def fuzz_queries(fuzzer, w, who):
    for owner, path, params in queries(w):
        if owner != who:
            continue
        for name in params:
            for value in QUERY:
                fuzzer.send("GET", path, what=f"?{name}={value!r:.40}", query_string={**params, name: value})
            fuzzer.send("GET", path, what=f"?{name} twice", query_string=[*params.items(), (name, "2")])


def fuzz_paths(fuzzer, w):
    """Ids in URLs: bounded by the converter, so absurd ones are 404s, never an overflow."""
    for template in ("/items/task-result/{}", "/tasks/{}", "/evidence/{}", "/ranking/{}", "/admin/tasks/{}",
                     "/periods/{}/consolidated", "/documents/unit-report/{}.pdf"):
        for ident in ("9" * 5000, str(MAX_ID + 1), str(2**63), "-1", "0", "١", "1e3", "%00"):
            fuzzer.send("GET", template.format(ident), what="id")
    for kind in ("\x00", "%00", "x" * 5000, "..", "task-result%00"):
        fuzzer.send("GET", f"/items/{kind}/{w.result.id}", what="kind")


# The test ------------------------------------------------------------------------------------------

def rule_of(app, path, method):
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(path).path, method=method, return_rule=True)[0].rule
    except Exception:  # noqa: BLE001 - not a route: nothing to cover
        return None


def main_pages(w):
    """Who must still get 200 where, once the fuzz is over."""
    everyone = ["/", "/tasks", f"/tasks/{w.task.id}", "/documents", "/notifications", "/cong-khai"]
    pages = {who: list(everyone) for who in [*OVERSEERS, *MEMBERS]}
    for who in MEMBERS:
        pages[who] += ["/work", "/cooperation"]
    for who in OVERSEERS:
        pages[who] += ["/ranking", f"/ranking?period={w.period.id}", f"/ranking/{w.unit.id}",
                       f"/periods/{w.period.id}/consolidated", f"/items/task-result/{w.result.id}",
                       f"/items/unit-report/{w.report.id}", f"/items/consolidated/{w.consolidated.id}"]
    pages["thamdinh"] += ["/queue/review", "/ranking/scheme"]
    pages["tiepnhan"] += ["/queue/accept"]
    pages["admin"] += ["/admin/periods", "/admin/tasks", "/admin/units", "/admin/users", f"/admin/periods/{w.period.id}",
                       "/admin/holidays"]
    pages["vhxh"] += [f"/items/task-result/{w.result.id}", f"/items/ranking/{w.sheet.id}"]
    pages["ttpvhcc"] += [f"/items/unit-report/{w.report.id}"]
    return pages


@pytest.fixture
def refusals(app):
    handler = Refusals()
    app.logger.addHandler(handler)
    yield handler
    app.logger.removeHandler(handler)


def test_malformed_input_never_answers_500(app, auth, client, seeded, refusals):
    w = build_world(seeded, os.path.join(app.instance_path, "uploads"))
    w.fresh_evidence()
    fuzz_unit = Unit(ward=w.unit.ward, code="FUZZ", name="Đơn vị thử")  # the catalogue forms edit these two
    db.session.add(fuzz_unit)
    db.session.commit()
    fuzz_user = add_user("fuzz", fuzz_unit, ["member"]).id
    places = stations(w, seeded.id, fuzz_unit.id, fuzz_user)
    fuzzer, covered = Fuzzer(client, refusals), set()
    for who in dict.fromkeys(station.who for station in places):  # anonymous first
        if who != "anonymous":
            assert auth.login(who).status_code == 303, who
        for station in (s for s in places if s.who == who):
            for action, form in read_station(client, station):
                covered.add(rule_of(app, action, "POST"))
                fuzz_form(fuzzer, form, action, station.refresh)
        fuzz_queries(fuzzer, w, who)
        if who == "anonymous":
            fuzz_sign_in(fuzzer)
        if who == "admin":
            fuzz_paths(fuzzer, w)
        if who != "anonymous":
            client.post("/logout")
    seconds = time.perf_counter() - fuzzer.started
    print(f"\nfuzz: {fuzzer.count} requests in {seconds:.1f} s; answers {dict(sorted(fuzzer.by_status.items()))}")
    assert fuzzer.failures == [], f"{len(fuzzer.failures)} answers ≥ 500:\n" + "\n".join(fuzzer.failures[:60])
    assert fuzzer.count >= FUZZ_MINIMUM
    post_rules = {r.rule for r in app.url_map.iter_rules() if "POST" in r.methods} - {"/logout"}
    assert sorted(post_rules - covered) == [], "POST routes whose forms were not fuzzed"

    broken = []
    for who, pages in main_pages(w).items():
        assert auth.login(who).status_code == 303, who
        broken += [(who, page, status) for page in pages if (status := client.get(page).status_code) != 200]
        client.post("/logout")
    assert broken == []


# What the input layer answers, field by field -----------------------------------------------------

def beside(response, field_id):
    """The messages shown beside a field (templates/_forms.html), or those of the form's hidden fields."""
    found = re.search(rf'<ul class="errors" id="{re.escape(field_id)}-errors">(.*?)</ul>', response.text, re.DOTALL)
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.DOTALL) if found else []


def test_a_file_where_text_is_expected_is_refused_beside_the_field(client, period, auth):
    response = client.post("/login", data={"username": _file(), "password": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422 and beside(response, "username") == [NOT_TEXT]

    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, done_text=_file()),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and beside(response, "done_text") == [NOT_TEXT]
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, progress=_file()),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and beside(response, "progress") == [NOT_TEXT]
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).done_text == ""  # nothing stored


REFUSED_BESIDE = [  # (field, typed, the message beside it)
    ("done_text", "Đã làm\x00xong", CONTROL_CHARS),
    ("output_text", "\x1b[2J", CONTROL_CHARS),
    ("blocked_reason", "a\x7fb\x85c", CONTROL_CHARS),
    ("progress", "5\x000", CONTROL_CHARS),
    ("work_status", "done\x00", CONTROL_CHARS),
    ("completed_on", "05/09/2025\x00", CONTROL_CHARS),
    ("completed_on", "31/12/9999", DATE_RANGE),
    ("completed_on", "31/12/1999", DATE_RANGE),
    ("completed_on", "00/00/0000", "Ngày không hợp lệ (dd/mm/yyyy)."),
    ("progress", "9" * 5000, "Vui lòng nhập một số. Ví dụ: 95,5 hoặc 1.200."),
    ("progress", "1e400", "Vui lòng nhập một số. Ví dụ: 95,5 hoặc 1.200."),
    ("progress", "NaN", "Vui lòng nhập một số. Ví dụ: 95,5 hoặc 1.200."),
]


def test_what_cannot_be_stored_is_refused_beside_its_field_and_nothing_is_saved(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    for field_id, typed, message in REFUSED_BESIDE:
        response = client.post(f"/items/task-result/{item.id}", data=result_form(item, **{field_id: typed}))
        assert response.status_code == 422 and beside(response, field_id) == [message], (field_id, typed)
        assert "\x00" not in response.text and "\x1b" not in response.text  # shown back without them
    db.session.expire_all()
    saved = db.session.get(TaskResult, item.id)
    assert (saved.version, saved.done_text) == (item.version, "")


def test_tabs_and_line_breaks_where_they_belong(auth, client, period):
    """Line breaks and tabs in multi-line text are text; a one-line field takes a tab, not a line break."""
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    typed = "Dòng một\r\n\tDòng hai\nDòng ba"
    assert client.post(f"/items/task-result/{item.id}", data=result_form(item, done_text=typed)).status_code == 303
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).done_text.replace("\r\n", "\n") == typed.replace("\r\n", "\n")

    auth.logout()
    auth.login("admin")
    unit = db.session.scalar(select(Unit).where(Unit.code == "VP"))
    data = {"code": "VP", "name": "Văn phòng\nHĐND và UBND", "receives_dossiers": "", "active": "y"}
    response = client.post(f"/admin/units/{unit.id}", data=data)
    assert response.status_code == 422 and beside(response, "name") == [LINE_BREAK]
    assert client.post(f"/admin/units/{unit.id}", data={**data, "name": "Văn phòng\tHĐND"}).status_code == 303


def test_whole_numbers_stay_within_the_database_integer(auth, client, period):
    task = result_of("7.d", period).task
    auth.login("admin")
    page = client.get(f"/admin/tasks/{task.id}")
    form = next(f for f in forms_on(f"/admin/tasks/{task.id}", page.text) if f.action.startswith("/admin/tasks/"))
    values = {name: f.value for name, f in form.fields.items() if f.value is not None}
    for typed, message in [(str(2**31), INT_RANGE), (str(2**63), INT_RANGE), (str(-(2**31) - 1), INT_RANGE),
                           ("9" * 5000, "Vui lòng nhập một số nguyên."), ("1e400", "Vui lòng nhập một số nguyên.")]:
        response = client.post(f"/admin/tasks/{task.id}", data={**values, "position": typed})
        assert response.status_code == 422 and beside(response, "position") == [message], typed
    assert client.post(f"/admin/tasks/{task.id}", data={**values, "position": str(2**31 - 1)}).status_code == 303

    report = report_of("ttpvhcc", period)
    auth.logout()
    auth.login("ttpvhcc")
    big = {**GOOD_ROW, "received_online": str(2**31)}
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [big]))
    assert response.status_code == 422 and beside(response, "dossier_rows-0-received_online") == ["Số quá lớn."]


def test_a_period_due_in_9999_is_refused_and_every_page_still_answers(auth, client, period):
    auth.login("admin")
    data = {"name": period.name, "kind": period.kind, "start_date": "01/07/2025", "end_date": "30/09/2025"}
    for due in ("31/12/9999", "01/01/2101", "31/12/1999"):
        response = client.post(f"/admin/periods/{period.id}", data={**data, "due_date": due})
        assert response.status_code == 422 and beside(response, "due_date") == [DATE_RANGE], due
    response = client.post("/admin/periods/new", data={**data, "name": "Kỳ thử", "start_date": "00/00/0000",
                                                        "due_date": "31/12/9999"})
    assert response.status_code == 422 and beside(response, "due_date") == [DATE_RANGE]
    db.session.expire_all()
    assert db.session.get(type(period), period.id).due_date.year == 2025
    for who, pages in (("admin", ["/", "/ranking", "/admin/periods"]), ("ttpvhcc", ["/", "/work", "/cooperation"]),
                       ("thamdinh", ["/queue/review", "/ranking"])):
        auth.logout()
        auth.login(who)
        assert [client.get(page).status_code for page in pages] == [200] * len(pages), who


def test_bodies_no_form_sends_are_refused_not_500(auth, client, period):
    """JSON, field names with a 5,000-digit row index, the same field twice: a 4xx or the form's own answer."""
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    url = f"/items/unit-report/{report.id}"
    for body in ([1, 2, 3], "x", {"version": [1]}, None):
        assert client.post(url, json=body).status_code in (400, 409, 422), body
    data = {**report_form(report), "sections-" + "9" * 5000: "x", "actuals-" + "9" * 5000 + "-value": "1"}
    assert client.post(url, data=data).status_code in (303, 422)
    assert client.post(f"{url}/dossier", data=data, headers={"HX-Request": "true"}).status_code == 200
    twice = MultiDict([*report_form(report).items(), ("satisfaction_rate", "101"), ("limitations", "\x00")])
    assert client.post(url, data=twice).status_code in (303, 422)


def test_the_bounds_services_share_without_a_form():
    """What the task import (and any reader of input outside a form) checks with."""
    assert forms.DATE_MIN == DATE_MIN and forms.DATE_MAX == DATE_MAX
    assert check_date(date(2025, 9, 5), "deadline") == date(2025, 9, 5)
    assert check_date(datetime(2025, 9, 5, 8), "deadline") == date(2025, 9, 5)
    for bad in (date(9999, 12, 31), date(1, 1, 1), "05/09/2025", None):
        with pytest.raises(FieldError) as refused:
            check_date(bad, "deadline")
        assert (refused.value.field, refused.value.message) == ("deadline", DATE_RANGE)
    assert check_int(2**31 - 1, "position") == 2**31 - 1
    for bad in (2**31, -(2**31) - 1, 2**63, 1.5, True, "1"):
        with pytest.raises(FieldError):
            check_int(bad, "position")
    assert [parse_id(v) for v in ("12", " 12 ", 12, "0", str(MAX_ID))] == [12, 12, 12, 0, MAX_ID]
    assert [parse_id(v) for v in ("9" * 5000, str(MAX_ID + 1), "-1", "١٢", "²", "1e3", "", None, [], 2**40)] == \
        [None] * 10
    assert text_problem("Dòng\r\n\tdòng") is None and text_problem("a\tb", multiline=False) is None
    assert text_problem("a\nb", multiline=False) == LINE_BREAK
    assert [text_problem(c) for c in "\x00\x08\x0b\x1f\x7f\x85\x9f"] == [CONTROL_CHARS] * 7
    assert clean_text("a\x00b\r\nc", multiline=False) == "ab c"
