"""Evidence captions (issue #10): what a file proves, typed with the upload and shown beside its name to
everyone who sees the item; editable by the owner while the item is a draft; at most 300 characters.
The SHA-256 leaves the list for "Chi tiết tệp"."""
import io
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import evidence, states
from workflow.models import Evidence
from workflow.validation import FieldError

from .conftest import empty_database
from .items_support import ready, user
from .test_evidence import HTMX, add, evidence_count, files_in, image_bytes, ours, pdf_bytes, upload_dir  # noqa: F401

CAPTION = "Biên bản kiểm tra Bộ phận Một cửa tháng 8/2025"


def post_file(client, item, data, name, caption, **kwargs):
    return client.post(f"/items/{item.KIND}/{item.id}/evidence",
                       data={"file": (io.BytesIO(data), name), "caption": caption},
                       content_type="multipart/form-data", **kwargs)


def outside_details(html):
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def test_caption_typed_with_the_upload_is_shown_to_the_reviewer(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{ours.id}").text
    assert re.search(r'<input id="evidence-caption" maxlength="300" name="caption" type="text"', page)
    response = post_file(client, ours, pdf_bytes(), "bien-ban.pdf", f"  {CAPTION}  ")
    assert response.status_code == 303
    assert db.session.scalar(select(Evidence.caption)) == CAPTION
    auth.logout()
    for who in ("thamdinh", "chutich", "tiepnhan"):
        auth.login(who)
        page = client.get(f"/items/task-result/{ours.id}").text
        section = page[page.index('id="evidence"'):]
        assert f'<div class="evidence-caption">{CAPTION}</div>' in section
        assert section.index(CAPTION) < section.index("bien-ban.pdf</a>")  # the caption first, then the file
        assert "Đính kèm</button>" not in page and "Lưu chú thích" not in page
        auth.logout()


def test_a_file_without_caption_shows_its_name_alone(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    assert post_file(client, ours, pdf_bytes(), "bien-ban.pdf", "").status_code == 303
    assert db.session.scalar(select(Evidence.caption)) == ""
    page = client.get(f"/items/task-result/{ours.id}").text
    assert "bien-ban.pdf</a>" in page and 'class="evidence-caption"' not in page


def test_too_long_caption_is_422_beside_the_field_and_nothing_is_kept(auth, client, ours, upload_dir):
    auth.login("ttpvhcc")
    typed = "Đ" * 301
    response = post_file(client, ours, pdf_bytes(), "bien-ban.pdf", typed)
    assert response.status_code == 422
    assert re.search(r'<ul class="errors" id="evidence-caption-errors"><li>Tối đa 300 ký tự\.</li></ul>', response.text)
    assert f'value="{typed}"' in response.text  # what was typed stays, to shorten
    assert files_in(upload_dir) == [] and evidence_count() == 0
    htmx = post_file(client, ours, pdf_bytes(), "bien-ban.pdf", typed, headers=HTMX)
    assert htmx.status_code == 422 and "<html" not in htmx.text and "Tối đa 300 ký tự." in htmx.text
    assert post_file(client, ours, pdf_bytes(), "bien-ban.pdf", "Đ" * 300).status_code == 303  # the limit is inclusive


def test_the_service_cleans_and_refuses_the_caption_too(ours, upload_dir):
    added = add(ours, pdf_bytes(), folder=upload_dir)
    assert evidence.clean_caption(" Ảnh\u202e tiếp\n dân\x00 ") == "Ảnh tiếp dân"
    with pytest.raises(FieldError) as refused:
        evidence.set_caption(user("ttpvhcc"), added, ours, "x" * 301)
    assert (refused.value.field, refused.value.message) == ("caption", "Tối đa 300 ký tự.")
    assert evidence.set_caption(user("ttpvhcc"), added, ours, "Bie\u0302\u0301n ba\u0309n").caption == "Biến bản"


def test_sha256_is_only_in_the_file_details(auth, client, ours, upload_dir):
    added = add(ours, pdf_bytes(), "bien-ban.pdf", folder=upload_dir)
    auth.login("thamdinh")
    page = client.get(f"/items/task-result/{ours.id}").text
    details = re.search(r'<details class="file-details">.*?</details>', page, flags=re.S).group(0)
    assert "Chi tiết tệp" in details and added.sha256 in details  # the whole of it, to compare with a copy
    assert added.sha256[:8] not in outside_details(page) and "Mã SHA-256</th>" not in page


def test_owner_edits_a_caption_while_the_item_is_a_draft(auth, client, ours, upload_dir):
    added = add(ours, pdf_bytes(), "bien-ban.pdf", folder=upload_dir)
    url = f"/evidence/{added.id}/caption"
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{ours.id}").text
    assert f'action="{url}"' in page and "Thêm chú thích" in page
    response = client.post(url, data={"caption": CAPTION})
    assert response.status_code == 303 and response.location == f"/items/task-result/{ours.id}"
    page = client.get(response.location).text
    assert "Đã lưu chú thích của tệp “bien-ban.pdf”." in page and "Sửa chú thích" in page
    assert f'<div class="evidence-caption">{CAPTION}</div>' in page
    htmx = client.post(url, data={"caption": "Ảnh tiếp dân"}, headers=HTMX)
    assert htmx.status_code == 200 and htmx.text.lstrip().startswith('<section class="card evidence"')
    assert '<div class="evidence-caption">Ảnh tiếp dân</div>' in htmx.text
    refused = client.post(url, data={"caption": "x" * 301}, headers=HTMX)
    assert refused.status_code == 422
    assert f'<ul class="errors" id="caption-{added.id}-errors"><li>Tối đa 300 ký tự.</li></ul>' in refused.text
    assert '<details class="caption-edit" open>' in refused.text  # the refused edit stays open
    db.session.expire_all()
    assert db.session.get(Evidence, added.id).caption == "Ảnh tiếp dân"


def test_only_the_owner_and_only_while_draft_edits_a_caption(auth, client, ours, upload_dir):
    added = evidence.attach(user("ttpvhcc"), ours, io.BytesIO(pdf_bytes()), "bien-ban.pdf", str(upload_dir),
                            20 * evidence.MB, CAPTION)
    url = f"/evidence/{added.id}/caption"
    auth.login("vp")  # another unit: does not even see the item
    assert client.post(url, data={"caption": "x"}).status_code == 404
    auth.logout()
    auth.login("thamdinh")  # sees it, does not own it
    assert client.post(url, data={"caption": "x"}).status_code == 403
    auth.logout()
    states.perform(user("ttpvhcc"), ready(ours), "submit", ours.version)
    auth.login("ttpvhcc")
    response = client.post(url, data={"caption": "x"})
    assert response.status_code == 409 and "chỉ đọc" in response.text
    page = client.get(f"/items/task-result/{ours.id}").text
    assert CAPTION in page and "Lưu chú thích" not in page
    db.session.expire_all()
    assert db.session.get(Evidence, added.id).caption == CAPTION


def test_files_attached_before_captions_get_an_empty_one(app):
    """Migration 0008 on a database that already holds evidence: the old rows get "" and keep the rest."""
    empty_database()
    upgrade(revision="0007")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO units (id, code, name, active, receives_dossiers, consolidates, created_at) "
                             "VALUES (1, 'VP', 'Văn phòng', true, false, false, '2025-07-01')")
        conn.exec_driver_sql("INSERT INTO users (id, username, full_name, password_hash, unit_id, active, created_at) "
                             "VALUES (1, 'vp', 'Cán bộ', 'x', 1, true, '2025-07-01')")
        conn.exec_driver_sql("INSERT INTO evidence (item_kind, item_id, original_name, stored_name, content_type, size, "
                             "sha256, uploaded_by_id, uploaded_at) VALUES ('task-result', 1, 'cu.pdf', 'abc.pdf', "
                             "'application/pdf', 10, 'ff', 1, '2025-08-01')")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT original_name, caption FROM evidence").all() == [("cu.pdf", "")]
    empty_database()
