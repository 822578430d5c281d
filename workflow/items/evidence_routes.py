"""Evidence files on the item page: attach (with a caption), download, caption, delete. The rules live
in evidence.py, the forms in evidence_forms.py.

The section is a self-targeting htmx component: attach, caption and delete from it get the section back.
Without JavaScript they redirect to the item (303), or show the section alone on a refusal (422)."""
import os

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..access import require_editable
from ..downloads import send_stored
from ..errors import render_error
from ..templating import wants_fragment
from ..validation import FieldError
from ..validation import attach as show_error
from . import evidence
from .evidence_forms import CaptionForm, upload_form
from .page import evidence_context
from .routes import bp
from .services import load_item


def upload_dir():
    return os.path.join(current_app.instance_path, "uploads")


def _section(item, status=200, form=None, notice=None, **extra):
    """The section for htmx; the section on a page of its own for a plain form post. `extra`: a caption
    form posted back with its errors (caption_form, caption_of: the file's id)."""
    return render_template("items/_evidence.html", item=item, standalone=not wants_fragment(), notice=notice,
                           **evidence_context(current_user, item, form), **extra), status


def _back_to(item, message):
    flash(message, "success")
    return redirect(url_for("items.item", kind=item.KIND, item_id=item.id), 303)


@bp.post("/items/<kind>/<int:item_id>/evidence")
@login_required
def attach_evidence(kind, item_id):
    item = load_item(current_user, kind, item_id)
    require_editable(current_user, item)
    form = upload_form()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            added = evidence.attach(current_user, item, upload.stream, upload.filename or "", upload_dir(),
                                    current_app.config["UPLOAD_MAX_MB"] * evidence.MB, form.caption.data)
        except FieldError as err:
            show_error(form, err)
        else:
            message = f"Đã đính kèm “{added.original_name}”."
            return _section(item, notice=message) if wants_fragment() else _back_to(item, message)
    return _section(item, 422, form)


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download_evidence(evidence_id):
    found, path = evidence.open_for_download(current_user, evidence_id, upload_dir())
    return send_stored(path, found.content_type, found.download_name)


@bp.post("/evidence/<int:evidence_id>/caption")
@login_required
def caption_evidence(evidence_id):
    found, item = evidence.load(current_user, evidence_id)
    require_editable(current_user, item)
    form = CaptionForm()
    if form.validate_on_submit():
        try:
            evidence.set_caption(current_user, found, item, form.caption.data)
        except FieldError as err:
            show_error(form, err)
        else:
            message = f"Đã lưu chú thích của tệp “{found.download_name}”."
            return _section(item, notice=message) if wants_fragment() else _back_to(item, message)
    return _section(item, 422, caption_form=form, caption_of=found.id)


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def delete_evidence(evidence_id):
    found, item = evidence.load(current_user, evidence_id)
    name = found.download_name
    evidence.remove(current_user, found, item, upload_dir())
    message = f"Đã xóa tệp “{name}”."
    return _section(item, notice=message) if wants_fragment() else _back_to(item, message)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Werkzeug refuses a body over MAX_CONTENT_LENGTH before the view runs: on the attach form, answer
    with the section and the message beside the field, so htmx does not swap a whole page into it."""
    if request.endpoint != "items.attach_evidence" or not current_user.is_authenticated:
        return render_error(413)
    try:
        item = load_item(current_user, **request.view_args)
        require_editable(current_user, item)
    except HTTPException:
        return render_error(413)
    form = upload_form(formdata=None)
    form.file.errors = [evidence.too_big(current_app.config["UPLOAD_MAX_MB"] * evidence.MB)]
    return _section(item, 413, form)
