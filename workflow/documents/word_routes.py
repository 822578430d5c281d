"""The Word copies (.docx) beside each PDF download, through the same checks as the PDF routes
(routes.py; the ranking's in ranking/export_routes.py): whoever may download the PDF may download its
Word copy, and nobody else."""
from flask import abort
from flask_login import current_user, login_required

from ..downloads import attachment
from ..items.services import load_item
from ..models import ConsolidatedReport, UnitReport
from ..plan.queries import current_plan
from ..ranking import export_routes
from ..ranking.routes import bp as ranking_bp
from . import builders, word
from .routes import bp

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _send(doc):
    return attachment(word.docx_bytes(doc), DOCX, f"{doc.filename}.docx")


@bp.get("/documents/plan.docx")
@login_required
def plan_docx():
    return _send(builders.plan_doc(current_plan() or abort(404)))


@bp.get("/documents/unit-report/<int:report_id>.docx")
@login_required
def unit_report_docx(report_id):
    return _send(builders.unit_report_document(load_item(current_user, UnitReport.KIND, report_id)))


@bp.get("/documents/consolidated/<int:report_id>.docx")
@login_required
def consolidated_docx(report_id):
    return _send(builders.consolidated_document(load_item(current_user, ConsolidatedReport.KIND, report_id)))


@ranking_bp.get("/ranking/export.docx")
@login_required
def export_docx():
    table, stem = export_routes.requested_table()  # the PDF's checks and file name, to the letter
    return attachment(word.table_docx(table), DOCX, f"{stem}.docx")
