"""Import of the task catalogue (Phụ lục danh mục nhiệm vụ) from an .xlsx sheet, and its template.

All or nothing: every row is read and checked before anything is written, so the admin sees every
mistake of the file at once and the catalogue never holds half a file.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..access import require_admin
from ..extensions import db
from ..models import Area, Plan, Task, Unit
from ..validation import FieldError
from .services import apply_task_fields, validate_task_fields

SHEET = "Nhiệm vụ"
GUIDE_SHEET = "Hướng dẫn"
MAX_ROWS = 5000
# A sheet of mostly empty rows (or a zip bomb of them) must not keep a worker busy for minutes.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

NOT_XLSX = ("Tệp không phải là tệp Excel .xlsx hợp lệ (tệp bị hỏng, hoặc là loại tệp khác chỉ được đổi đuôi "
            "thành .xlsx). Hãy mở tệp bằng Excel, lưu lại dưới dạng “Excel Workbook (.xlsx)” rồi nhập lại, "
            "hoặc dùng tệp mẫu.")
DAMAGED = "Không đọc được nội dung trang tính; tệp có thể bị hỏng. Hãy lưu lại tệp bằng Excel rồi nhập lại."
TOO_MANY = f"Tệp có quá {MAX_ROWS:,} dòng nhiệm vụ; hãy chia thành nhiều tệp nhỏ hơn.".replace(",", ".")
CONCURRENT = ("Danh mục nhiệm vụ vừa được người khác thay đổi trong lúc nhập; chưa nhập nhiệm vụ nào. "
              "Vui lòng nhập lại tệp.")


class WorkbookError(Exception):
    """The file as a whole cannot be read as a task sheet; nothing was imported."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """One cell's value is not acceptable; the reason is shown to the admin."""


@dataclass
class RowError:
    row: int        # as Excel numbers it
    column: str     # the column heading
    value: str
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def total(self):
        return self.created + self.updated


@dataclass
class Catalogue:
    """What the rows are checked against, loaded once for the whole file."""
    plan: Plan
    areas: dict[int, Area]      # by number
    units: dict[str, Unit]      # by upper-case code
    tasks: dict[str, Task]      # this plan's tasks by code
    positions: dict[int, int]   # area id -> last position used

    def next_position(self, area_id):
        self.positions[area_id] = self.positions.get(area_id, 0) + 1
        return self.positions[area_id]


@dataclass
class SheetRow:
    number: int
    cells: dict        # field -> raw cell value


# ---- cell parsers: raw cell value -> value for validate_task_fields, or CellError -------------

def _clean(raw):
    """Cell value as text: numbers without a spurious '.0', Vietnamese text in one Unicode form."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return f"{raw:%d/%m/%Y}"
    return unicodedata.normalize("NFC", str(raw)).strip()


def _text(field_name):
    limit = Task.__table__.c[field_name].type.length  # the lengths of the model, not copies of them

    def parse(raw, _catalogue):
        text = _clean(raw)
        if limit and len(text) > limit:
            raise CellError(f"Dài {len(text)} ký tự; tối đa {limit} ký tự.")
        return text
    return parse


def _area(raw, catalogue):
    text = _clean(raw)
    area = catalogue.areas.get(int(text)) if text.isdigit() else None
    if area is None:
        numbers = ", ".join(str(n) for n in sorted(catalogue.areas))
        raise CellError(f"Không có lĩnh vực số này trong kế hoạch; ghi một trong các số: {numbers}.")
    return area.id


def _unit(raw, catalogue):
    code = _clean(raw).upper()
    if code not in catalogue.units:
        raise CellError(f"Không có đơn vị mã {code}.")
    return catalogue.units[code].id


def _units(raw, catalogue):
    codes = dict.fromkeys(c.strip().upper() for c in _clean(raw).replace(";", ",").split(",") if c.strip())
    unknown = [c for c in codes if c not in catalogue.units]
    if unknown:
        raise CellError(f"Không có đơn vị mã {', '.join(unknown)}.")
    return [catalogue.units[c].id for c in codes]


def _deadline(raw, _catalogue):
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(raw.strip(), fmt).date()
            except ValueError:
                pass
    raise CellError("Không phải ngày hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 30/09/2025.")


@dataclass(frozen=True)
class Column:
    field: str                      # key of the data validate_task_fields/apply_task_fields use
    heading: str
    what: str                       # named in "Chưa nhập ..."
    parse: Callable
    required: bool = True
    empty: object = None            # value of an optional blank cell


COLUMNS = [
    Column("code", "Mã nhiệm vụ", "mã nhiệm vụ", _text("code")),
    Column("area", "Lĩnh vực (số)", "số lĩnh vực", _area),
    Column("title", "Tên ngắn", "tên ngắn của nhiệm vụ", _text("title")),
    Column("content", "Nội dung", "nội dung nhiệm vụ", _text("content")),
    Column("lead_unit", "Đơn vị chủ trì (mã)", "mã đơn vị chủ trì", _unit),
    Column("cooperating_units", "Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)", "", _units,
           required=False, empty=[]),
    Column("deadline", "Thời hạn (dd/mm/yyyy)", "thời hạn", _deadline),
    Column("output", "Sản phẩm", "", _text("output"), required=False, empty=""),
]
HEADINGS = [c.heading for c in COLUMNS]
HEADING_OF = {c.field: c.heading for c in COLUMNS}
# The fields validate_task_fields reads; its rules run once all of them are readable.
RULE_FIELDS = {"code", "area", "deadline", "lead_unit", "cooperating_units"}
# Values that pass a shared rule, put in place of a failing one so the next rule can be checked too.
PASSING = {"deadline": lambda plan: plan.start_date, "cooperating_units": lambda plan: []}


def _heading_key(text):
    """'Đơn vị chủ trì (mã)' and 'đơn vị  chủ trì' name the same column."""
    text = unicodedata.normalize("NFC", str(text)).split("(")[0]
    return " ".join(text.split()).casefold()


FIELD_OF_KEY = {_heading_key(c.heading): c.field for c in COLUMNS}


# ---- reading the sheet --------------------------------------------------------------------------

def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_values(sheet):
    """Rows of values numbered as in Excel; openpyxl's many parse errors become one clear message."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl reports a damaged sheet with whatever its parser raised
            raise WorkbookError(DAMAGED) from exc
        number += 1
        if number > MAX_SCANNED_ROWS:
            raise WorkbookError(TOO_MANY)
        yield number, values


