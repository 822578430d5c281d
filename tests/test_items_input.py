"""Malformed and hostile input on the workflow pages: a clear 4xx, never a 500, never misfiled data."""
import pytest

from workflow.extensions import db
from workflow.items import services, states
from workflow.models import TaskResult, UnitReport

from .test_items_edit import GOOD_ROW, report_form, result_form
from .items_support import add_user, ready, report_of, result_of, user


def test_save_without_version_is_refused(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    data = result_form(item)
    del data["version"]
    response = client.post(f"/items/task-result/{item.id}", data={**data, "then": "submit"})
    assert response.status_code == 422 and "thiếu phiên bản" in response.text
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).state == "draft"


@pytest.mark.parametrize("url", ["/items/task-result/99999999999999999999", "/evidence/99999999999999999999",
                                 "/tasks/99999999999999999999"])
def test_absurd_ids_are_404(auth, client, period, url):
    auth.login("thamdinh")
    assert client.get(url).status_code == 404


def test_absurd_filters_and_bulk_keys_do_not_break_the_queue(auth, client, period):
    auth.login("thamdinh")
    assert client.get("/queue/review?unit=²&period=99999999999999999999&kind=x").status_code == 200
    response = client.post("/queue/review/bulk", data={"item": ["task-result:99999999999999999999", "nope:1",
                                                                "unit-report:abc"]})
    assert response.status_code == 200 and response.text.count("Không tìm thấy hồ sơ.") == 3


@pytest.mark.parametrize("changes,message", [
    ({"actuals-1-value": "Infinity"}, "Vui lòng nhập một số."),
    ({"actuals-1-value": "2e9"}, "Nhập một số từ 0 đến 1.000.000.000."),
    ({"actuals-1-value": "NaN"}, "Vui lòng nhập một số."),
    ({"satisfaction_rate": "NaN"}, "Vui lòng nhập một số."),
])
def test_non_finite_numbers_are_refused(auth, client, period, changes, message):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [GOOD_ROW], **changes))
    assert response.status_code == 422 and message in response.text


def test_huge_dossier_counts_are_refused(auth, client, period):
    report = report_of("ttpvhcc", period)
    big = {k: (v * 10**12 if isinstance(v, int) else v) for k, v in GOOD_ROW.items()}
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [big]))
    assert response.status_code == 422 and "Số quá lớn." in response.text


def test_sparse_or_extra_section_rows_are_refused_not_misfiled(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    sparse = report_form(report, [GOOD_ROW])
    del sparse["sections-0"]
    response = client.post(f"/items/unit-report/{report.id}", data=sparse)
    assert response.status_code == 422 and "không khớp" in response.text
    extra = report_form(report, [GOOD_ROW], **{"sections-9": "x", "satisfaction_rate": "101"})
    assert client.post(f"/items/unit-report/{report.id}", data=extra).status_code == 422
    db.session.expire_all()
    assert all(s.body == "" for s in db.session.get(UnitReport, report.id).sections)


def test_units_without_dossiers_cannot_post_the_table(auth, client, period):
    report = report_of("vp", period)
    auth.login("vp")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [GOOD_ROW]))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(UnitReport, report.id).dossier_rows == []


def test_non_owner_gets_403_before_any_validation(auth, client, period):
    item = result_of("7.d", period)
    auth.login("thamdinh")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, progress="abc"))
    assert response.status_code == 403


def test_a_reason_posted_with_withdraw_is_not_a_return_reason(auth, client, period):
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    auth.login("ttpvhcc")
    client.post(f"/items/task-result/{item.id}/do/withdraw", data={"version": item.version, "reason": "tự rút"})
    db.session.expire_all()
    item = db.session.get(TaskResult, item.id)
    assert item.state == "draft" and item.return_reason is None and not item.is_returned
    assert services.history(item)[-1].reason is None


def test_contribution_is_settled_once_reviewed(auth, client, period):
    item = result_of("3.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    states.perform(user("thamdinh"), item, "review", item.version)
    auth.login("vhxh")
    assert client.post(f"/items/task-result/{item.id}/contribution", data={"note": "muộn"}).status_code == 409


def test_bulk_review_reports_each_item(auth, client, period):
    good, stale, draft = result_of("7.d", period), result_of("3.a", period), result_of("3.b", period)
    for item in (good, stale):
        states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    auth.login("thamdinh")
    response = client.post("/queue/review/bulk", data={
        "item": [f"task-result:{good.id}", f"task-result:{stale.id}", f"task-result:{draft.id}"],
        f"version-task-result:{good.id}": good.version, f"version-task-result:{stale.id}": stale.version - 1,
        f"version-task-result:{draft.id}": draft.version})
    assert response.status_code == 200
    assert "1 xong, 2 bị từ chối" in response.text
    db.session.expire_all()
    assert [db.session.get(TaskResult, i.id).state for i in (good, stale, draft)] == ["reviewed", "submitted", "draft"]


def test_bulk_in_the_review_queue_never_accepts(auth, client, period):
    add_user("hai.vai", user("thamdinh").unit, ["reviewer", "acceptor"])
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    states.perform(user("thamdinh"), item, "review", item.version)
    auth.login("hai.vai")
    client.post("/queue/review/bulk", data={"item": [f"task-result:{item.id}"],
                                            f"version-task-result:{item.id}": item.version})
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).state == "reviewed"


@pytest.mark.parametrize("kind", ["unit-report", "task-result"])
def test_item_page_query_count_is_fixed(auth, client, period, count_queries, kind):
    item = report_of("ttpvhcc", period) if kind == "unit-report" else result_of("3.d", period)
    auth.login("ttpvhcc")
    client.get(f"/items/{kind}/{item.id}")
    with count_queries() as counter:
        assert client.get(f"/items/{kind}/{item.id}").status_code == 200
    assert counter.count <= 12, counter.statements


def test_change_view_lists_evidence_added_after_a_return(auth, client, period, app, tmp_path):
    from io import BytesIO
    from weasyprint import HTML
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    states.perform(user("thamdinh"), item, "return", item.version, "Thiếu minh chứng")
    auth.login("ttpvhcc")
    pdf = HTML(string="<p>Biên bản</p>").write_pdf()
    client.post(f"/items/task-result/{item.id}/evidence", data={"file": (BytesIO(pdf), "bien-ban.pdf")},
                content_type="multipart/form-data")
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    auth.logout()
    auth.login("thamdinh")
    page = client.get(f"/items/task-result/{item.id}").text
    assert "Minh chứng" in page and "bien-ban.pdf" in page


def test_follow_up_page_is_for_those_who_consolidate(auth, client, period):
    auth.login("kthtdt")
    assert client.get(f"/periods/{period.id}/consolidated").status_code == 403
    auth.logout()
    auth.login("chutich")
    page = client.get(f"/periods/{period.id}/consolidated")
    assert page.status_code == 200 and "Hồ sơ chưa được tiếp nhận" in page.text
