"""Every .xlsx the app writes or reads goes through here, so each danger is handled once.

Writing (the ranking export, the task template, the Biểu II.06a template): `put` and `append` write
cells, `save` gives the file's bytes.
- Text loses the characters XML 1.0 cannot carry (openpyxl would raise IllegalCharacterError on them,
  and a criterion label or a unit name holding one would make every export of it fail): a vertical tab
  (Word's manual line break) and a form feed become a line break, the other control characters, lone
  surrogates and U+FFFE/U+FFFF are dropped; a carriage return is written as the line feed XML reads it
  as anyway. Text longer than a cell holds is cut.
- Text a spreadsheet would take for a formula (beginning with = + - @, a tab or a carriage return / line
  feed: "formula injection") is stored as text, with the cell's quote prefix (what typing an apostrophe
  first does in Excel), so it is neither evaluated on opening nor on editing the cell. Numbers stay
  numbers (a negative score is a number, not text); only text is escaped.
- `save` checks every cell of every sheet once more, so a cell written some other way cannot carry a
  formula into a file either: the app's files hold no formulas at all.

Reading (the task import, the Biểu II.06a import): `open_workbook(stream, limits)` refuses a file too
big, a zip that would unpack to too much (from the sizes its central directory declares, which Python's
zipfile also enforces while unpacking), and any XML part with too many elements, a sheet with too many
rows or a row with too many cells, or a DOCTYPE (entity expansion) — all by streaming through the parts
with expat, stopping at the first limit passed, before openpyxl loads anything. Only then is the
workbook opened read-only; `rows(sheet, limits)` reads at most `max_columns` values of each row. A zip
bomb of one row of a million cells is refused after 1,024 of them, in milliseconds.
Refusals raise Refused with a reason (callers word their own message) and a default message.
"""
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.cell import Cell

from .formats import MB

# ---- writing ------------------------------------------------------------------------------------

# A carriage return is written as the line feed any XML reader turns it into, so both start a formula here.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_TEXT = 32767  # what an Excel cell holds; longer text makes Excel "repair" the file
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, plus what XML 1.0 or UTF-8 cannot carry either.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\r": "\n"})


def text(value):
    """A value as a cell can hold it: text cleaned (see the module's docstring), anything else as it is."""
    if not isinstance(value, str):
        return value
    value = NOT_XML.sub("", str(value).replace("\r\n", "\n").translate(LINE_BREAKS))
    return value if len(value) <= MAX_CELL_TEXT else value[:MAX_CELL_TEXT - 1] + "…"


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def guard(cell):
    """Make a cell that a spreadsheet would read as a formula plain text (with the quote prefix)."""
    if cell.data_type == "f" or (cell.data_type == "s" and looks_like_formula(cell.value)):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(sheet, row, column, value):
    """Write `value` into the cell (1-based row and column) safely; returns the cell."""
    cell = sheet.cell(row, column)
    cell.value = text(value)
    return guard(cell)


def append(sheet, values):
    """Worksheet.append, each value written safely."""
    sheet.append([guard(Cell(sheet, value=text(value))) for value in values])


def save(workbook):
    """The workbook's bytes, after one last pass that leaves no formula in any cell."""
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():  # the cells written (iter_rows would add every empty one)
            guard(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- reading ------------------------------------------------------------------------------------

NOT_XLSX, TOO_LARGE, TOO_MANY_ROWS, TOO_WIDE, DAMAGED = "not_xlsx", "too_large", "too_many_rows", "too_wide", "damaged"


@dataclass(frozen=True)
class Limits:
    max_bytes: int                  # the file as uploaded
    max_unpacked: int               # all its parts unpacked, as the zip's central directory declares them
    max_rows: int                   # rows of a sheet, blank ones included
    max_columns: int                # values read of each row; cells further right are not read
    max_row_cells: int = 1024       # cells a row may hold at all; more and the file is refused
    max_elements: int = 500_000     # XML elements of all the parts together (what openpyxl would parse)
    max_parts: int = 1000           # members of the zip

    def messages(self):
        return {
            NOT_XLSX: ("Tệp không phải là tệp Excel .xlsx hợp lệ (tệp bị hỏng, hoặc là loại tệp khác chỉ được "
                       "đổi đuôi thành .xlsx). Hãy mở tệp bằng Excel, lưu lại dưới dạng “Excel Workbook (.xlsx)” "
                       "rồi nhập lại."),
            TOO_LARGE: (f"Tệp quá lớn để nhập (tối đa {self.max_bytes // MB} MB, {self.max_unpacked // MB} MB khi "
                        f"giải nén). Hãy xóa các trang tính, hình ảnh không cần thiết rồi nhập lại."),
            TOO_MANY_ROWS: (f"Trang tính có quá {self.max_rows:,} dòng; hãy xóa các dòng thừa ở cuối trang tính "
                            f"rồi nhập lại.").replace(",", "."),
            TOO_WIDE: (f"Trang tính có dòng chứa quá {self.max_row_cells:,} ô; hãy xóa các cột thừa ở bên phải "
                       f"trang tính rồi nhập lại.").replace(",", "."),
            DAMAGED: "Không đọc được nội dung trang tính; tệp có thể bị hỏng. Hãy lưu lại tệp bằng Excel rồi nhập lại.",
        }


class Refused(Exception):
    """The file is refused as a whole. `reason` is one of NOT_XLSX … DAMAGED; `message` a default wording."""

    def __init__(self, reason, limits):
        self.reason = reason
        self.message = limits.messages()[reason]
        super().__init__(self.message)


def receive(stream, limits):
    """The upload's bytes (a file object, or bytes), refused when larger than limits.max_bytes."""
    data = stream if isinstance(stream, (bytes, bytearray)) else stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise Refused(TOO_LARGE, limits)
    return bytes(data)


CHUNK = 64 * 1024
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
              EOFError, ValueError, KeyError)


