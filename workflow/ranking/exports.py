"""The ranking table as files (issue #5): a PDF in the Decree 30 layout and an .xlsx workbook.

Plain functions, no request objects and no permission checks (export_routes.py loads what to export
through the same checks as the /ranking page). Two sources, one Table:
- live_table(): the live ranking services.ranking() computed, marked DỰ THẢO;
- sheet_table(): a period's frozen ranking sheet (sheets.py) with the scheme version it was made with,
  DỰ THẢO until the VP office has accepted it.
The live rows go through sheets.frozen_rows too, so a file of the live ranking and a file of a sheet made
from it the same day show the same figures.

Figures are hundredths, as on the pages: each score rounded half-up to 0.01 (display.cents), and the
criteria apportioned to the final score (the appraised one once VHXH has appraised the unit, else the
computed one) by the largest-remainder method, so a row's criteria add up to its "Điểm xếp hạng".
A final score that is the appraised one carries the mark "(TĐ)" in both files (in the workbook through
the cell's number format, so the cell stays a number). The PDF writes a decimal comma; the workbook
stores numbers (format 0.00). Every cell of the workbook is written through workflow/xlsx.py: a unit's
name or a criterion's label holding a control character, or beginning like a formula, is written as
plain text, and a saved scheme version with such a label exports like any other.

Maxima (issue 15; the decision is maxima.py's docstring): a criterion column prints its maximum in its
header when it is the same for every row, else "(tối đa theo đơn vị)" and each cell carries its unit's
maximum; a criterion that does not apply is "không áp dụng". Each row also says what its score rests on
(Cơ sở chấm điểm: counted tasks and reports), why its band is lower than its score reaches (the minimum
basis for the top band), and the assessment of the unit head's responsibility that follows from the band.
A sheet made before these existed shows the column maxima and "—" for what it did not record.
"""
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .. import wards, xlsx
from ..documents import pdf
from ..documents.builders import ward_letterhead
from ..extensions import db
from ..items.deadlines import local_date
from ..models import Plan
from ..models.org import utcnow
from .display import vn_points
from .maxima import NOT_APPLICABLE, column_heads
from .scoring import APPRAISED
from .sheets import frozen_columns, frozen_rows

TITLE = "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CẢI CÁCH HÀNH CHÍNH CÁC CƠ QUAN, ĐƠN VỊ"
NUMBER = "      /BC-UBND"  # left blank: the ranking is the annex of a decision numbered outside the app
TIED = "đồng hạng"
APPRAISED_MARK = "(TĐ)"
SCORE_TITLES = ["Tính tự động", "Tự đánh giá", "Thẩm định", "Điểm xếp hạng"]
BAND_TITLE = "Xếp loại"
HEAD_TITLE = "Đánh giá trách nhiệm người đứng đầu"
BASIS_TITLE = "Cơ sở chấm điểm"
AUTO_NOTE = (f"Điểm xếp hạng ghi kèm {APPRAISED_MARK} là điểm thẩm định của {{appraiser}}; điểm xếp hạng "
             "không ghi kèm là điểm tính tự động từ dữ liệu của hệ thống (đơn vị chưa được thẩm định). Điểm từng "
             "tiêu chí là điểm tạo nên điểm xếp hạng và cộng lại bằng điểm đó. Cột Tự đánh giá, Thẩm định để trống "
             "(—) khi đơn vị chưa gửi tự đánh giá hoặc chưa được thẩm định. Đơn vị bằng điểm xếp hạng (làm tròn "
             "đến 0,01) được xếp đồng hạng; hạng sau bỏ qua số hạng tương ứng.")
RESCALED_NOTE = ("(*) Có tiêu chí không áp dụng, điểm các tiêu chí còn lại được quy đổi về thang 100; ở cột ghi "
                 "“tối đa theo đơn vị”, điểm tối đa của từng đơn vị ghi sau dấu “/”.")
NUMBER_FORMAT = "0.00"
APPRAISED_FORMAT = f'0.00" {APPRAISED_MARK}"'


