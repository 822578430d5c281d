"""Import of the task catalogue (Phụ lục danh mục nhiệm vụ) from an .xlsx sheet.

All or nothing: every row is read and checked before anything is written, so the admin sees every
mistake of the file at once and the catalogue never holds half a file.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import versioning, xlsx
from ..access import require_admin
from ..extensions import db
from ..formats import MB
from ..models import Area, Plan, Task, Unit
from ..validation import FieldError, StaleVersion, parse_id
from .services import apply_task_fields, validate_task_fields

SHEET = "Nhiệm vụ"
MAX_ROWS = 5000
# A sheet of mostly empty rows, a row of a million cells, a zip that unpacks to gigabytes: each is refused
# before it is loaded (workflow/xlsx.py), so no file keeps a worker busy for minutes.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_BYTES = 10 * MB             # a catalogue of 5,000 tasks is well under 2 MB
MAX_UNPACKED = 50 * MB
MAX_COLUMNS = 100               # values read of each row: the header's columns must be among them
MAX_ELEMENTS = 500_000          # XML elements of the whole file; 5,000 tasks as Excel writes them: ~170,000
LIMITS = xlsx.Limits(max_bytes=MAX_BYTES, max_unpacked=MAX_UNPACKED, max_rows=MAX_SCANNED_ROWS,
                     max_columns=MAX_COLUMNS, max_elements=MAX_ELEMENTS)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

NOT_XLSX = ("Tệp không phải là tệp Excel .xlsx hợp lệ (tệp bị hỏng, hoặc là loại tệp khác chỉ được đổi đuôi "
            "thành .xlsx). Hãy mở tệp bằng Excel, lưu lại dưới dạng “Excel Workbook (.xlsx)” rồi nhập lại, "
            "hoặc dùng tệp mẫu.")
DAMAGED = "Không đọc được nội dung trang tính; tệp có thể bị hỏng. Hãy lưu lại tệp bằng Excel rồi nhập lại."
TOO_MANY = f"Tệp có quá {MAX_ROWS:,} dòng nhiệm vụ; hãy chia thành nhiều tệp nhỏ hơn.".replace(",", ".")
TOO_LARGE = (f"Tệp quá lớn để là danh mục nhiệm vụ (tối đa {MAX_BYTES // MB} MB, {MAX_UNPACKED // MB} MB khi "
             f"giải nén). Hãy dùng tệp mẫu, xóa các trang tính, hình ảnh không cần thiết rồi nhập lại.")
CONCURRENT = ("Danh mục nhiệm vụ vừa được người khác thay đổi trong lúc nhập; chưa nhập nhiệm vụ nào. "
              "Vui lòng nhập lại tệp.")


class WorkbookError(Exception):
    """The file as a whole cannot be read as a task sheet; nothing was imported."""
    status = 422

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ConcurrentImport(WorkbookError):
    """A task of the file was changed (or a new code taken) by someone else while the file was checked:
    nothing was imported; importing the file again checks it against what is there now."""
    status = 409

    def __init__(self):
        super().__init__(CONCURRENT)


# The task import's wording of each refusal of workflow/xlsx.py (a row too wide keeps its own).
REFUSALS = {xlsx.NOT_XLSX: NOT_XLSX, xlsx.TOO_LARGE: TOO_LARGE, xlsx.TOO_MANY_ROWS: TOO_MANY, xlsx.DAMAGED: DAMAGED}


def _refusal(err):
    return WorkbookError(REFUSALS.get(err.reason, err.message))


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
    versions: dict[int, int] = field(default_factory=dict)  # task id -> the version the file is checked against

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
    number = parse_id(text)  # ASCII digits within range: "5" is an area, 5,000 digits are nothing
    area = catalogue.areas.get(number) if number is not None else None
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
COLUMN_ORDER = {heading: index for index, heading in enumerate(HEADINGS)}
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
    """Rows of values numbered as in Excel, at most MAX_COLUMNS each (xlsx.rows)."""
    try:
        yield from xlsx.rows(sheet, LIMITS)
    except xlsx.Refused as err:
        raise _refusal(err) from err


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


def read_sheet(fileobj: BinaryIO) -> list[SheetRow]:
    """The non-blank rows of the task sheet ("Nhiệm vụ", else the first sheet) of an .xlsx file.
    The file is checked against LIMITS before anything of it is loaded (workflow/xlsx.py)."""
    try:
        workbook = xlsx.open_workbook(fileobj, LIMITS)
    except xlsx.Refused as err:
        raise _refusal(err) from err
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
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
        errors += sorted(row_errors, key=lambda e: COLUMN_ORDER.get(e.column, len(COLUMN_ORDER)))
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
                     tasks={t.code: t for t in tasks}, positions=positions,
                     versions={t.id: t.version for t in tasks})


# ---- writing ------------------------------------------------------------------------------------

def _write(catalogue, rows):
    """One transaction for the whole file.

    Every task the file updates is first moved on from the version the file was checked against
    (versioning.bump: a task saved meanwhile in the editor, or by another import, refuses the whole file
    with 409 instead of being overwritten). The bumps go in id order and new tasks in code order, so two
    imports at once wait for each other in a line, never in a circle."""
    result = ImportResult()
    for data in rows:  # positions follow the file's order
        task = catalogue.tasks.get(data["code"])
        data["position"] = task.position if task is not None else catalogue.next_position(data["area"])
    updated = sorted((catalogue.tasks[d["code"]] for d in rows if d["code"] in catalogue.tasks), key=lambda t: t.id)
    try:
        for task in updated:
            versioning.bump(task, catalogue.versions[task.id])
        # apply_task_fields queries units; without this every row would flush the rows before it.
        with db.session.no_autoflush:
            for data in sorted(rows, key=lambda d: d["code"]):
                task = catalogue.tasks.get(data["code"])
                if task is None:
                    task = Task(plan_id=catalogue.plan.id)
                    result.created += 1
                else:
                    result.updated += 1
                apply_task_fields(task, data)
                db.session.add(task)
        db.session.commit()
    except StaleVersion as exc:  # bump() has rolled back
        raise ConcurrentImport() from exc
    except IntegrityError as exc:  # another admin saved one of these codes meanwhile
        db.session.rollback()
        raise ConcurrentImport() from exc
    except BaseException:
        db.session.rollback()
        raise
    return result


def import_tasks(actor, plan: Plan, fileobj: BinaryIO) -> ImportResult:
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
