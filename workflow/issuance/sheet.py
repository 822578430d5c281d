"""The register as .xlsx: a title block, then one row per number (withdrawn and by-hand ones marked)."""
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .. import xlsx
from .register import WARD_ISSUER

HEADERS = ("Số", "Ký hiệu", "Số và ký hiệu", "Ngày", "Loại văn bản", "Trích yếu", "Người ký", "Chức vụ", "Ghi chú")
WIDTHS = (7, 16, 20, 12, 14, 60, 24, 26, 40)


def _note(entry):
    parts = []
    if entry.by_hand:
        parts.append("Lấy số bằng tay")
    if entry.withdrawn_at:
        parts.append(f"Đã thu hồi: {entry.withdrawn_reason or ''}".strip())
    if entry.note:
        parts.append(entry.note)
    return "; ".join(parts)


def workbook(ward, year, issuer, entries):
    book = Workbook()
    sheet = book.active
    sheet.title = f"Sổ văn bản đi {year}"
    body = ward.committee if issuer == WARD_ISSUER else issuer
    xlsx.put(sheet, 1, 1, f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year} – {body}").font = Font(bold=True, size=13)
    xlsx.put(sheet, 2, 1, f"{len(entries)} văn bản; số cuối {entries[-1].number if entries else '—'}")
    xlsx.append(sheet, [])
    xlsx.append(sheet, HEADERS)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for entry in entries:
        xlsx.append(sheet, (entry.seq, entry.symbol, entry.number, entry.issued_on, entry.type_label, entry.summary,
                            entry.signer_name, entry.signer_title, _note(entry)))
        sheet.cell(sheet.max_row, 4).number_format = "DD/MM/YYYY"
        sheet.cell(sheet.max_row, 6).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A5"
    return xlsx.save(book)