@dataclass
class Row:
    rank: int
    tied: bool
    code: str
    name: str
    criteria: list          # hundredths, one per criterion, adding up to `final`
    computed: int           # hundredths, as are the scores below
    self_total: int | None  # None until the unit has sent its self-assessment
    appraised: int | None   # None until VHXH has appraised it
    final: int              # the score ranked and banded by
    basis: str
    band: str
    rescaled: bool
    maxima: list                 # hundredths per criterion, None where it does not apply to the unit
    tasks_due: int | None = None  # None: a sheet made before the basis was recorded
    reports_due: int | None = None
    band_note: str = ""
    head: str = ""

    @classmethod
    def of(cls, frozen, columns):
        """From one of sheets.frozen_rows' dicts (also what a sheet stores); `columns` give the maxima of
        a sheet made before they were recorded per unit."""
        return cls(frozen["rank"], frozen["tied"], frozen["code"], frozen["name"], list(frozen["criteria"]),
                   frozen["computed"], frozen["self"], frozen["appraised"], frozen["final"], frozen["basis"],
                   frozen["band"], frozen["rescaled"], list(frozen.get("maxima") or [c[1] for c in columns]),
                   frozen.get("tasks_due"), frozen.get("reports_due"), frozen.get("band_note", ""),
                   frozen.get("head", ""))

    @property
    def basis_text(self):
        if self.tasks_due is None:
            return "—"
        return f"{self.tasks_due} nhiệm vụ, {self.reports_due} báo cáo đến hạn"

    @property
    def band_text(self):
        """The band, and on a line of its own why it is lower than the score reaches."""
        return f"{self.band}\n({self.band_note})" if self.band_note else self.band

    @property
    def rank_label(self):
        return f"{self.rank} ({TIED})" if self.tied else str(self.rank)

    @property
    def is_appraised(self):
        return self.basis == APPRAISED

    @property
    def final_label(self):
        return vn_points(self.final) + (f" {APPRAISED_MARK}" if self.is_appraised else "")


@dataclass
class Table:
    plan: object
    scope_label: str
    scheme_version: int
    columns: list  # (label, maximum in hundredths, kind) per criterion, in the scheme's order
    rows: list     # Row, in ranking order
    as_of: str     # when the figures were taken, as a phrase
    year: int      # of the place-date line
    draft: bool
    ward: object   # the issuing ward (models.Ward)

    @property
    def heads(self):
        """Per criterion column: (wording of its maximum for the header, cells carry their own maximum?)."""
        return column_heads(self.columns, self.rows)

    def labelled_heads(self):
        """(criterion label, wording of its maximum) per criterion column."""
        return [(label, head) for (label, _, _), (head, _) in zip(self.columns, self.heads)]

    def column_titles(self):
        return [f"{label} ({head})" for label, head in self.labelled_heads()]

    def criterion_texts(self, row):
        """A row's criterion cells as text: points, "points\n/max" where the column's maxima differ,
        "không áp dụng" where the criterion does not apply."""
        texts = []
        for points, top, (_, per_unit) in zip(row.criteria, row.maxima, self.heads):
            texts.append(NOT_APPLICABLE if top is None else
                         vn_points(points) + (f"\n/{vn_points(top)}" if per_unit else ""))
        return texts

    @property
    def scope_line(self):
        return (f"Phạm vi: {self.scope_label} · Kế hoạch số {self.plan.number} · "
                f"Bộ tiêu chí chấm điểm phiên bản {self.scheme_version}")


def today():
    return local_date(utcnow())


def live_table(standings, scope_label, scheme, plan=None, day=None):
    """The live ranking (services.ranking's standings) as a Table: always a draft."""
    plan, day = plan or db.session.get(Plan, scheme.plan_id), day or today()
    columns = [tuple(c) for c in frozen_columns(scheme)]
    return Table(plan, scope_label, scheme.version, columns,
                 [Row.of(r, columns) for r in frozen_rows(standings)], f"Số liệu tính đến ngày {day:%d/%m/%Y}",
                 day.year, draft=True, ward=wards.current())


def sheet_table(sheet):
    """A frozen ranking sheet as a Table: its own rows, columns and scheme version, whatever changed since."""
    made = local_date(sheet.made_at or sheet.created_at)
    columns = [tuple(c) for c in sheet.columns]
    return Table(sheet.period.plan, sheet.period.name, sheet.scheme.version, columns,
                 [Row.of(r, columns) for r in sheet.rows], f"Số liệu chốt ngày {made:%d/%m/%Y}", made.year,
                 draft=not sheet.is_accepted, ward=sheet.unit.ward or wards.current())


