"""Evidence files on items: type by content, size limit, random stored names, sha256, duplicates,
and the caption saying what each file proves (given with the upload, editable while the item is a draft).

Plain functions; the routes pass the upload directory and the size limit in."""
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Conflict, NotFound
from werkzeug.security import safe_join

from .. import formats, kinds
from ..access import READ_ONLY, may_see, require_editable
from ..extensions import db
from ..models import EVIDENCE_TYPES, Evidence, User
from ..validation import FieldError
from .states import DRAFT

MB = formats.MB
CHUNK = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = EVIDENCE_TYPES
MAGIC = [(b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg")]
OOXML = [("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx")]  # ZIPs told apart by a member

ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG"
NOT_ACCEPTED = f"Chỉ nhận tệp {ACCEPTED}; nội dung tệp này không thuộc các loại đó."
OLD_OFFICE = ("Tệp Word/Excel định dạng cũ (.doc, .xls) không được nhận; vui lòng lưu lại thành .docx "
              f"hoặc .xlsx. Chỉ nhận tệp {ACCEPTED}.")
CORRUPT = f"Tệp bị hỏng hoặc không đọc được. Chỉ nhận tệp {ACCEPTED}."
MACROS = f"Tệp Word/Excel có macro không được nhận. Chỉ nhận tệp {ACCEPTED}."
EMPTY = "Tệp rỗng (0 byte); vui lòng chọn tệp khác."
DUPLICATE = "Tệp này đã được đính kèm vào hồ sơ với tên “{name}”."
DEFAULT_NAME = "tep-dinh-kem"
CAPTION_MAX = 300
CAPTION_TOO_LONG = "Tối đa 300 ký tự."


def too_big(max_bytes):
    limit = formats.vn_number(max_bytes / MB)
    return f"Tệp vượt quá giới hạn {limit} MB."


def sniff(head, stream):
    """(extension, content type) judged from the bytes alone; FieldError for anything not accepted.
    `stream` is the whole file, seekable: Word and Excel files are ZIPs told apart by their members."""
    for magic, ext in MAGIC:
        if head.startswith(magic):
            return ext, CONTENT_TYPES[ext]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc, .xls, .msg ...
        raise FieldError("file", OLD_OFFICE)
    if not head.startswith(ZIP_MAGIC):
        raise FieldError("file", NOT_ACCEPTED)
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:  # reads the central directory only, extracts nothing
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise FieldError("file", CORRUPT)
    for member, ext in OOXML:
        if member in names:
            if member.split("/")[0] + "/vbaProject.bin" in names:  # a .docm/.xlsm renamed
                raise FieldError("file", MACROS)
            return ext, CONTENT_TYPES[ext]
    raise FieldError("file", NOT_ACCEPTED)


def clean_name(name):
    """The uploaded name, fit for display only: no folders, no control or bidi characters,
    no characters Windows refuses, at most 255 characters. Vietnamese letters are kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(re.sub(r'[<>:"|?*]', "", name).split()).strip(" .")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[:255 - len(ext)] + ext if len(ext) <= 10 else name[:255]
    return name or DEFAULT_NAME


def clean_caption(text):
    """A caption fit for one line of a page: NFC, no control or bidi characters (they could make the
    file name beside it read backwards), runs of spaces and line breaks made one space."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    return " ".join(text.split())


def _caption(text):
    """The cleaned caption, or FieldError("caption", ...) when it is too long. The forms check the length
    first; this keeps a longer one from reaching the column (PostgreSQL would refuse it with a 500)."""
    caption = clean_caption(text)
    if len(caption) > CAPTION_MAX:
        raise FieldError("caption", CAPTION_TOO_LONG)
    return caption


def _hold_draft(item):
    """Lock the item's row and prove it is still a draft inside this transaction: a submit that commits
    first makes this match nothing (409), and two uploads to one item run one after the other, so the
    duplicate check cannot be raced. The UPDATE writes the value the row already has."""
    model = type(item)
    result = db.session.execute(update(model).where(model.id == item.id, model.state == DRAFT).values(state=DRAFT),
                                execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(READ_ONLY)


def _receive(stream, handle, max_bytes):
    """Copy the upload into `handle`; its sha256 and size. Stops reading at the first byte over the limit."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        size += len(chunk)
        if size > max_bytes:
            raise FieldError("file", too_big(max_bytes))
        digest.update(chunk)
        handle.write(chunk)
    if size == 0:
        raise FieldError("file", EMPTY)
    return digest.hexdigest(), size


def attach(user, item, upload_stream, original_name, upload_dir, max_bytes, caption=""):
    """Store an upload, with its caption, as evidence of a draft item. FieldError("file" or "caption", ...)
    for a refusal, 403/409 from require_editable; nothing stays on disk or in the database after a refusal."""
    require_editable(user, item)
    caption = _caption(caption)  # before the file is read: a refused caption costs no upload
    os.makedirs(upload_dir, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(dir=upload_dir, prefix=".upload-", suffix=".part")
    stored_path = None
    try:
        with os.fdopen(fd, "w+b") as handle:
            sha256, size = _receive(upload_stream, handle, max_bytes)
            handle.seek(0)
            ext, content_type = sniff(handle.read(16), handle)
        _hold_draft(item)
        earlier = db.session.scalar(select(Evidence).where(
            Evidence.item_kind == item.KIND, Evidence.item_id == item.id, Evidence.sha256 == sha256).limit(1))
        if earlier is not None:
            db.session.rollback()
            raise FieldError("file", DUPLICATE.format(name=earlier.original_name))
        stored_name = f"{secrets.token_hex(16)}.{ext}"
        stored_path = os.path.join(upload_dir, stored_name)
        os.replace(temp_path, stored_path)
        evidence = Evidence(item_kind=item.KIND, item_id=item.id, original_name=clean_name(original_name),
                            stored_name=stored_name, content_type=content_type, size=size, sha256=sha256,
                            caption=caption, uploaded_by_id=user.id)
        db.session.add(evidence)
        db.session.commit()
        stored_path = None  # recorded: keep it
        return evidence
    except BaseException:
        db.session.rollback()
        raise
    finally:
        for path in (temp_path, stored_path):
            if path is not None and os.path.exists(path):
                os.remove(path)


def set_caption(user, evidence, item, caption):
    """Change a file's caption while its item is a draft (403/409 as for attaching)."""
    if (evidence.item_kind, evidence.item_id) != (item.KIND, item.id):
        raise NotFound()
    require_editable(user, item)
    caption = _caption(caption)
    _hold_draft(item)
    evidence.caption = caption
    db.session.commit()
    return evidence


def remove(user, evidence, item, upload_dir):
    """Delete a file of a draft item: the row first, the file once the row is gone for good."""
    if (evidence.item_kind, evidence.item_id) != (item.KIND, item.id):
        raise NotFound()
    require_editable(user, item)
    _hold_draft(item)
    stored_name = evidence.stored_name
    db.session.delete(evidence)
    db.session.commit()
    try:
        os.remove(os.path.join(upload_dir, stored_name))
    except FileNotFoundError:
        pass


def _listing():
    # One query: the uploader (and, by User.unit's joined loading, the unit) joined in; roles not needed.
    return (select(Evidence).options(joinedload(Evidence.uploaded_by).lazyload(User.role_rows))
            .order_by(Evidence.uploaded_at, Evidence.id))


def for_item(item):
    return list(db.session.scalars(_listing().where(Evidence.item_kind == item.KIND, Evidence.item_id == item.id)))


def load(user, evidence_id):
    """The evidence and its item, if this user may see the item; 404 otherwise."""
    evidence = db.session.get(Evidence, evidence_id)
    kind = kinds.find(evidence.item_kind) if evidence else None
    item = db.session.get(kind.model, evidence.item_id) if kind else None
    if item is None or not may_see(user, item):
        raise NotFound()
    return evidence, item


def open_for_download(user, evidence_id, upload_dir):
    """(evidence, path of its file) for a user who may see the item; 404 otherwise or if the file is gone."""
    evidence, _item = load(user, evidence_id)
    path = safe_join(upload_dir, evidence.stored_name)
    if path is None or not os.path.isfile(path):
        raise NotFound()
    return evidence, path