class _Scan:
    """Streams every XML part of the archive through expat, counting, and refuses at the first limit."""

    def __init__(self, limits):
        self.limits = limits
        self.elements = 0

    def archive(self, archive):
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as stream:
                first = stream.read(CHUNK)
                if _is_xml(first):  # media and other binary parts are left alone (openpyxl does not parse them)
                    self.part(stream, first)

    def part(self, stream, first):
        """One part: its elements count towards max_elements; in a sheet, its rows towards max_rows (by
        count and by their numbers) and each row's cells towards max_row_cells. Lean on purpose: this runs
        once per element of every upload."""
        limits = self.limits
        budget = limits.max_elements - self.elements  # what this part may still hold
        count = rows = cells = 0
        parser = expat.ParserCreate()
        parser.ordered_attributes = True  # [name, value, …]: cheaper than a dict per element

        def refuse(*_args):
            raise Refused(NOT_XLSX, limits)  # no part of an .xlsx declares a DOCTYPE or entities

        def start(name, attributes):
            nonlocal count, rows, cells
            count += 1
            if count > budget:
                raise Refused(TOO_LARGE, limits)
            if name == "c" or name.endswith(":c"):
                cells += 1
                if cells > limits.max_row_cells:
                    raise Refused(TOO_WIDE, limits)
            elif name == "row" or name.endswith(":row"):
                rows, cells = rows + 1, 0
                if rows > limits.max_rows:
                    raise Refused(TOO_MANY_ROWS, limits)
                for i in range(0, len(attributes), 2):
                    if attributes[i] == "r" and attributes[i + 1].isdigit() and int(attributes[i + 1]) > limits.max_rows:
                        raise Refused(TOO_MANY_ROWS, limits)

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.StartElementHandler = start
        chunk = first
        while chunk:
            parser.Parse(chunk, False)
            chunk = stream.read(CHUNK)
        parser.Parse(b"", True)
        self.elements += count


def _is_xml(first):
    """Whether a part's first bytes are XML as expat (and so openpyxl) would read it: UTF-8, with or without
    its byte order mark, or UTF-16."""
    return (first.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or first[:2] in (b"\xff\xfe", b"\xfe\xff")
            or first[:2] == b"\x00<")


def check(data, limits):
    """Refuse what is not a zip, a zip bomb (from its central directory alone, before anything is
    unpacked), and parts too big in the ways above; before openpyxl reads any of it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise Refused(NOT_XLSX, limits) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_parts or sum(info.file_size for info in infos) > limits.max_unpacked:
            raise Refused(TOO_LARGE, limits)
        try:
            _Scan(limits).archive(archive)
        except expat.ExpatError as exc:
            raise Refused(DAMAGED, limits) from exc
        except ZIP_ERRORS as exc:
            raise Refused(NOT_XLSX, limits) from exc


def open_workbook(stream, limits):
    """The upload as a read-only openpyxl workbook (the caller closes it), once it has passed `check`."""
    data = receive(stream, limits)
    check(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # a renamed file, an .xls, a zip of something else: each fails differently
        raise Refused(NOT_XLSX, limits) from exc


def rows(sheet, limits):
    """(Excel row number, values) of every row of a read-only sheet, each at most limits.max_columns wide;
    openpyxl's many parse errors become DAMAGED, a sheet longer than limits.max_rows TOO_MANY_ROWS."""
    sheet.reset_dimensions()  # some tools write a wrong <dimension>; read the rows really there
    source = sheet.iter_rows(max_col=limits.max_columns, values_only=True)
    number = 0
    try:
        while True:
            try:
                values = next(source)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet fails with whatever its parser raised
                raise Refused(DAMAGED, limits) from exc
            number += 1
            if number > limits.max_rows:
                raise Refused(TOO_MANY_ROWS, limits)
            yield number, values
    finally:
        source.close()
