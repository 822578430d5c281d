"""The procedure-dossier table of a unit report (national form Biểu II.06a, Tình hình giải quyết thủ
tục hành chính) as an .xlsx sheet: the template a unit fills in, and the reader of that template or
of the same table exported by the national DVC system.

`template(fields)` gives the .xlsx; `read(stream)` gives one dict per field (lĩnh vực) with the eleven
counts of DOSSIER_COUNTS, or raises SheetError with every problem of the file. All or nothing: a file
with any mistake gives no rows, so a report never holds half a sheet.

The header is recognised by its labels, not by position: accents, case, line breaks and spacing do
not matter, and a label used twice ("Tổng số", "Quá hạn") is told apart by its group header above
("Tiếp nhận", "Đã giải quyết", "Đang giải quyết"). An STT column, blank rows, a column-numbering row
under the header and the "Tổng cộng" row are skipped; the table ends at a total row below the fields,
so the signatures of an export are not read as fields.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import xlsx
from ..formats import MB, parse_vn_number, vn_number
from ..models import DOSSIER_COUNTS, DOSSIER_SUMS, DossierRow
from .forms import MAX_COUNT

SHEET = "Biểu II.06a"
TITLE = "Biểu II.06a — Tình hình giải quyết thủ tục hành chính"
HINT = ("Ghi số hồ sơ bằng số nguyên không âm; ô để trống được tính là 0. Các cột “Tổng số” có thể để "
        "trống: hệ thống tự cộng từ các cột thành phần.")
FIELD_LABEL = "Lĩnh vực"
RECEIVED, RESOLVED, PENDING = "Tiếp nhận", "Đã giải quyết", "Đang giải quyết"
# The columns of the form, in its order: (count, group header, column header).
LAYOUT = [
    ("received_total", RECEIVED, "Tổng số"),
    ("received_online", RECEIVED, "Trực tuyến"),
    ("received_direct", RECEIVED, "Trực tiếp, bưu chính"),
    ("received_carried", RECEIVED, "Kỳ trước chuyển qua"),
    ("resolved_total", RESOLVED, "Tổng số"),
    ("resolved_early", RESOLVED, "Trước hạn"),
    ("resolved_on_time", RESOLVED, "Đúng hạn"),
    ("resolved_late", RESOLVED, "Quá hạn"),
    ("pending_total", PENDING, "Tổng số"),
    ("pending_within", PENDING, "Trong hạn"),
    ("pending_overdue", PENDING, "Quá hạn"),
]
GROUPS = [RECEIVED, RESOLVED, PENDING]
AMBIGUOUS = {"Tổng số", "Quá hạn"}
# How a column is named in a message: a header used in two groups is named with its group.
LABELS = {name: f"{group} – {label}" if label in AMBIGUOUS else label for name, group, label in LAYOUT}
NAME_LIMIT = DossierRow.__table__.c.field_name.type.length

# Limits: a Biểu II.06a is a few dozen rows; a file far bigger is a mistake or a zip bomb.
MAX_BYTES = 5 * MB
MAX_UNPACKED = 50 * MB      # the declared uncompressed size of all the parts of the .xlsx
MAX_ROWS = 500              # fields
MAX_SCANNED_ROWS = 20000    # rows of the sheet, blank ones included
MAX_COLUMNS = 40            # columns read of each row
MAX_ELEMENTS = 200_000      # XML elements of the whole file (a filled Biểu II.06a has a few thousand)
HEADER_SCAN = 30            # the header must start within these rows
HEADER_DEPTH = 4            # lines a header may span

NOT_XLSX = ("Tệp không phải là tệp Excel .xlsx hợp lệ (tệp bị hỏng, hoặc là loại tệp khác chỉ được đổi đuôi "
            "thành .xlsx). Hãy mở tệp bằng Excel, lưu lại dưới dạng “Excel Workbook (.xlsx)” rồi nhập lại, "
            "hoặc dùng tệp mẫu.")
DAMAGED = "Không đọc được nội dung trang tính; tệp có thể bị hỏng. Hãy lưu lại tệp bằng Excel rồi nhập lại."
TOO_LARGE = (f"Tệp quá lớn để là Biểu II.06a (tối đa {MAX_BYTES // MB} MB, {MAX_UNPACKED // MB} MB khi giải nén). "
             f"Hãy xóa các trang tính, hình ảnh không cần thiết rồi nhập lại.")
TOO_MANY_ROWS = f"Biểu có quá {MAX_ROWS} dòng lĩnh vực; hãy kiểm tra lại tệp."
TOO_MANY_LINES = (f"Trang tính có quá {MAX_SCANNED_ROWS:,} dòng; hãy xóa các dòng thừa ở cuối trang tính "
                  f"rồi nhập lại.").replace(",", ".")
NO_ROWS = "Biểu II.06a trong tệp chưa có dòng lĩnh vực nào."
NO_HEADER = (f"Không tìm thấy dòng tiêu đề của Biểu II.06a trong {HEADER_SCAN} dòng đầu của trang tính: cần cột "
             f"“{FIELD_LABEL}” và các cột {RECEIVED} (Tổng số, Trực tuyến, Trực tiếp, bưu chính, Kỳ trước "
             f"chuyển qua), {RESOLVED} (Tổng số, Trước hạn, Đúng hạn, Quá hạn), {PENDING} (Tổng số, Trong "
             f"hạn, Quá hạn). Hãy dùng tệp mẫu, hoặc tệp Biểu II.06a xuất từ hệ thống giải quyết thủ tục "
             f"hành chính.")


class SheetError(Exception):
    """The file gives no rows; `messages` lists every problem found, in Vietnamese."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class CellError(Exception):
    """One count cell cannot be read; the reason is shown after the cell's position."""