def _column_positions(header_number, header):
    positions = {}
    for index, value in enumerate(header):
        name = FIELD_OF_KEY.get(_heading_key(value)) if not _is_blank(value) else None
        if name is not None:
            positions.setdefault(name, index)
    missing = [c.heading for c in COLUMNS if c.field not in positions]
    if missing:
        raise WorkbookError(f"Dòng tiêu đề (dòng {header_number}) thiếu cột: {'; '.join(missing)}. "
                            f"Hãy dùng đúng các cột của tệp mẫu.")
    return positions


def _data_rows(sheet):
    """The header is the first non-blank row; blank rows under it are skipped."""
    numbered = _sheet_values(sheet)
    header = next(((n, v) for n, v in numbered if any(not _is_blank(x) for x in v)), None)
    if header is None:
        raise WorkbookError(f"Trang tính “{sheet.title}” không có dữ liệu.")
    positions = _column_positions(*header)
    rows = []
    for number, values in numbered:
        cells = {name: values[i] if i < len(values) else None for name, i in positions.items()}
        if all(_is_blank(v) for v in cells.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise WorkbookError(TOO_MANY)
        rows.append(SheetRow(number, cells))
    if not rows:
        raise WorkbookError(f"Trang tính “{sheet.title}” chỉ có dòng tiêu đề, chưa có nhiệm vụ nào.")
    return rows


def read_sheet(fileobj):
    """The non-blank rows of the task sheet ("Nhiệm vụ", else the first sheet) of an .xlsx file."""
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # a renamed text file, an .xls, a cut-off zip: each fails differently
        raise WorkbookError(NOT_XLSX) from exc
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong <dimension>; read the rows really there
        return _data_rows(sheet)
    finally:
        workbook.close()


# ---- checking rows ------------------------------------------------------------------------------

def _shown(raw):
    text = "" if raw is None else _clean(raw)
    return text if len(text) <= 80 else text[:79] + "…"


def _parse_row(row, catalogue):
    data, errors = {}, []
    for column in COLUMNS:
        raw = row.cells[column.field]
        try:
            if _is_blank(raw):
                if column.required:
                    raise CellError(f"Chưa nhập {column.what}.")
                data[column.field] = column.empty
            else:
                data[column.field] = column.parse(raw, catalogue)
        except CellError as err:
            errors.append(RowError(row.number, column.heading, _shown(raw), str(err)))
    return data, errors


def _rule_errors(plan, data, current):
    """Every shared task rule the row breaks: validate_task_fields stops at the first, so a failing
    field is replaced by a passing value and the rules run again."""
    errors, probe = [], dict(data)
    while True:
        try:
            validate_task_fields(plan, probe, current=current)
            return errors
        except FieldError as err:
            errors.append(err)
            if err.field not in PASSING or probe[err.field] == PASSING[err.field](plan):
                return errors
            probe[err.field] = PASSING[err.field](plan)


def check_rows(rows, catalogue):
    """(data of every row, errors of every bad row and column)."""
    parsed, errors, first_seen = [], [], {}
    for row in rows:
        data, row_errors = _parse_row(row, catalogue)
        code = data.get("code")
        if code in first_seen:
            row_errors.append(RowError(row.number, HEADING_OF["code"], code,
                                       f"Mã {code} trùng với dòng {first_seen[code]} của tệp."))
        elif code:
            first_seen[code] = row.number
        if RULE_FIELDS <= data.keys():
            row_errors += [RowError(row.number, HEADING_OF.get(e.field, e.field),
                                    _shown(row.cells.get(e.field)), e.message)
                           for e in _rule_errors(catalogue.plan, data, catalogue.tasks.get(code))]
        errors += sorted(row_errors, key=lambda e: HEADINGS.index(e.column) if e.column in HEADINGS else 99)
        parsed.append(data)
    return parsed, errors


def load_catalogue(plan):
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id)
                               .options(selectinload(Task.cooperating_units))).all()
    positions = {}
    for task in tasks:
        positions[task.area_id] = max(positions.get(task.area_id, 0), task.position)
    return Catalogue(plan=plan, areas={a.number: a for a in plan.areas},
                     units={u.code.upper(): u for u in db.session.scalars(select(Unit))},
                     tasks={t.code: t for t in tasks}, positions=positions)