def auto_note(table):
    """The note under the table, naming the unit whose reviewers appraise (the consolidating unit)."""
    unit = table.ward.consolidating_unit
    return AUTO_NOTE.format(appraiser=unit.name if unit else "người thẩm định")


def table_pdf(table):
    """PDF bytes: the table, landscape, with the header and closing of the ward's reports."""
    return pdf.render("pdf/ranking.html", {
        **ward_letterhead(table.ward, NUMBER, None, table.year, table.draft),
        "table": table, "plan": table.plan, "title": TITLE, "auto_note": auto_note(table), "rescaled_note": RESCALED_NOTE,
        "score_titles": SCORE_TITLES, "band_title": BAND_TITLE, "head_title": HEAD_TITLE, "basis_title": BASIS_TITLE,
    })


def table_xlsx(table):
    """.xlsx bytes: a header block, then Hạng, Đơn vị, Cơ sở chấm điểm, one column per criterion, the scores,
    Xếp loại, the head's assessment; notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng CCHC"
    width = FIXED_LEFT + len(table.columns) + len(SCORE_TITLES) + 2
    head_row = _xlsx_header(sheet, table, width)
    _xlsx_rows(sheet, table, head_row)
    notes = [f"Ghi chú: {auto_note(table)}"] + ([RESCALED_NOTE] if any(r.rescaled for r in table.rows) else [])
    for offset, text in enumerate(notes, head_row + len(table.rows) + 2):
        xlsx.put(sheet, offset, 1, text).font = Font(italic=True)
    _xlsx_page(sheet, table, head_row)
    return xlsx.save(book)


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _xlsx_header(sheet, table, width):
    """The issuer, title, scope and date lines, each merged across the table; returns the titles' row."""
    status = table.as_of + (" · DỰ THẢO" if table.draft else "")
    lines = [(table.ward.short_committee, Font(bold=True)), (TITLE, Font(bold=True, size=13)), (table.scope_line, None),
             (status, Font(italic=True))]
    for number, (text, font) in enumerate(lines, 1):
        cell = xlsx.put(sheet, number, 1, text)
        if font:
            cell.font = font
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    head_row = len(lines) + 2
    titles = ["Hạng", "Đơn vị", BASIS_TITLE] + table.column_titles()
    for col, text in enumerate(titles + SCORE_TITLES + [BAND_TITLE, HEAD_TITLE], 1):
        cell = xlsx.put(sheet, head_row, col, text)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return head_row


FIXED_LEFT = 3  # Hạng, Đơn vị, Cơ sở chấm điểm


def _xlsx_rows(sheet, table, head_row):
    """One row per unit; scores as numbers (empty where there is none), the appraised final marked by format,
    a criterion's own maximum (where its column's differ) in the number format too, so the cell stays a number."""
    heads = table.heads
    for r, row in enumerate(table.rows, head_row + 1):
        unit = f"{row.code} – {row.name}" + (" (*)" if row.rescaled else "")
        scores = [row.computed, row.self_total, row.appraised, row.final]
        criteria = [NOT_APPLICABLE if top is None else _number(c) for c, top in zip(row.criteria, row.maxima)]
        values = ([row.rank_label, unit, row.basis_text] + criteria + [_number(s) for s in scores]
                  + [row.band_text.replace("\n", " "), row.head])
        for col, value in enumerate(values, 1):
            cell = xlsx.put(sheet, r, col, value)
            cell.border = BOX
            if isinstance(value, float):
                cell.number_format = NUMBER_FORMAT
        for i, (top, (_, per_unit)) in enumerate(zip(row.maxima, heads)):
            if per_unit and top is not None:
                sheet.cell(r, FIXED_LEFT + 1 + i).number_format = f'0.00" /{vn_points(top)}"'
        final = sheet.cell(r, FIXED_LEFT + len(row.criteria) + len(scores))
        final.font = Font(bold=True)
        if row.is_appraised:
            final.number_format = APPRAISED_FORMAT


def _number(hundredths):
    return None if hundredths is None else hundredths / 100


def _xlsx_page(sheet, table, head_row):
    sheet.freeze_panes = sheet.cell(head_row + 1, FIXED_LEFT + 1)
    sheet.print_title_rows = f"{head_row}:{head_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    widths = [16, 42, 20] + [16] * len(table.columns) + [13] * len(SCORE_TITLES) + [30, 40]
    for col, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = w