# ---- text ---------------------------------------------------------------------------------------

def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value):
    """A cell as one line of text: no spurious '.0', Vietnamese letters in one Unicode form."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _key(value):
    """'Trực tiếp,\\n  bưu chính' -> 'truc tiep buu chinh': no accents, case, punctuation or extra spaces."""
    text = unicodedata.normalize("NFD", _text(value).casefold()).replace("đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _shown(value):
    """A cell as quoted in a message: as Excel shows it, "2,5" and TRUE rather than Python's 2.5 and True."""
    if isinstance(value, bool):
        text = str(value).upper()
    elif isinstance(value, float) and not value.is_integer():
        text = vn_number(value, 6)
    else:
        text = _text(value)
    return text if len(text) <= 40 else text[:39] + "…"


# ---- the header ---------------------------------------------------------------------------------

GROUP_KEYS = [  # "dang" before "da"; a phrase in a cell gives that cell, and the cells under it, a group
    (PENDING, re.compile(r"\bdang giai quyet\b")),
    (RESOLVED, re.compile(r"\bda giai quyet\b")),
    (RECEIVED, re.compile(r"\b(tiep nhan|nhan giai quyet)\b")),
]
FILLERS = ("so ho so ", "ho so ", "so ", "tra ", "trong do ")
# Column header (after its fillers) -> count, by group; a header may also go on, e.g. "Tổng số hồ sơ".
LEAVES = [
    ("tong", {RECEIVED: "received_total", RESOLVED: "resolved_total", PENDING: "pending_total"}),
    ("truc tuyen", {RECEIVED: "received_online"}),
    ("truc tiep", {RECEIVED: "received_direct"}),
    ("ky truoc", {RECEIVED: "received_carried"}),
    ("tu ky truoc", {RECEIVED: "received_carried"}),
    ("truoc han", {RESOLVED: "resolved_early"}),
    ("truoc thoi han", {RESOLVED: "resolved_early"}),
    ("dung han", {RESOLVED: "resolved_on_time"}),
    ("dung thoi han", {RESOLVED: "resolved_on_time"}),
    ("qua han", {RESOLVED: "resolved_late", PENDING: "pending_overdue"}),
    ("qua thoi han", {RESOLVED: "resolved_late", PENDING: "pending_overdue"}),
    ("trong han", {PENDING: "pending_within"}),
    ("trong thoi han", {PENDING: "pending_within"}),
    ("chua den han", {PENDING: "pending_within"}),
]
FIELD_KEYS = ("linh vuc", "ten linh vuc")