# ---- writing ------------------------------------------------------------------------------------

def _write(catalogue, rows):
    """One transaction for the whole file."""
    result = ImportResult()
    try:
        # apply_task_fields queries units; without this every row would flush the rows before it.
        with db.session.no_autoflush:
            for data in rows:
                task = catalogue.tasks.get(data["code"])
                if task is None:
                    task = Task(plan_id=catalogue.plan.id)
                    data["position"] = catalogue.next_position(data["area"])
                    result.created += 1
                else:
                    data["position"] = task.position
                    task.version += 1
                    result.updated += 1
                apply_task_fields(task, data)
                db.session.add(task)
        db.session.commit()
    except IntegrityError as exc:  # another admin saved one of these codes meanwhile
        db.session.rollback()
        raise WorkbookError(CONCURRENT) from exc
    except BaseException:
        db.session.rollback()
        raise
    return result


def import_tasks(actor, plan, fileobj):
    """Create or update the plan's tasks from an .xlsx file; nothing is written if any row is wrong.

    Raises WorkbookError when the file as a whole is unusable; bad rows come back in result.errors.
    """
    require_admin(actor)
    rows = read_sheet(fileobj)
    catalogue = load_catalogue(plan)
    parsed, errors = check_rows(rows, catalogue)
    if errors:
        return ImportResult(errors=errors)
    return _write(catalogue, parsed)


# ---- the template -------------------------------------------------------------------------------

WIDTHS = [14, 12, 40, 60, 18, 30, 16, 36]
RULES = [
    "Mỗi dòng của trang “Nhiệm vụ” là một nhiệm vụ; dòng trống được bỏ qua. Xóa dòng ví dụ trước khi nhập.",
    "Bắt buộc: Mã nhiệm vụ, Lĩnh vực, Tên ngắn, Nội dung, Đơn vị chủ trì, Thời hạn. "
    "Đơn vị phối hợp và Sản phẩm có thể để trống.",
    "Mã nhiệm vụ (ví dụ 3.a) tối đa 20 ký tự và không trùng nhau trong tệp. Mã đã có trong kế hoạch thì "
    "nhiệm vụ đó được cập nhật theo tệp; mã chưa có thì thêm nhiệm vụ mới.",
    "Lĩnh vực: ghi số của lĩnh vực theo bảng trên.",
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
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append(_example_row(plan, units))
    sheet["G2"].number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGH", WIDTHS):
        sheet.column_dimensions[letter].width = width
    # Codes like 1.10 must stay text, and typed dates should look like dd/mm/yyyy.
    sheet.column_dimensions["A"].number_format = "@"
    sheet.column_dimensions["G"].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"


def _bold_row(sheet, values):
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _fill_guide(sheet, plan, units):
    """Returns the cell ranges of the area numbers and unit codes, for the drop-down lists."""
    _bold_row(sheet, [f"Hướng dẫn nhập danh mục nhiệm vụ — {plan.title}"])
    sheet.append([f"Thời gian của kế hoạch: {plan.start_date:%d/%m/%Y} – {plan.end_date:%d/%m/%Y}. "
                  f"Thời hạn của mọi nhiệm vụ phải nằm trong khoảng này."])
    sheet.append([])
    _bold_row(sheet, ["Số", "Lĩnh vực"])
    first = sheet.max_row + 1
    for area in plan.areas:
        sheet.append([area.number, area.name])
    areas = f"$A${first}:$A${sheet.max_row}"
    sheet.append([])
    _bold_row(sheet, ["Mã đơn vị", "Tên đơn vị"])
    first = sheet.max_row + 1
    for unit in units:
        sheet.append([unit.code, unit.name])
    unit_codes = f"$A${first}:$A${sheet.max_row}"
    sheet.append([])
    _bold_row(sheet, ["", "Quy tắc"])
    for number, rule in enumerate(RULES, 1):
        sheet.append([f"{number}.", rule])
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


def template_workbook(plan):
    """The .xlsx an admin fills in: the task sheet with one example row, and a guide sheet."""
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = SHEET
    _fill_task_sheet(tasks, plan, units)
    areas, unit_codes = _fill_guide(workbook.create_sheet(GUIDE_SHEET), plan, units)
    if plan.areas and units:
        _add_choices(tasks, areas, unit_codes)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
