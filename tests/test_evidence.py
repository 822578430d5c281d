"""Evidence files: type by content, size limit, random stored names, sha256, duplicates, who may do what."""
import functools
import hashlib
import io
import os
import re
import zipfile

import pytest
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select, update
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from workflow.extensions import db
from workflow.items import evidence, services, states
from workflow.models import Evidence, ReportingPeriod, TaskResult, UnitReport
from workflow.validation import FieldError

from .items_support import ready, result_of, user


MB = 1024 * 1024
LIMIT = 20 * MB
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED_TYPE = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG"


# --- real small files ---------------------------------------------------------------------------------

@functools.cache
def pdf_bytes():
    import weasyprint
    return weasyprint.HTML(string="<p>Minh chứng ISO 9001:2015</p>").write_pdf()


def image_bytes(fmt, colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, fmt)
    return buffer.getvalue()


def zip_bytes(members):
    """Fixed member dates, so the same members give the same bytes (the duplicate tests rely on it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 9, 1, 8, 0, 0)), text)
    return buffer.getvalue()


def docx_bytes(extra=None):
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document>Minh chứng</w:document>",
                      **(extra or {})})


@functools.cache  # openpyxl stamps the time of saving: one workbook per run, so it is the same file
def xlsx_bytes():
    workbook = Workbook()
    workbook.active.append(["Chỉ tiêu", "Kết quả"])
    workbook.active.append(["Tỷ lệ hài lòng", 95])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ACCEPTED = {  # uploaded name: (bytes, sniffed extension, content type)
    "Biên bản kiểm tra ISO.pdf": (pdf_bytes, "pdf", "application/pdf"),
    "Ảnh Bộ phận Một cửa.png": (lambda: image_bytes("PNG"), "png", "image/png"),
    "Ảnh tiếp dân.jpg": (lambda: image_bytes("JPEG"), "jpg", "image/jpeg"),
    "Báo cáo kết quả.docx": (docx_bytes, "docx", DOCX_TYPE),
    "Số liệu quý III.xlsx": (xlsx_bytes, "xlsx", XLSX_TYPE),
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


# --- fixtures and helpers -----------------------------------------------------------------------------

@pytest.fixture
def ours(period):
    """Task 7.d, led by TTPVHCC: the unit of the `ttpvhcc` officer."""
    return result_of("7.d", period)


@pytest.fixture
def theirs(period):
    """Task 2.a, led by VP, KTHTDT cooperating."""
    return result_of("2.a", period)


@pytest.fixture
def our_report(period):
    return db.session.scalar(select(UnitReport).where(UnitReport.unit_id == user("ttpvhcc").unit_id,
                                                      UnitReport.period_id == period.id))


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    """This test's own instance folder: conftest's CCHC_INSTANCE_PATH is set once per session (setdefault),
    so without this every test would share the first test's uploads folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    return tmp_path / "instance" / "uploads"


@pytest.fixture
def folder(tmp_path):
    """The upload folder of service-level tests (tmp_path itself holds the test database)."""
    return tmp_path / "uploads"