@dataclass
class Header:
    number: int                     # Excel row of the header's last line
    field_column: int | None        # 0-based
    columns: dict = field(default_factory=dict)     # count -> 0-based column

    @property
    def complete(self):
        return self.field_column is not None and len(self.columns) == len(DOSSIER_COUNTS)

    @property
    def score(self):
        return len(self.columns) + (self.field_column is not None)

    def missing(self):
        labels = [] if self.field_column is not None else [FIELD_LABEL]
        return labels + [LABELS[name] for name, _, _ in LAYOUT if name not in self.columns]


def _split_group(key):
    """(group named in the text or None, the text without it)."""
    for group, pattern in GROUP_KEYS:
        if pattern.search(key):
            return group, " ".join(pattern.sub(" ", key).split())
    return None, key


def _strip_fillers(key):
    changed = True
    while changed:
        changed = False
        for filler in FILLERS:
            if key.startswith(filler):
                key, changed = key[len(filler):], True
    return key


def _count_of(key, above):
    """The count a column header names; `above` are the (merged-out) cells over it, nearest first."""
    group, leaf = _split_group(key)
    for upper in above:
        if group is not None:
            break
        if not _is_blank(upper):
            group = _split_group(_key(upper))[0]
    leaf = _strip_fillers(leaf)
    for alias, by_group in LEAVES:
        if leaf == alias or leaf.startswith(alias + " "):
            return by_group.get(group)
    return None


def _forward_fill(values, width):
    """A group header merged over several columns is stored in its first cell only: spread it right."""
    filled, last = [], None
    for i in range(width):
        value = values[i] if i < len(values) else None
        last = last if _is_blank(value) else value
        filled.append(last)
    return filled


def _lowest(block, column):
    """(line index, value) of the lowest non-blank cell of a column in the header block, or None."""
    for i in range(len(block) - 1, -1, -1):
        values = block[i][1]
        if column < len(values) and not _is_blank(values[column]):
            return i, values[column]
    return None


def _match_block(block):
    """The columns a block of lines (the last one being the header's last line) names."""
    width = max(len(values) for _, values in block)
    filled = [_forward_fill(values, width) for _, values in block]
    header = Header(block[-1][0], None)
    for column in range(width):
        lowest = _lowest(block, column)
        if lowest is None:
            continue
        line, value = lowest
        key = _key(value)
        if key.startswith(FIELD_KEYS):
            header.field_column = column if header.field_column is None else header.field_column
            continue
        name = _count_of(key, [filled[j][column] for j in range(line - 1, -1, -1)])
        if name is not None:
            header.columns.setdefault(name, column)
    return header


def _find_header(lines):
    """The first complete header among the lines, else the closest one (None if nothing alike)."""
    best = None
    for end in range(len(lines)):
        header = _match_block(lines[max(0, end - HEADER_DEPTH + 1): end + 1])
        if header.complete:
            return header
        if header.score >= 4 and (best is None or header.score > best.score):
            best = header
    return best


def _no_header(best, sheet_title):
    if best is None:
        return NO_HEADER
    return (f"{NO_HEADER} Dòng {best.number} của trang “{sheet_title}” giống dòng tiêu đề nhưng thiếu cột: "
            f"{'; '.join(best.missing())}.")


# ---- reading the workbook -----------------------------------------------------------------------

def _limits():
    """Read at call time, so a test may lower one of the module's limits."""
    return xlsx.Limits(max_bytes=MAX_BYTES, max_unpacked=MAX_UNPACKED, max_rows=MAX_SCANNED_ROWS,
                       max_columns=MAX_COLUMNS, max_elements=MAX_ELEMENTS)


