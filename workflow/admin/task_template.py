"""The .xlsx template of the task catalogue that admins fill in and import. Written through
workflow/xlsx.py: area and unit names are typed data, made safe as text there."""
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from .. import xlsx
from ..extensions import db
from ..models import Plan, Unit
from .task_import import HEADINGS, MAX_ROWS, SHEET

GUIDE_SHEET = "Hướng dẫn"

WIDTHS = [14, 12, 40, 60, 18, 30, 16, 36]
RULES = [
    "Mỗi dòng của trang “Nhiệm vụ” là một nhiệm vụ; dòng trống được bỏ qua. Xóa dòng ví dụ trước khi nhập.",
    "Bắt buộc: Mã nhiệm vụ, Lĩnh vực, Tên ngắn, Nội dung, Đơn vị chủ trì, Thời hạn. "
    "Đơn vị phối hợp và Sản phẩm có thể để trống.",
    "Mã nhiệm vụ (ví dụ 3.a) tối đa 20 ký tự và không trùng nhau trong tệp. Mã đã có trong kế hoạch thì "
    "nhiệm vụ đó được cập nhật theo tệp; mã chưa có thì thêm nhiệm vụ mới.",
    "Lĩnh vực: ghi số của lĩnh vực theo bảng trên.",
    "Thời hạn: ngày dạng dd/mm/yyyy (hoặc ô kiểu ngày của Excel), nằm trong thời gian của kế hoạch ghi ở dòng 2.",
    "Đơn vị: ghi mã đơn vị theo bảng trên. Các đơn vị phối hợp cách nhau bởi dấu phẩy và không gồm đơn vị chủ trì.",
    "Tên ngắn và Sản phẩm tối đa 300 ký tự.",
    f"Tối đa {MAX_ROWS:,} dòng nhiệm vụ mỗi tệp.".replace(",", "."),
    "Nếu có dòng sai, không nhiệm vụ nào được nhập: hệ thống liệt kê mọi dòng, cột sai để sửa rồi nhập lại cả tệp.",
]


def _example_row(plan, units):
    area = plan.areas[0] if plan.areas else None
    lead = units[0].code if units else ""
    return [f"{area.number if area else 1}.vd", area.number if area else 1,
            "(Ví dụ) Rà soát quy chế làm việc của đơn vị",
            "Rà soát, sửa đổi quy chế làm việc bảo đảm phù hợp với tổ chức bộ máy mới.",
            lead, ", ".join(u.code for u in units[1:3]), plan.end_date, "Quy chế được ban hành"]


def _fill_task_sheet(sheet, plan, units):
    xlsx.append(sheet, HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    xlsx.append(sheet, _example_row(plan, units))
    sheet["G2"].number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGH", WIDTHS):
        sheet.column_dimensions[letter].width = width
    # Codes like 1.10 must stay text, and typed dates should look like dd/mm/yyyy.
    sheet.column_dimensions["A"].number_format = "@"
    sheet.column_dimensions["G"].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"


def _bold_row(sheet, values):
    xlsx.append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _fill_guide(sheet, plan, units):
    """Returns the cell ranges of the area numbers and unit codes, for the drop-down lists."""
    _bold_row(sheet, [f"Hướng dẫn nhập danh mục nhiệm vụ — {plan.title}"])
    xlsx.append(sheet, [f"Thời gian của kế hoạch: {plan.start_date:%d/%m/%Y} – {plan.end_date:%d/%m/%Y}. "
                        f"Thời hạn của mọi nhiệm vụ phải nằm trong khoảng này."])
    xlsx.append(sheet, [])
    _bold_row(sheet, ["Số", "Lĩnh vực"])
    first = sheet.max_row + 1
    for area in plan.areas:
        xlsx.append(sheet, [area.number, area.name])
    areas = f"$A${first}:$A${sheet.max_row}"
    xlsx.append(sheet, [])
    _bold_row(sheet, ["Mã đơn vị", "Tên đơn vị"])
    first = sheet.max_row + 1
    for unit in units:
        xlsx.append(sheet, [unit.code, unit.name])
    unit_codes = f"$A${first}:$A${sheet.max_row}"
    xlsx.append(sheet, [])
    _bold_row(sheet, ["", "Quy tắc"])
    for number, rule in enumerate(RULES, 1):
        xlsx.append(sheet, [f"{number}.", rule])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 100
    return areas, unit_codes


def _add_choices(sheet, areas, unit_codes):
    """Drop-down lists on the area and lead-unit columns; typing a value is still checked on import."""
    last = MAX_ROWS + 1
    for cells, source, message in (
            (f"B2:B{last}", areas, "Ghi số lĩnh vực theo trang “Hướng dẫn”."),
            (f"E2:E{last}", unit_codes, "Ghi mã đơn vị theo trang “Hướng dẫn”.")):
        choice = DataValidation(type="list", formula1=f"'{GUIDE_SHEET}'!{source}", allow_blank=True,
                                showErrorMessage=True, errorTitle="Giá trị không có trong danh sách",
                                error=message)
        choice.add(cells)
        sheet.add_data_validation(choice)


def template_workbook(plan: Plan) -> bytes:
    """The .xlsx an admin fills in: the task sheet with one example row, and a guide sheet."""
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = SHEET
    _fill_task_sheet(tasks, plan, units)
    areas, unit_codes = _fill_guide(workbook.create_sheet(GUIDE_SHEET), plan, units)
    if plan.areas and units:
        _add_choices(tasks, areas, unit_codes)
    return xlsx.save(workbook)