def files_in(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def evidence_count():
    return db.session.scalar(select(func.count()).select_from(Evidence))


def add(item, data, name="minh-chung.pdf", who="ttpvhcc", folder=None, max_bytes=LIMIT):
    return evidence.attach(user(who), item, io.BytesIO(data), name, str(folder), max_bytes)


def post_file(client, item, data, name, **kwargs):
    return client.post(f"/items/{item.KIND}/{item.id}/evidence", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", **kwargs)


HTMX = {"HX-Request": "true"}


# --- sniffing -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ACCEPTED)
def test_sniff_knows_each_accepted_type_by_content(name):
    make, ext, content_type = ACCEPTED[name]
    data = make()
    assert evidence.sniff(data[:16], io.BytesIO(data)) == (ext, content_type)


@pytest.mark.parametrize("data,message", [
    (EXE, REFUSED_TYPE),
    (b"Day la mot tep van ban, khong phai PDF.\n", REFUSED_TYPE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "định dạng cũ (.doc, .xls)"),
    (zip_bytes({"readme.txt": "xin chào", "setup.exe": "MZ"}), REFUSED_TYPE),
    (b"PK\x03\x04" + b"\x00" * 100, "Tệp bị hỏng"),
    (docx_bytes({"word/vbaProject.bin": "macro"}), "có macro"),
    (b"GIF89a" + b"\x00" * 20, REFUSED_TYPE),
], ids=["exe", "text", "old-office", "other-zip", "corrupt-zip", "docm", "gif"])
def test_sniff_refuses_everything_else_naming_the_accepted_types(data, message):
    with pytest.raises(FieldError) as refused:
        evidence.sniff(data[:16], io.BytesIO(data))
    assert refused.value.field == "file"
    assert message in refused.value.message
    assert "PDF" in refused.value.message and "PNG" in refused.value.message


# --- the service ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ACCEPTED)
def test_attach_stores_under_a_random_name_with_sha256(ours, folder, name):
    make, ext, content_type = ACCEPTED[name]
    data = make()
    added = add(ours, data, name, folder=folder)
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{ext}", added.stored_name)
    assert files_in(folder) == [added.stored_name]  # and no temp file left behind
    assert (folder / added.stored_name).read_bytes() == data
    assert added.sha256 == hashlib.sha256(data).hexdigest()
    assert (added.original_name, added.content_type, added.size) == (name, content_type, len(data))
    assert (added.item_kind, added.item_id, added.uploaded_by.username) == ("task-result", ours.id, "ttpvhcc")


def test_stored_names_differ_for_the_same_name(ours, our_report, folder):
    first = add(ours, pdf_bytes(), "bao-cao.pdf", folder=folder)
    second = add(our_report, pdf_bytes(), "bao-cao.pdf", folder=folder)
    assert first.stored_name != second.stored_name
    assert "bao-cao" not in first.stored_name + second.stored_name


@pytest.mark.parametrize("data,name,message", [
    (EXE, "ke-hoach.pdf", REFUSED_TYPE),
    (b"%PDX not quite\n", "ke-hoach.pdf", REFUSED_TYPE),
    (zip_bytes({"a.txt": "x"}), "bao-cao.docx", REFUSED_TYPE),
    (b"", "rong.pdf", "Tệp rỗng"),
    (b"%PDF-1.4\n" + b"0" * (MB + 1), "lon.pdf", "Tệp vượt quá giới hạn 1 MB."),
], ids=["exe", "text", "zip", "empty", "oversize"])
def test_refused_upload_leaves_no_file_and_no_row(ours, folder, data, name, message):
    with pytest.raises(FieldError, match=re.escape(message)):
        add(ours, data, name, folder=folder, max_bytes=MB)
    assert files_in(folder) == []
    assert evidence_count() == 0


def test_limit_is_inclusive(ours, folder):
    data = b"%PDF-1.4\n" + b"0" * (MB - 9)
    assert add(ours, data, folder=folder, max_bytes=MB).size == MB


def test_same_file_twice_on_one_item_is_refused_naming_the_first(ours, our_report, folder):
    data = image_bytes("PNG")
    add(ours, data, "Ảnh hội nghị.png", folder=folder)
    with pytest.raises(FieldError, match="đã được đính kèm vào hồ sơ với tên “Ảnh hội nghị.png”"):
        add(ours, data, "ten-khac.png", folder=folder)
    assert evidence_count() == 1 and len(files_in(folder)) == 1
    add(our_report, data, "ten-khac.png", folder=folder)  # another item: fine
    assert evidence_count() == 2 and len(files_in(folder)) == 2


def test_only_the_owning_unit_attaches(ours, theirs, folder):
    with pytest.raises(Forbidden):
        add(ours, pdf_bytes(), who="vp", folder=folder)
    with pytest.raises(Forbidden):
        add(theirs, pdf_bytes(), who="kthtdt", folder=folder)  # cooperating unit: sees it, does not own it
    with pytest.raises(Forbidden):
        add(ours, pdf_bytes(), who="thamdinh", folder=folder)
    assert files_in(folder) == [] and evidence_count() == 0


def test_submitted_item_takes_no_evidence(ours, folder):
    states.perform(user("ttpvhcc"), ready(ours), "submit", ours.version)
    with pytest.raises(Conflict):
        add(ours, pdf_bytes(), folder=folder)
    assert files_in(folder) == [] and evidence_count() == 0


def test_a_submit_that_lands_mid_upload_wins(ours, folder):
    """The item was a draft when the upload began; another request submits it before the row is written."""
    officer = user("ttpvhcc")
    assert ours.state == "draft"
    with db.engine.begin() as other_request:
        other_request.execute(update(TaskResult).where(TaskResult.id == ours.id).values(state="submitted"))
    with pytest.raises(Conflict):
        evidence.attach(officer, ours, io.BytesIO(pdf_bytes()), "x.pdf", str(folder), LIMIT)
    assert files_in(folder) == [] and evidence_count() == 0


def test_remove_deletes_row_and_file_while_draft(ours, folder):
    added = add(ours, pdf_bytes(), folder=folder)
    with pytest.raises(Forbidden):
        evidence.remove(user("vp"), added, ours, str(folder))
    evidence.remove(user("ttpvhcc"), added, ours, str(folder))
    assert files_in(folder) == [] and evidence_count() == 0


def test_remove_after_submit_is_409(ours, folder):
    added = add(ours, pdf_bytes(), folder=folder)
    states.perform(user("ttpvhcc"), ready(ours), "submit", ours.version)
    with pytest.raises(Conflict):
        evidence.remove(user("ttpvhcc"), added, ours, str(folder))
    assert len(files_in(folder)) == 1 and evidence_count() == 1


def test_remove_checks_the_file_belongs_to_the_item(ours, our_report, folder):
    added = add(ours, pdf_bytes(), folder=folder)
    with pytest.raises(NotFound):
        evidence.remove(user("ttpvhcc"), added, our_report, str(folder))


def test_open_for_download_only_for_who_may_see_the_item(ours, theirs, folder):
    added = add(ours, pdf_bytes(), folder=folder)
    found, path = evidence.open_for_download(user("thamdinh"), added.id, str(folder))
    assert found.id == added.id and path == str(folder / added.stored_name)
    for who in ("vp", "kthtdt", "vhxh"):
        with pytest.raises(NotFound):
            evidence.open_for_download(user(who), added.id, str(folder))
    with pytest.raises(NotFound):
        evidence.open_for_download(user("ttpvhcc"), added.id + 1000, str(folder))
    coop = add(theirs, pdf_bytes(), who="vp", folder=folder)
    assert evidence.open_for_download(user("kthtdt"), coop.id, str(folder))[0].id == coop.id


def test_listing_is_one_query_in_upload_order(ours, our_report, theirs, folder, count_queries):
    first = add(ours, pdf_bytes(), "1.pdf", folder=folder)
    second = add(ours, image_bytes("PNG"), "2.png", folder=folder)
    add(theirs, image_bytes("JPEG"), "3.jpg", who="vp", folder=folder)
    db.session.expire_all()  # nothing cached: the uploaders must come with the files
    db.session.refresh(ours)
    with count_queries() as counter:
        listed = evidence.for_item(ours)
        assert [e.uploaded_by.full_name for e in listed] == ["Đỗ Quang Huy"] * 2
    assert [e.id for e in listed] == [first.id, second.id]
    assert counter.count == 1


@pytest.mark.parametrize("raw,clean", [
    ("C:\\Users\\huy\\Desktop\\Báo cáo quý III.pdf", "Báo cáo quý III.pdf"),
    ("../../etc/passwd", "passwd"),
    ("Biên\x00 bản\n họp.docx", "Biên bản họp.docx"),
    ("ảnh\u202egpj.exe", "ảnhgpj.exe"),  # a right-to-left override would show it as "ảnhexe.jpg"
    ('a<b>:"c"|?*.png', "abc.png"),
    ("   ", "tep-dinh-kem"),
    (None, "tep-dinh-kem"),
    ("Nghiệm thu " + "đ" * 300 + ".xlsx", "Nghiệm thu " + "đ" * 239 + ".xlsx"),
])
def test_original_name_is_cleaned_for_display(raw, clean):
    assert evidence.clean_name(raw) == clean
    assert len(evidence.clean_name(raw)) <= 255


def test_combined_marks_become_precomposed():
    decomposed = "Bie\u0302\u0301n ba\u0309n.pdf"
    assert evidence.clean_name(decomposed) == "Biến bản.pdf"


@pytest.mark.parametrize("name,content_type,shown", [
    ("Báo cáo.pdf", "application/pdf", "Báo cáo.pdf"),
    ("Ảnh.JPEG", "image/jpeg", "Ảnh.JPEG"),
    ("Ảnh.pdf", "image/png", "Ảnh.pdf.png"),
    ("so-lieu", XLSX_TYPE, "so-lieu.xlsx"),
])
def test_download_name_ends_with_the_sniffed_type(name, content_type, shown):
    assert Evidence(original_name=name, content_type=content_type).download_name == shown


# --- the routes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ACCEPTED)
def test_upload_then_download_byte_identical(auth, client, ours, upload_dir, name):
    make, _ext, content_type = ACCEPTED[name]
    data = make()
    auth.login("ttpvhcc")
    response = post_file(client, ours, data, name)
    assert response.status_code == 303
    assert response.location == f"/items/task-result/{ours.id}"
    added = db.session.scalar(select(Evidence))
    assert files_in(upload_dir) == [added.stored_name]
    assert added.sha256 == hashlib.sha256(data).hexdigest()
    page = client.get(response.location)
    assert f"Đã đính kèm “{name}”." in page.text
    assert name in page.text and added.sha256[:12] in page.text
    download = client.get(f"/evidence/{added.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "private" in download.headers["Cache-Control"]
    _, options = download.headers["Content-Disposition"].split(";", 1)
    from werkzeug.http import parse_options_header
    assert parse_options_header("x;" + options)[1]["filename"] == name


def test_exe_renamed_pdf_is_refused_with_422_and_nothing_kept(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    response = post_file(client, ours, EXE, "ke-hoach.pdf")
    assert response.status_code == 422
    assert REFUSED_TYPE in response.text
    assert "<html" in response.text and 'id="evidence"' in response.text  # a page of its own without htmx
    assert files_in(upload_dir) == [] and evidence_count() == 0


def test_text_renamed_pdf_and_foreign_zip_are_refused(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    for data, name in [(b"Chi la van ban.\n", "bao-cao.pdf"), (zip_bytes({"x/y.xml": "<a/>"}), "bao-cao.xlsx")]:
        response = post_file(client, ours, data, name, headers=HTMX)
        assert response.status_code == 422
        assert REFUSED_TYPE in response.text
    assert files_in(upload_dir) == [] and evidence_count() == 0


def test_missing_file_has_a_vietnamese_message(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{ours.id}/evidence", data={}, content_type="multipart/form-data",
                           headers=HTMX)
    assert response.status_code == 422
    assert "Vui lòng chọn tệp minh chứng cần đính kèm." in response.text


def test_htmx_answers_with_the_section_only(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    ok = post_file(client, ours, pdf_bytes(), "Biên bản.pdf", headers=HTMX)
    assert ok.status_code == 200
    assert ok.text.lstrip().startswith('<section class="card evidence" id="evidence"')
    assert "Đã đính kèm “Biên bản.pdf”." in ok.text and "Biên bản.pdf</a>" in ok.text
    assert f'hx-post="/items/task-result/{ours.id}/evidence"' in ok.text
    assert "HX-Request" in ok.headers["Vary"]
    again = post_file(client, ours, pdf_bytes(), "Lần hai.pdf", headers=HTMX)
    assert again.status_code == 422
    assert "<html" not in again.text
    assert "đã được đính kèm vào hồ sơ với tên “Biên bản.pdf”" in again.text
    with client.session_transaction() as session:
        assert not session.get("_flashes")  # nothing left to pop up on the next page


def test_same_file_on_another_item_is_accepted(auth, client, ours, our_report, upload_dir):
    auth.login("ttpvhcc")
    assert post_file(client, ours, xlsx_bytes(), "a.xlsx").status_code == 303
    assert post_file(client, ours, xlsx_bytes(), "b.xlsx").status_code == 422
    assert post_file(client, our_report, xlsx_bytes(), "b.xlsx").status_code == 303
    assert evidence_count() == 2


class TestSizeLimit:
    @pytest.fixture
    def app_config(self):
        return {"UPLOAD_MAX_MB": 1}

    def test_just_over_the_limit_reaches_the_view_and_is_refused(self, auth, client, ours, upload_dir):
        auth.login("ttpvhcc")
        response = post_file(client, ours, b"%PDF-1.4\n" + b"0" * (3 * MB // 2), "lon.pdf")
        assert response.status_code == 422
        assert "Tệp vượt quá giới hạn 1 MB." in response.text
        assert files_in(upload_dir) == [] and evidence_count() == 0

    def test_far_over_the_limit_is_413_with_the_message_in_the_section(self, auth, client, ours, upload_dir):
        auth.login("ttpvhcc")
        response = post_file(client, ours, b"%PDF-1.4\n" + b"0" * (5 * MB // 2), "rat-lon.pdf", headers=HTMX)
        assert response.status_code == 413
        assert 'id="evidence"' in response.text and "<html" not in response.text
        assert "Tệp vượt quá giới hạn 1 MB." in response.text
        assert files_in(upload_dir) == [] and evidence_count() == 0

    def test_hint_shows_the_configured_limit(self, auth, client, ours, upload_dir):
        auth.login("ttpvhcc")
        assert "tối đa 1 MB mỗi tệp" in client.get(f"/items/task-result/{ours.id}").text


def test_other_units_cannot_download_reviewer_can(auth, client, ours, upload_dir):
    add(ours, pdf_bytes(), folder=upload_dir)
    added = db.session.scalar(select(Evidence))
    url = f"/evidence/{added.id}"
    assert client.get(url).status_code == 302  # signed out: to the login page
    for who in ("vp", "kthtdt"):
        auth.login(who)
        assert client.get(url).status_code == 404
        auth.logout()
    for who in ("thamdinh", "chutich", "tiepnhan"):
        auth.login(who)
        response = client.get(url)
        assert response.status_code == 200 and response.data == pdf_bytes()
        auth.logout()


def test_attach_refusals_404_when_unseen_403_when_seen(auth, client, ours, theirs, upload_dir):
    """404 where the officer may not even see the item (load_item hides that it exists), 403 where they
    may see it but their unit does not own it (a cooperating unit, the reviewer)."""
    auth.login("vp")
    assert post_file(client, ours, pdf_bytes(), "x.pdf").status_code == 404
    auth.logout()
    auth.login("kthtdt")
    assert post_file(client, theirs, pdf_bytes(), "x.pdf").status_code == 403
    auth.logout()
    auth.login("thamdinh")
    assert post_file(client, ours, pdf_bytes(), "x.pdf").status_code == 403
    assert files_in(upload_dir) == [] and evidence_count() == 0


def test_submitted_item_refuses_attach_and_delete_with_409(auth, client, ours, upload_dir):
    added = add(ours, pdf_bytes(), folder=upload_dir)
    states.perform(user("ttpvhcc"), ready(ours), "submit", ours.version)
    auth.login("ttpvhcc")
    response = post_file(client, ours, image_bytes("PNG"), "moi.png")
    assert response.status_code == 409
    assert "chỉ đọc" in response.text
    assert client.post(f"/evidence/{added.id}/delete").status_code == 409
    assert evidence_count() == 1 and len(files_in(upload_dir)) == 1
    page = client.get(f"/items/task-result/{ours.id}")
    assert "minh-chung.pdf" in page.text and "Đính kèm</button>" not in page.text


def test_delete_plain_and_htmx(auth, client, ours, upload_dir):
    first = add(ours, pdf_bytes(), "Một.pdf", folder=upload_dir)
    second = add(ours, image_bytes("PNG"), "Hai.png", folder=upload_dir)
    first_id, second_id = first.id, second.id
    auth.login("vp")
    assert client.post(f"/evidence/{first_id}/delete").status_code == 404
    auth.logout()
    auth.login("ttpvhcc")
    response = client.post(f"/evidence/{first_id}/delete")
    assert response.status_code == 303 and response.location == f"/items/task-result/{ours.id}"
    assert "Đã xóa tệp “Một.pdf”." in client.get(response.location).text
    response = client.post(f"/evidence/{second_id}/delete", headers=HTMX)
    assert response.status_code == 200
    assert "Đã xóa tệp “Hai.png”." in response.text and "Chưa có tệp minh chứng." in response.text
    assert files_in(upload_dir) == [] and evidence_count() == 0
    assert client.get(f"/evidence/{second_id}").status_code == 404


def test_item_page_shows_the_form_only_to_the_owner(auth, client, ours, upload_dir):
    add(ours, pdf_bytes(), "Biên bản.pdf", folder=upload_dir)
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{ours.id}").text
    assert 'id="evidence"' in page and 'hx-encoding="multipart/form-data"' in page
    assert "Biên bản.pdf</a>" in page and "/delete" in page
    auth.logout()
    auth.login("thamdinh")
    page = client.get(f"/items/task-result/{ours.id}").text
    assert "Biên bản.pdf</a>" in page
    assert "Đính kèm</button>" not in page and "/delete" not in page


def test_file_missing_on_disk_is_404_not_500(auth, client, ours, upload_dir):
    added = add(ours, pdf_bytes(), folder=upload_dir)
    os.remove(upload_dir / added.stored_name)
    auth.login("ttpvhcc")
    assert client.get(f"/evidence/{added.id}").status_code == 404


def test_oversize_body_with_csrf_on_still_gets_the_section(tmp_path, demo_hash, monkeypatch):
    """With CSRF on (as in production) Werkzeug's 413 comes from CSRFProtect reading the form before
    the view; the blueprint's handler answers it all the same."""
    from tests.conftest import make_app
    from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, UPLOAD_MAX_MB=1)
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    with app.app_context():
        db.create_all()
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý III/2025"))
        services.open_period(user("admin"), period)
        item_id = result_of("7.d", period).id
        db.session.remove()
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "ttpvhcc", "password": DEMO_PASSWORD, "csrf_token": token})
    response = client.post(f"/items/task-result/{item_id}/evidence", headers=HTMX,
                           data={"file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * MB // 2)), "rat-lon.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert 'id="evidence"' in response.text and "Tệp vượt quá giới hạn 1 MB." in response.text
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