# The Biểu II.06a wording of each refusal of workflow/xlsx.py (the others keep its own).
REFUSALS = {xlsx.NOT_XLSX: NOT_XLSX, xlsx.TOO_LARGE: TOO_LARGE, xlsx.TOO_MANY_ROWS: TOO_MANY_LINES,
            xlsx.DAMAGED: DAMAGED}


def _refusal(err):
    return SheetError(REFUSALS.get(err.reason, err.message))


def _sheet_lines(sheet):
    """(Excel row number, values) of every row, at most MAX_COLUMNS values each (xlsx.rows)."""
    try:
        yield from xlsx.rows(sheet, _limits())
    except xlsx.Refused as err:
        raise _refusal(err) from err


def _locate_table(workbook):
    """(header, the lines under it) of the first sheet holding the table."""
    best, best_title = None, ""
    for sheet in workbook.worksheets:
        lines = _sheet_lines(sheet)
        head = list(islice(lines, HEADER_SCAN + HEADER_DEPTH))
        header = _find_header(head)
        if header is not None and header.complete:
            return header, chain(head[header.number:], lines)
        lines.close()  # lets go of the sheet's part of the archive
        if header is not None and (best is None or header.score > best.score):
            best, best_title = header, sheet.title
    raise SheetError(_no_header(best, best_title))


# ---- the rows of the table ----------------------------------------------------------------------

@dataclass
class SheetRow:
    number: int
    name: object
    cells: dict     # count -> raw cell value


NUMBERING = re.compile(r"^\(?([A-Za-z]|\d{1,2})\)?(\s*[-=+*/xX]\s*\(?\d{1,2}\)?)*$")


def _is_numbering(values):
    """The row "(1) (2) (3) …" or "A B 1 2 …" that forms print under their header."""
    texts = [_text(v) for v in values if not _is_blank(v)]
    if len(texts) < 3 or not all(NUMBERING.match(t) for t in texts):
        return False
    numbers = [int(n) for n in (NUMBERING.match(t).group(1) for t in texts) if n.isdigit()]
    return len(numbers) >= 3 and all(a < b for a, b in zip(numbers, numbers[1:]))


def _is_total(values):
    """A "Tổng cộng" row: its first filled cell (STT or Lĩnh vực) says so."""
    first = next((v for v in values if not _is_blank(v)), None)
    key = _key(first) if first is not None else ""
    return key in ("tong", "tong so", "cong") or key.startswith("tong cong")


def _sheet_row(number, values, header):
    """The row's field name and count cells, or None when all of them are blank."""
    def cell(column):
        return values[column] if column < len(values) else None
    row = SheetRow(number, cell(header.field_column), {n: cell(c) for n, c in header.columns.items()})
    return None if _is_blank(row.name) and all(_is_blank(v) for v in row.cells.values()) else row


def _table_rows(header, lines):
    """The field rows under the header: blank, numbering and total rows skipped; the table ends at a
    total row that follows fields."""
    rows, first = [], True
    for number, values in lines:
        row = _sheet_row(number, values, header)
        if row is None:
            continue
        skip = first and _is_numbering(values)
        first = False
        if skip:
            continue
        if _is_total(values):
            if rows:
                break
            continue
        if len(rows) == MAX_ROWS:
            raise SheetError(TOO_MANY_ROWS)
        rows.append(row)
    if not rows:
        raise SheetError(NO_ROWS)
    return rows


# ---- checking the rows --------------------------------------------------------------------------

def _count(value):
    """A count cell as an int (None when blank); CellError for anything else."""
    if _is_blank(value) or (isinstance(value, str) and value.strip() in ("-", "–", "—")):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CellError(f"“{_shown(value)}” không phải là số.")
    if isinstance(value, str):
        try:
            number = parse_vn_number(value)
        except ValueError:
            raise CellError(f"“{_shown(value)}” không phải là số.") from None
    else:
        number = value
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"“{_shown(value)}” không phải là số.")
    if number < 0:
        raise CellError(f"“{_shown(value)}” là số âm; số hồ sơ không được âm.")
    if number != int(number):
        raise CellError(f"“{_shown(value)}” không phải là số nguyên.")
    if number > MAX_COUNT:
        raise CellError(f"“{_shown(value)}” quá lớn.")
    return int(number)


