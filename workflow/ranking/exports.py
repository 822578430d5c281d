"""The ranking table as files (issue #5): a PDF in the Decree 30 layout and an .xlsx workbook.

Plain functions over what services.ranking() computed: no request objects, no permission checks here
(export_routes.py calls the same service as the /ranking page, which checks them).

Both files show the same figures as the pages: the total rounded half-up to 0.01 (display.cents), and
each criterion apportioned to that total by the largest-remainder method (display.shown_parts), so
the criteria of a row add up to its total, exactly as on the unit's explanation page. The PDF writes
them with a decimal comma like the page; the workbook stores numbers (format 0.00).
"""
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import current_app
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..documents import pdf
from ..documents.builders import ISSUER_TOP, WARD, WARD_RECIPIENTS, place_date
from ..extensions import db
from ..models import Plan
from .display import cents, shown_parts

TITLE = "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CẢI CÁCH HÀNH CHÍNH CÁC CƠ QUAN, ĐƠN VỊ"
NUMBER = "      /BC-UBND"  # blank until a ranking is accepted and numbered (no such step yet)
TIED = "đồng hạng"
AUTO_NOTE = ("Điểm tính tự động từ dữ liệu của hệ thống; chưa có điểm tự đánh giá và điểm thẩm định. "
             "Đơn vị bằng điểm (làm tròn đến 0,01) được xếp đồng hạng; hạng sau bỏ qua số hạng tương ứng.")
RESCALED_NOTE = "(*) Có tiêu chí không áp dụng, điểm các tiêu chí còn lại được quy đổi về thang 100."
NUMBER_FORMAT = "0.00"
XLSX_ISSUER = "UBND phường Phù Liễn"


@dataclass
class Row:
    rank: int
    tied: bool
    code: str
    name: str
    criteria: list  # hundredths, one per criterion of the scheme, adding up to `total`
    total: int      # hundredths
    band: str
    rescaled: bool

    @property
    def rank_label(self):
        return f"{self.rank} ({TIED})" if self.tied else str(self.rank)


def rows(ranking):
    """One Row per standing, in ranking order, with the figures as shown (hundredths)."""
    out = []
    for standing in ranking:
        score = standing.score
        total, parts = shown_parts(score)
        out.append(Row(standing.rank, standing.tied, score.unit.code, score.unit.name, [p.cents for p in parts],
                       total, score.band, score.scale != 1))
    return out


def columns(scheme):
    """(label, maximum in hundredths, kind) per criterion, in the scheme's order."""
    return [(c.label, cents(c.max_points), c.kind) for c in scheme.criteria]


def today():
    return datetime.now(UTC).astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _plan(scheme, plan):
    return plan or db.session.get(Plan, scheme.plan_id)


def scope_line(scope_label, scheme, plan):
    return (f"Phạm vi: {scope_label} · Kế hoạch số {plan.number} · "
            f"Bộ tiêu chí chấm điểm phiên bản {scheme.version}")


def ranking_pdf(ranking, scope_label, scheme, plan=None, day=None):
    """PDF bytes: the ranking table, landscape, header and closing of the ward's reports, marked DỰ THẢO."""
    plan, day = _plan(scheme, plan), day or today()
    return pdf.render("pdf/ranking.html", {
        "plan": plan, "scheme": scheme, "title": TITLE, "scope_line": scope_line(scope_label, scheme, plan),
        "computed_on": f"{day:%d/%m/%Y}", "columns": columns(scheme), "rows": rows(ranking),
        "draft": True, "issuer_top": ISSUER_TOP, "issuer": WARD, "number": NUMBER,
        "place_date": place_date(None, day.year), "recipients": WARD_RECIPIENTS,
        "auto_note": AUTO_NOTE, "rescaled_note": RESCALED_NOTE,
    })


def ranking_xlsx(ranking, scope_label, scheme, plan=None, day=None):
    """.xlsx bytes: a header block, then Hạng, Đơn vị, one column per criterion, Tổng điểm, Xếp loại."""
    plan, day = _plan(scheme, plan), day or today()
    cols = columns(scheme)
    width = 2 + len(cols) + 2
    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng CCHC"
    bold = Font(bold=True)
    header = [
        (XLSX_ISSUER, bold),
        (TITLE, Font(bold=True, size=13)),
        (scope_line(scope_label, scheme, plan), None),
        (f"Số liệu tính đến ngày {day:%d/%m/%Y} · Bản dự thảo, chưa thẩm định", Font(italic=True)),
    ]
    for number, (text, font) in enumerate(header, 1):
        cell = sheet.cell(number, 1, text)
        if font:
            cell.font = font
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    head_row = len(header) + 2
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    titles = ["Hạng", "Đơn vị"] + [f"{label} (tối đa {m / 100:.2f})".replace(".", ",") for label, m, _ in cols] \
        + ["Tổng điểm", "Xếp loại"]
    for col, text in enumerate(titles, 1):
        cell = sheet.cell(head_row, col, text)
        cell.font, cell.border = bold, box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    table_rows = rows(ranking)
    for offset, row in enumerate(table_rows, 1):
        r = head_row + offset
        values = [row.rank_label, f"{row.code} – {row.name}" + (" (*)" if row.rescaled else "")]
        values += [c / 100 for c in row.criteria] + [row.total / 100, row.band]
        for col, value in enumerate(values, 1):
            cell = sheet.cell(r, col, value)
            cell.border = box
            if isinstance(value, float):
                cell.number_format = NUMBER_FORMAT
    note_row = head_row + len(table_rows) + 2
    sheet.cell(note_row, 1, f"Ghi chú: {AUTO_NOTE}").font = Font(italic=True)
    sheet.cell(note_row + 1, 1, RESCALED_NOTE).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(head_row + 1, 3)
    sheet.print_title_rows = f"{head_row}:{head_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    for col, w in enumerate([16, 42] + [16] * len(cols) + [12, 30], 1):
        sheet.column_dimensions[get_column_letter(col)].width = w
    out = BytesIO()
    book.save(out)
    return out.getvalue()
