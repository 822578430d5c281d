"""The "Kiểm tra chữ ký" page: anyone signed in uploads a PDF and reads what its digital signature says
(signing.verify); the stored final file of an issued consolidated report can be checked the same way.

Routes are on the documents blueprint (routes.bp); workflow/documents/__init__.py imports this module.
"""
import os

from flask import abort, current_app, render_template, request
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import render_error
from ..formats import MB
from ..forms import BaseForm
from ..items.services import load_item
from ..models import ConsolidatedReport
from . import final, signing
from .routes import bp

NOT_PDF = "Tệp không phải là tệp PDF; vui lòng chọn tệp .pdf."
NO_FILE = "Vui lòng chọn tệp PDF cần kiểm tra."


def too_big(limit_mb):
    return f"Tệp quá lớn: chỉ kiểm tra tệp PDF tối đa {limit_mb} MB."


class VerifyForm(BaseForm):
    file = FileField("Tệp PDF cần kiểm tra", id="verify-file", validators=[FileRequired(NO_FILE)],
                     render_kw={"accept": ".pdf,application/pdf"})


def _limit_mb():
    return current_app.config["UPLOAD_MAX_MB"]


def verify_form(**kwargs):
    form = VerifyForm(**kwargs)
    form.file.description = f"Tệp PDF đã ký số; tối đa {_limit_mb()} MB."
    return form


def _page(form, status=200, **result):
    return render_template("documents/verify.html", form=form, **result), status


def _read_upload(upload, limit):
    """The file's bytes, or None when it is over the limit (read one byte past it, never all of it)."""
    data = upload.stream.read(limit + 1)
    return None if len(data) > limit else data


@bp.get("/documents/verify")
@login_required
def verify_page():
    return _page(verify_form())


@bp.post("/documents/verify")
@login_required
def verify_upload():
    form = verify_form()
    if not form.validate_on_submit():
        return _page(form, 422)
    upload = form.file.data
    data = _read_upload(upload, _limit_mb() * MB)
    if data is None:
        form.file.errors = [too_big(_limit_mb())]
        return _page(form, 413)
    if not data.startswith(b"%PDF-"):  # the content decides, not the name or the browser's type
        form.file.errors = [NOT_PDF]
        return _page(form, 422)
    verdict = signing.verify(data, final.config())
    return _page(verify_form(formdata=None), verdict=verdict, sha256=signing.sha256(data),
                 filename=upload.filename or "", size=len(data))


@bp.get("/documents/consolidated/<int:report_id>/verify")
@login_required
def verify_consolidated(report_id):
    """The stored final file of an issued report, checked as an uploaded copy would be; its SHA-256
    is also compared with the one recorded when it was issued."""
    report = load_item(current_user, ConsolidatedReport.KIND, report_id)
    path = final.path_of(report) if report.is_accepted and report.pdf_file else None
    if path is None or not os.path.isfile(path):
        abort(404)
    with open(path, "rb") as fh:
        data = fh.read()
    verdict = signing.verify(data, final.config())
    digest = signing.sha256(data)
    return _page(verify_form(formdata=None), verdict=verdict, sha256=digest, report=report,
                 recorded=report.pdf_sha256, matches=digest == report.pdf_sha256, size=len(data))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_error):
    """Werkzeug refuses a body over MAX_CONTENT_LENGTH before the view reads it: on the verify form,
    the message goes beside the field."""
    if request.endpoint != "documents.verify_upload" or not current_user.is_authenticated:
        return render_error(413)
    form = verify_form(formdata=None)
    form.file.errors = [too_big(_limit_mb())]
    return _page(form, 413)