def _where(number, column, label):
    return f"Dòng {number}, cột {get_column_letter(column + 1)} ({label})"


def _parse_counts(row, header):
    """(counts read, None for blank; messages for the cells that cannot be read)."""
    counts, errors = {}, []
    for name in sorted(DOSSIER_COUNTS, key=header.columns.get):  # messages in the sheet's column order
        try:
            counts[name] = _count(row.cells[name])
        except CellError as err:
            errors.append(f"{_where(row.number, header.columns[name], LABELS[name])}: {err}")
    return counts, errors


def _sum_errors(row, header, counts):
    """Fill blank totals from their parts; a message for each total that differs from them."""
    errors = []
    for total, parts in DOSSIER_SUMS.items():
        if not all(name in counts for name in (total, *parts)):
            continue  # a cell of the group is unreadable: already reported
        expected = sum(counts[p] or 0 for p in parts)
        if counts[total] is None:
            counts[total] = expected
        elif counts[total] != expected:
            letters = " + ".join(get_column_letter(header.columns[p] + 1) for p in parts)
            errors.append(f"{_where(row.number, header.columns[total], LABELS[total])}: {counts[total]} khác "
                          f"tổng các cột thành phần {letters} = {expected}.")
    return errors


def _balance_error(row, header, counts):
    """What was received is either resolved or still pending."""
    outcomes = ("resolved_total", "pending_total")
    expected = sum(counts[n] for n in outcomes)
    if counts["received_total"] == expected:
        return []
    letters = " + ".join(get_column_letter(header.columns[n] + 1) for n in outcomes)
    return [f"{_where(row.number, header.columns['received_total'], LABELS['received_total'])}: "
            f"{counts['received_total']} khác {RESOLVED} + {PENDING} ({letters}) = {expected}."]


def _name_errors(row, header, name):
    where = _where(row.number, header.field_column, FIELD_LABEL)
    if not name:
        return [f"{where}: chưa ghi tên lĩnh vực của dòng có số liệu."]
    if NAME_LIMIT and len(name) > NAME_LIMIT:
        return [f"{where}: tên lĩnh vực dài {len(name)} ký tự; tối đa {NAME_LIMIT} ký tự."]
    return []


def _check_row(row, header):
    """(the row as a dict, its messages)."""
    name = "" if _is_blank(row.name) else _text(row.name)
    counts, errors = _parse_counts(row, header)
    errors += _sum_errors(row, header, counts)
    if not errors:  # the balance of the totals means something only when each of them is right
        errors += _balance_error(row, header, counts)
    errors = _name_errors(row, header, name) + errors
    return {"field_name": name, **{n: counts.get(n) or 0 for n in DOSSIER_COUNTS}}, errors


def _duplicate_errors(rows, header):
    errors, first_seen = [], {}
    for row, data in rows:
        key = data["field_name"].casefold()
        if key and key in first_seen:
            errors.append(f"{_where(row.number, header.field_column, FIELD_LABEL)}: lĩnh vực "
                          f"“{_shown(data['field_name'])}” trùng với dòng {first_seen[key]}.")
        elif key:
            first_seen[key] = row.number
    return errors


def _check_rows(rows, header):
    checked, errors = [], []
    for row in rows:
        data, row_errors = _check_row(row, header)
        checked.append((row, data))
        errors += row_errors
    errors += _duplicate_errors(checked, header)
    if errors:
        raise SheetError(errors)
    return [data for _, data in checked]


