"""Issue 15 on the Quý III situation of tests/ranking_data.py (realistic_mix, plus TTSNC's report sent on time as in
the issue), through the real services, forms and files: each unit's maximum per criterion (effective maximum) is
the bound of its self-assessment and of the appraisal, so a unit that agrees with its computed score enters it
and an appraisal that agrees keeps the computed total; every figure of the ranking page, the explanation pages,
the PDF (cells read with pdfplumber, text with pdftotext) and the .xlsx (openpyxl) lies within the maximum
printed above or beside it; the minimum basis keeps a unit with no task due out of the top band and says why."""
import re

import pytest

from workflow.extensions import db
from workflow.items import states
from workflow.models import ScoringScheme
from workflow.ranking import assessments, services
from workflow.ranking.display import cents
from workflow.ranking.exports import HEAD_TITLE

from .ranking_data import OWNERS, Q3, period, plan, realistic_mix, send_report, unit, user, with_min_basis  # noqa: F401
from .test_documents import flat, nfc, run
from .test_ranking_exports import PAGE_CELL, PAGE_ROW, _first_line, download, pdf_header, pdf_table, workbook
from .test_ranking_scheme import scheme_form
from .test_self_assessment import appraisal_form, assessment, self_form

FIGURE = re.compile(r"-?\d+,\d\d")
CORRECTION = re.compile(r"^(Trừ tối đa|Vượt mức tối đa|Tổng điểm không âm)")
CRITERIA = range(3, 10)  # the criterion columns of the PDF and the workbook (after Hạng, Đơn vị, Cơ sở)
TTSNC_LEFT_OUT = "“Nhiệm vụ chủ trì hoàn thành đúng hạn”, “Chỉ tiêu được giao đạt”, “Đầy đủ minh chứng”"


def hundredths(text):
    whole, frac = text.strip().split(",")
    return (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(frac))


def typed(points):
    """A score as a unit types it: "16,88"."""
    return f"{points:.2f}".replace(".", ",")


def within(value, wording, where):
    """`value` (hundredths) lies within the maximum worded as "tối đa X" / "cộng tối đa X" / "trừ tối đa X"."""
    top = hundredths(FIGURE.search(wording).group())
    if wording.startswith("trừ"):
        assert -top <= value <= 0, (where, value, wording)
    else:
        assert 0 <= value <= top, (where, value, wording)


@pytest.fixture
def quarter(plan):
    realistic_mix()
    send_report("TTSNC", Q3)  # the issue: TTSNC, no task due, one report sent on time
    return period(Q3)


def self_assess_at_computed(client, auth, code):
    """The unit enters every computed score as its page shows it and sends it (HTTP, as the unit)."""
    item = assessment(code)
    computed = assessments.computed_scores(item)
    auth.login(OWNERS[code])
    data = self_form(item, {c: typed(v) for c, v in computed.items()})
    data["then"] = "submit"
    response = client.post(f"/items/self-assessment/{item.id}", data=data)
    assert response.status_code == 303, (code, re.findall(r'class="error"[^>]*>([^<]+)', response.text))
    auth.logout()
    db.session.expire_all()
    assert assessment(code).state == "submitted", code
    return computed


def appraise_as_the_unit(client, auth, code):
    item = assessment(code)
    auth.login("thamdinh")
    data = appraisal_form(item, {})  # every line at the unit's score
    data["then"] = "review"
    assert client.post(f"/items/self-assessment/{item.id}/appraisal", data=data).status_code == 303, code
    auth.logout()
    db.session.expire_all()
    assert assessment(code).state == "reviewed", code


def test_units_enter_their_computed_scores_and_every_figure_is_within_its_printed_maximum(
        plan, quarter, client, auth, tmp_path):
    q3 = str(quarter.id)
    before = {s.score.unit.code: s.score for s in services.ranking(user("chutich"), plan, q3)["standings"]}
    assert before["TTSNC"].scale == 3 and before["VP"].scale != 1  # the rescaled units

    over_the_scheme = []
    for code in OWNERS:
        computed = self_assess_at_computed(client, auth, code)
        over_the_scheme += [c for c, v in computed.items() if v > assessment(code).line(c).max_points]
    assert over_the_scheme  # some computed scores exceed the scheme's maximum, and were accepted
    auth.login("ttsnc")
    page = client.get(f"/items/self-assessment/{assessment('TTSNC').id}").text
    assert f"tối đa 45,00 = 15,00 × 3 vì không tính {TTSNC_LEFT_OUT}" in page
    auth.logout()

    for code in OWNERS:
        appraise_as_the_unit(client, auth, code)
    after = {s.score.unit.code: s.score for s in services.ranking(user("chutich"), plan, q3)["standings"]}
    for code, score in after.items():
        assert score.basis == "appraised", code
        assert cents(score.appraised_total) == cents(score.total) == cents(before[code].total), code

    auth.login("chutich")
    check_ranking_page(client.get(f"/ranking?period={q3}").text)
    for code in OWNERS:
        check_explanation(client.get(f"/ranking/{unit(code).id}?period={q3}").text, code)
    check_pdf(download(client, f"/ranking/export.pdf?period={q3}", tmp_path, "q3.pdf")[0])
    check_workbook(download(client, f"/ranking/export.xlsx?period={q3}", tmp_path, "q3.xlsx")[0])


