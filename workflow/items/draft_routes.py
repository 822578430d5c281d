"""Help on a draft's edit page: filling it from what the ward has (fills.py), and Biểu II.06a: the
totals as the unit types (htmx), a row added without saving, the sheet imported from .xlsx (all or
nothing) and our template to fill. The rules live in fills.py, unit_report.py, dossier_grid.py and
dossier_sheet.py."""
from flask import abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict, Forbidden

from .. import kinds
from ..access import require_editable
from ..downloads import XLSX, attachment
from ..models import UnitReport
from ..templating import wants_fragment
from ..validation import FieldError, StaleVersion, attach
from . import dossier_grid, dossier_sheet, page, services, unit_report
from .routes import bp

bp.add_app_template_global(dossier_grid.of_form, "dossier_grid")
GRID = "items/_dossier_grid.html"


def _editable_report(item_id):
    report = services.load_item(current_user, UnitReport.KIND, item_id)
    require_editable(current_user, report)
    if not report.unit.receives_dossiers:
        raise Forbidden("Đơn vị không báo cáo Biểu II.06a.")
    return report


@bp.post("/items/unit-report/<int:item_id>/dossier")
@login_required
def dossier_grid_answer(item_id):
    """Typing: the totals and row checks of what is on the screen. "Thêm dòng": the rows plus a blank
    one (the whole page without JavaScript). Nothing is saved."""
    report = _editable_report(item_id)
    form = page.edit_form(report)
    form.validate()  # reads each cell; one that cannot be read gets its message and counts as 0
    if request.form.get("add_row"):
        form.dossier_rows.append_entry()
        if not wants_fragment():
            return render_template("items/item.html", **page.item_context(current_user, report, form=form))
        return get_template_attribute(GRID, "body")(form, dossier_grid.of_form(form))
    return get_template_attribute(GRID, "live")(dossier_grid.of_form(form, live=True))


@bp.post("/items/unit-report/<int:item_id>/dossier/import")
@login_required
def dossier_import(item_id):
    """Save what is on the screen with Biểu II.06a read from the uploaded sheet, or change nothing
    and say which rows and columns are wrong."""
    report = _editable_report(item_id)
    form, sheet_errors, status, conflict = page.edit_form(report), [], 422, None
    if not page.form_fits(report, form):
        return redirect(url_for("items.item", kind=UnitReport.KIND, item_id=item_id), 303)
    if form.validate_on_submit():
        try:
            rows = dossier_sheet.read(_upload())
            unit_report.save_form(current_user, report, form, dossier_rows=rows)
        except dossier_sheet.SheetError as err:
            sheet_errors = err.messages
        except FieldError as err:
            attach(form, err)
        except StaleVersion as err:
            status, conflict, form = 409, err.description, None
        except Conflict as err:
            status, conflict = err.code, err.description
        else:
            flash(f"Đã nhập {len(rows)} lĩnh vực của Biểu II.06a từ tệp và lưu dự thảo.", "success")
            return redirect(url_for("items.item", kind=UnitReport.KIND, item_id=item_id, _anchor="dossier"), 303)
    context = page.item_context(current_user, report, form=form)
    return render_template("items/item.html", conflict=conflict, sheet_errors=sheet_errors, **context), status


def _upload():
    upload = request.files.get("dossier_file")
    if upload is None or not upload.filename:
        raise dossier_sheet.SheetError(["Vui lòng chọn tệp Excel (.xlsx) của Biểu II.06a."])
    return upload.stream


@bp.get("/items/unit-report/<int:item_id>/dossier/template.xlsx")
@login_required
def dossier_template(item_id):
    report = services.load_item(current_user, UnitReport.KIND, item_id)
    fields = [row.field_name for row in report.dossier_rows] or unit_report.DEFAULT_DOSSIER_FIELDS
    return attachment(dossier_sheet.template(fields), XLSX, f"bieu-II.06a-{report.unit.code}.xlsx")


@bp.post("/items/<kind>/<int:item_id>/fill/<key>")
@login_required
def fill(kind, item_id, key):
    """Save what is on the screen, then fill the draft's empty places (kinds.Fill); typed text stays."""
    item = services.load_item(current_user, kind, item_id)
    require_editable(current_user, item)
    chosen = next((f for f in kinds.of(item).fills if f.key == key), None)
    if chosen is None:
        abort(404)
    form = page.edit_form(item)
    if page.form_fits(item, form) and form.validate_on_submit():
        try:
            page.save_form(current_user, item, form)
            filled = services.fill_draft(current_user, item, chosen)
        except FieldError as err:
            attach(form, err)
        except (Conflict, Forbidden) as err:
            flash(err.description, "error")
            return redirect(url_for("items.item", kind=kind, item_id=item_id), 303)
        else:
            flash(f"{chosen.label}: đã điền {filled} mục." if filled else
                  f"{chosen.label}: không có nội dung nào để điền vào các ô còn trống.", "success")
            return redirect(url_for("items.item", kind=kind, item_id=item_id), 303)
    return render_template("items/item.html", **page.item_context(current_user, item, form=form)), 422