def read(stream) -> list[dict]:
    """The rows of the Biểu II.06a table of an .xlsx file (a file object, or its bytes), in sheet
    order: {"field_name": str, <each of DOSSIER_COUNTS>: int}, blank totals computed from their parts.

    Raises SheetError listing every problem (file not .xlsx or too large, header not found, and each
    bad cell by row and column); then nothing is returned.
    """
    try:
        workbook = xlsx.open_workbook(stream, _limits())
    except xlsx.Refused as err:
        raise _refusal(err) from err
    try:
        header, lines = _locate_table(workbook)
        rows = _table_rows(header, lines)
    finally:
        workbook.close()
    return _check_rows(rows, header)


# ---- the template -------------------------------------------------------------------------------

FIRST_COUNT = 3             # column C: A is STT, B is Lĩnh vực
HEADER_ROW = 3              # the group headers; the column headers are on the row under it
EXTRA_ROWS = 20             # empty rows under the fields that keep the number rule, for fields added
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = {"A": 6, "B": 40}
COUNT_WIDTH = 12


def _write_title(sheet, last_column):
    xlsx.append(sheet, [TITLE])
    sheet["A1"].font = Font(bold=True, size=13)
    xlsx.append(sheet, [HINT])
    sheet["A2"].font = Font(italic=True)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 30
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _group_spans():
    """(group, first column, last column) of the group headers, 1-based."""
    spans = []
    for offset, (_, group, _) in enumerate(LAYOUT):
        column = FIRST_COUNT + offset
        if spans and spans[-1][0] == group:
            spans[-1] = (group, spans[-1][1], column)
        else:
            spans.append((group, column, column))
    return spans


def _write_header(sheet):
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    for column, label in ((1, "STT"), (2, FIELD_LABEL)):
        xlsx.put(sheet, top, column, label)
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    for group, first, last in _group_spans():
        xlsx.put(sheet, top, first, group)
        sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
    for offset, (_, _, label) in enumerate(LAYOUT):
        xlsx.put(sheet, bottom, FIRST_COUNT + offset, label)
    for row in sheet.iter_rows(min_row=top, max_row=bottom, max_col=FIRST_COUNT + len(LAYOUT) - 1):
        for cell in row:
            cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
    sheet.row_dimensions[bottom].height = 45


def _write_fields(sheet, fields, last_row):
    first = HEADER_ROW + 2
    for number, name in enumerate(fields, 1):
        xlsx.put(sheet, first + number - 1, 1, number)
        xlsx.put(sheet, first + number - 1, 2, name)  # a unit's own field name: any text it typed
    for row in sheet.iter_rows(min_row=first, max_row=last_row, max_col=FIRST_COUNT + len(LAYOUT) - 1):
        for cell in row:
            cell.border = BOX
            if cell.column >= FIRST_COUNT:
                cell.number_format = "#,##0"


def _add_number_rule(sheet, last_row):
    """Excel refuses a typed value that is not a whole number ≥ 0; the import checks it again."""
    rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                          showErrorMessage=True, errorTitle="Không phải số hồ sơ",
                          error="Ghi số nguyên không âm (số hồ sơ).")
    first, last = get_column_letter(FIRST_COUNT), get_column_letter(FIRST_COUNT + len(LAYOUT) - 1)
    rule.add(f"{first}{HEADER_ROW + 2}:{last}{last_row}")
    sheet.add_data_validation(rule)


def _set_widths(sheet):
    for offset in range(len(LAYOUT)):
        sheet.column_dimensions[get_column_letter(FIRST_COUNT + offset)].width = COUNT_WIDTH
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"{get_column_letter(FIRST_COUNT)}{HEADER_ROW + 2}"


def template(fields: list[str]) -> bytes:
    """The .xlsx a unit fills in: title, the two-level header of the form, one row per field with its
    counts empty (totals too: they are computed on import), and a few empty rows for more fields."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    last_row = HEADER_ROW + 1 + len(fields) + EXTRA_ROWS
    _write_title(sheet, FIRST_COUNT + len(LAYOUT) - 1)
    _write_header(sheet)
    _write_fields(sheet, fields, last_row)
    _add_number_rule(sheet, last_row)
    _set_widths(sheet)
    return xlsx.save(workbook)