def check_ranking_page(html):
    """The four score columns print the scale (tối đa 100,00); every row's scores are within it."""
    scale = re.findall(r'<small class="muted max">(tối đa [\d,]+)</small>', html)
    assert scale == ["tối đa 100,00"] * 4
    rows = PAGE_ROW.findall(html)
    assert len(rows) == len(OWNERS)
    for code, row in rows:
        cells = [_first_line(c) for c in PAGE_CELL.findall(row)]
        assert "nhiệm vụ" in cells[2] and "báo cáo đến hạn" in cells[2]  # the basis of the score
        for figure in cells[3:7]:
            within(hundredths(figure), scale[0], code)


def check_explanation(html, code):
    """Each criterion: its maximum beside it (with how it arises when rescaled), its computed, self and
    appraised points and its lines within it; a criterion that does not apply reads "không áp dụng"."""
    parts = re.findall(r'<tbody id="part-(\w+)">(.*?)</tbody>', html, re.S)
    assert len(parts) == 7
    for criterion, body in parts:
        wording = re.search(r'<small class="muted max"> · (.*?)</small>', body).group(1)
        head = body.split("</tr>", 1)[0].split("</th>", 1)[1]  # the part's row after its title cell
        # the lines, but not the corrections that bring an over-the-cap sum back within the maximum
        lines = re.findall(r'<tr><td>(.*?)</td><td class="nowrap">(-?\d+,\d\d)</td>', body)
        figures = FIGURE.findall(head) + [f for text, f in lines if not CORRECTION.search(text)]
        if wording == "không áp dụng":
            assert "không áp dụng" in head and all(hundredths(f) == 0 for f in figures), (code, criterion)
            continue
        if "×" in wording:
            assert " vì không tính " in wording, wording
        for figure in figures:
            within(hundredths(figure), wording, (code, criterion))


def check_cell(text, wording, where):
    if text == "không áp dụng":
        return False
    if " /" in text:  # the unit's own maximum under its points
        points, top = text.split(" /")
        assert wording == "tối đa theo đơn vị", where
        within(hundredths(points), f"tối đa {top}", where)
        return hundredths(points) > 1500
    within(hundredths(text), wording, where)
    return False


def header_wordings(titles):
    return [re.search(r"\(([^()]*)\)$", titles[i]).group(1) for i in CRITERIA]


def check_pdf(path):
    header = pdf_header(path)
    assert header[-1] == HEAD_TITLE
    wordings = header_wordings(header)
    assert "tối đa theo đơn vị" in wordings
    above_fifteen = False
    for row in pdf_table(path):
        for i, wording in zip(CRITERIA, wordings):
            above_fifteen |= check_cell(row[i], wording, (row[1], header[i]))
    assert above_fifteen  # TTSNC's 45,00 /45,00: the figure, now under its own maximum
    text = flat(nfc(run("pdftotext", str(path), "-")))
    assert "tối đa theo đơn vị" in text and "không áp dụng" in text and "/45,00" in text


def check_workbook(path):
    book = workbook(path)
    wordings = header_wordings(book.titles)
    for values, cells in zip(book.rows, book.cells):
        for i, wording in zip(CRITERIA, wordings):
            value, fmt = values[i], cells[i].number_format
            if isinstance(value, str):
                assert value == "không áp dụng", (values[1], value)
                continue
            own = re.search(r'/(\d+,\d\d)', fmt)
            text = typed(value) + (f" /{own.group(1)}" if own else "")
            check_cell(text, wording, (values[1], book.titles[i]))
    assert any("Người đứng đầu" in (v[-1] or "") for v in book.rows)


def appraise_at_the_maximum(code):
    """The unit's self-assessment sent at its computed scores, appraised at each criterion's maximum."""
    item = assessment(code)
    live = assessments.live_lines(item)
    lines = [(None if line.kind == "bonus" else live[line.code].points, "") for line in item.lines]
    assessments.save_self(user(OWNERS[code]), item, {"lines": lines, "initiatives": []}, item.version)
    states.perform(user(OWNERS[code]), item, "submit", item.version)
    top = [(0.0 if line.kind == "penalty" or live[line.code].max_cents is None else live[line.code].max_cents / 100,
            "Đạt mức tối đa") for line in item.lines]
    assessments.save_appraisal(user("thamdinh"), item, {"lines": top, "awards": []}, item.version)
    states.perform(user("thamdinh"), item, "review", item.version)


def test_a_unit_with_no_task_due_does_not_get_the_top_band_and_its_row_says_why(plan, client, auth):
    send_report("TTSNC", Q3)
    appraise_at_the_maximum("TTSNC")  # 45 + 45: 90,00, the top band's score, on one report and no task
    q3 = str(period(Q3).id)
    score = next(s.score for s in services.ranking(user("chutich"), plan, q3)["standings"] if s.score.unit.code == "TTSNC")
    assert cents(score.final) == 9000 and score.tasks_due == 0 and score.reports_due == 1
    why = "Chưa đủ cơ sở xếp loại cao nhất: 0/3 nhiệm vụ đến hạn"
    assert (score.band, score.band_note) == ("Hoàn thành tốt nhiệm vụ", why)

    auth.login("chutich")
    row = dict(PAGE_ROW.findall(client.get(f"/ranking?period={q3}").text))["TTSNC"]
    assert why in row and "Hoàn thành tốt nhiệm vụ" in row and "xuất sắc" not in row
    assert "0 nhiệm vụ, 1 báo cáo đến hạn" in row
    assert "Người đứng đầu hoàn thành tốt trách nhiệm về CCHC" in row
    explained = client.get(f"/ranking/{unit('TTSNC').id}?period={q3}").text
    assert why in explained and "Người đứng đầu hoàn thành tốt trách nhiệm về CCHC" in explained

    with_min_basis(plan, 0)  # the rule switched off by a new scheme version: the score's band again
    row = dict(PAGE_ROW.findall(client.get(f"/ranking?period={q3}").text))["TTSNC"]
    assert "Hoàn thành xuất sắc nhiệm vụ" in row and "Chưa đủ cơ sở" not in row
    assert "Người đứng đầu hoàn thành xuất sắc trách nhiệm về CCHC" in row


def test_the_minimum_basis_and_the_heads_wording_are_edited_as_a_new_version(plan, client, auth):
    auth.login("thamdinh")
    page = client.get("/ranking/scheme").text
    assert 'name="min_top_tasks"' in page and "Người đứng đầu hoàn thành xuất sắc trách nhiệm về CCHC" in page
    for bad, message in (("abc", "Vui lòng nhập một số"), ("1,5", "số nguyên"), ("101", "Từ 0 đến 100.")):
        response = client.post("/ranking/scheme", data=scheme_form(min_top_tasks=bad))
        assert response.status_code == 422 and message in response.text, bad
        assert 'id="min_top_tasks-errors"' in response.text or "min_top_tasks" in response.text
    response = client.post("/ranking/scheme", data=scheme_form(**{"bands-1-head": " "}))
    assert response.status_code == 422 and "Vui lòng nhập đánh giá trách nhiệm người đứng đầu." in response.text

    wording = "Người đứng đầu được đánh giá hoàn thành tốt trách nhiệm"
    assert client.post("/ranking/scheme", data=scheme_form(min_top_tasks="2", **{"bands-1-head": wording})).status_code == 303
    db.session.expire_all()
    old, new = db.session.query(ScoringScheme).order_by(ScoringScheme.version).all()
    assert (old.min_top_tasks, new.min_top_tasks, new.active) == (3, 2, True)
    assert old.bands[1].head_assessment == "Người đứng đầu hoàn thành tốt trách nhiệm về CCHC"
    assert new.bands[1].head_assessment == wording


def test_a_score_above_the_units_maximum_is_refused_saying_how_it_arises_and_the_sheet_keeps_the_basis(
        plan, client, auth):
    send_report("TTSNC", Q3)
    item = assessment("TTSNC")
    auth.login("ttsnc")
    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"reports": "45,01"}))
    assert response.status_code == 422 and 'id="lines-1-points-errors"' in response.text
    assert f"Điểm từ 0 đến 45 (tối đa 45,00 = 15,00 × 3 vì không tính {TTSNC_LEFT_OUT})." in response.text
    response = client.post(f"/items/self-assessment/{item.id}", data=self_form(item, {"tasks": "1"}))
    assert response.status_code == 422 and "Tiêu chí không áp dụng cho đơn vị: điểm 0." in response.text
    auth.logout()

    from workflow.ranking import sheets
    sheet = sheets.make(user("thamdinh"), period(Q3))
    row = next(r for r in sheet.rows if r["code"] == "TTSNC")
    assert (row["tasks_due"], row["reports_due"], row["maxima"][:3]) == (0, 1, [None, 4500, 4500])
    assert row["head"] == "Người đứng đầu hoàn thành tốt trách nhiệm về CCHC"  # 45 + 33,75 (Khá): 78,75
    assert all(c <= (m or 0) for c, m, kind in zip(row["criteria"], row["maxima"], [c[2] for c in sheet.columns])
               if kind != "penalty")
    auth.login("thamdinh")
    page = client.get(f"/items/{sheet.KIND}/{sheet.id}").text
    assert "0 nhiệm vụ, 1 báo cáo đến hạn" in page and row["head"] in page
