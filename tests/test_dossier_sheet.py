"""Biểu II.06a as .xlsx: the template round-trips, DVC exports are read, every mistake is named."""
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from workflow.items import dossier_sheet
from workflow.items.dossier_sheet import SheetError, read, template
from workflow.models import DOSSIER_SUMS
from workflow.models import DOSSIER_COUNTS

# The eleven counts in the column order of the form.
ORDER = [name for name, _, _ in dossier_sheet.LAYOUT]


def to_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts(*values):
    """A row's dict from the eleven values in the form's column order."""
    return dict(zip(ORDER, values))


def filled_template(rows, fields=("Hộ tịch", "Chứng thực")):
    """The template with `rows` ({row number: {column letter: value}}) typed in."""
    workbook = load_workbook(io.BytesIO(template(list(fields))))
    sheet = workbook.active
    for number, cells in rows.items():
        for letter, value in cells.items():
            sheet[f"{letter}{number}"] = value
    return to_bytes(workbook)


def dvc_export(rows, groups=("TIẾP NHẬN", "Đã giải quyết", "Đang  giải quyết"), numbering=True):
    """A sheet like the DVC system's export: titles, STT, a merged two-level header, a numbering
    row, the rows (each [STT, field, 11 counts]), a merged total row and signatures under it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["Biểu II.06a/VPCP/KSTT"])
    sheet.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ"])
    sheet.append([])
    sheet.append(["STT", "Lĩnh vực,\ncông việc giải quyết", groups[0], None, None, None,
                  groups[1], None, None, None, groups[2]])
    sheet.append([None, None, "Tổng  số", "Trực\ntuyến", "Trực tiếp,\n bưu chính", "KỲ TRƯỚC chuyển qua",
                  "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"])
    for cells in ("A5:A6", "B5:B6", "C5:F5", "G5:J5", "K5:M5"):
        sheet.merge_cells(cells)
    if numbering:
        sheet.append([f"({n})" for n in range(1, 14)])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    total_row = sheet.max_row + 1
    sheet.append(["Tổng cộng", None, "1.206", 1205, 1, 0, 1206, 1200, 5, 1, 0, 0, 0])
    sheet.merge_cells(f"A{total_row}:B{total_row}")
    sheet.append([])
    sheet.append([None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"])
    return to_bytes(workbook)


def refused(data):
    with pytest.raises(SheetError) as error:
        read(io.BytesIO(data))
    return error.value.messages


def test_the_layout_is_the_model_and_the_sums_of_the_forms():
    assert sorted(ORDER) == sorted(DOSSIER_COUNTS)
    for total, parts in DOSSIER_SUMS.items():
        assert ORDER.index(total) < min(ORDER.index(p) for p in parts)


def test_the_template_has_the_title_and_the_two_level_header():
    sheet = load_workbook(io.BytesIO(template(["Hộ tịch"]))).active
    assert sheet["A1"].value == "Biểu II.06a — Tình hình giải quyết thủ tục hành chính"
    assert [sheet[f"{c}3"].value for c in "ABCGK"] == ["STT", "Lĩnh vực", "Tiếp nhận", "Đã giải quyết",
                                                        "Đang giải quyết"]
    assert [c.value for c in sheet[4]][2:] == ["Tổng số", "Trực tuyến", "Trực tiếp, bưu chính",
                                              "Kỳ trước chuyển qua", "Tổng số", "Trước hạn", "Đúng hạn",
                                              "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]
    assert sheet["B5"].value == "Hộ tịch" and sheet["C5"].value is None


def test_an_empty_template_reads_as_its_fields_with_zeros():
    assert read(io.BytesIO(template(["Hộ tịch", "Đất đai"]))) == [
        {"field_name": "Hộ tịch", **dict.fromkeys(DOSSIER_COUNTS, 0)},
        {"field_name": "Đất đai", **dict.fromkeys(DOSSIER_COUNTS, 0)},
    ]


def test_the_filled_template_round_trips_and_blank_totals_are_computed():
    data = filled_template({
        5: {"D": 10, "E": 3, "F": 2, "H": 8, "I": 4, "J": 1, "L": 2},            # totals left blank
        6: {"C": 7, "D": 7, "G": 6.0, "H": 6, "K": 1, "M": "1"},                 # totals typed
        7: {"B": "Giáo dục  đào tạo", "E": "1.200", "I": "1 200"},             # a field added below
    })
    assert read(io.BytesIO(data)) == [
        {"field_name": "Hộ tịch", **counts(15, 10, 3, 2, 13, 8, 4, 1, 2, 2, 0)},
        {"field_name": "Chứng thực", **counts(7, 7, 0, 0, 6, 6, 0, 0, 1, 0, 1)},
        {"field_name": "Giáo dục đào tạo", **counts(1200, 0, 1200, 0, 1200, 0, 1200, 0, 0, 0, 0)},
    ]


def test_formula_totals_without_a_cached_result_are_computed_from_their_parts():
    data = filled_template({5: {"C": "=SUM(D5:F5)", "D": 2, "H": 2, "G": "=SUM(H5:J5)"}})
    assert read(io.BytesIO(data))[0] == {"field_name": "Hộ tịch", **counts(2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0)}


def test_a_dvc_export_is_read():
    data = dvc_export([
        [1, "Hộ tịch", "1.205", "1.200", 5, None, 1205, 1200, 5, None, 0, 0, 0],
        [None],
        [2, "Chứng thực", 1.0, None, 1, "", "1", "-", 0, 1, None, None, None],
    ])
    assert read(io.BytesIO(data)) == [
        {"field_name": "Hộ tịch", **counts(1205, 1200, 5, 0, 1205, 1200, 5, 0, 0, 0, 0)},
        {"field_name": "Chứng thực", **counts(1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0)},
    ]


def test_a_label_used_twice_is_told_apart_by_its_group():
    """'Quá hạn' under Đang giải quyết is pending_overdue wherever that group stands."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Lĩnh vực", "Đang giải quyết", None, None, "Đã giải quyết", None, None, None,
                  "Tiếp nhận", None, None, None])
    sheet.append([None, "Quá hạn", "Trong hạn", "Tổng số", "Quá hạn", "Đúng hạn", "Trước hạn", "Tổng số",
                  "Kỳ trước chuyển qua", "Trực tiếp", "Trực tuyến", "Tổng số"])
    sheet.append(["Đất đai", 3, 0, 3, 2, 0, 0, 2, 5, 0, 0, 5])
    assert read(io.BytesIO(to_bytes(workbook))) == [
        {"field_name": "Đất đai", **counts(5, 0, 0, 5, 2, 0, 0, 2, 3, 0, 3)}]


def test_a_total_row_above_the_fields_is_skipped():
    data = filled_template({5: {"B": "Tổng cộng", "D": 1, "H": 1}, 6: {"B": "Hộ tịch", "D": 1, "H": 1}},
                           fields=())
    assert read(io.BytesIO(data)) == [{"field_name": "Hộ tịch", **counts(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0)}]


def test_every_bad_cell_is_named_and_nothing_is_returned():
    data = filled_template({5: {"D": "abc", "E": -2}, 6: {"D": 2.5, "H": "3,5", "L": True}})
    assert refused(data) == [
        "Dòng 5, cột D (Trực tuyến): “abc” không phải là số.",
        "Dòng 5, cột E (Trực tiếp, bưu chính): “-2” là số âm; số hồ sơ không được âm.",
        "Dòng 6, cột D (Trực tuyến): “2,5” không phải là số nguyên.",
        "Dòng 6, cột H (Trước hạn): “3,5” không phải là số nguyên.",
        "Dòng 6, cột L (Trong hạn): “TRUE” không phải là số.",
    ]


def test_a_total_that_is_not_the_sum_of_its_parts_is_named():
    data = filled_template({5: {"C": 12, "D": 5, "E": 6, "G": 11, "H": 11, "K": 1, "L": 1},
                            6: {"D": 4, "G": 3, "I": 3}})
    assert refused(data) == [
        "Dòng 5, cột C (Tiếp nhận – Tổng số): 12 khác tổng các cột thành phần D + E + F = 11.",
        "Dòng 6, cột C (Tiếp nhận – Tổng số): 4 khác Đã giải quyết + Đang giải quyết (G + K) = 3.",
    ]


def test_counts_without_a_field_long_and_duplicate_fields_are_named():
    data = filled_template({6: {"B": "HỘ  TỊCH"}, 8: {"D": 1, "H": 1}, 9: {"B": "x" * 201}},
                           fields=("Hộ tịch", "Đất đai", "Chứng thực"))
    assert refused(data) == [
        "Dòng 8, cột B (Lĩnh vực): chưa ghi tên lĩnh vực của dòng có số liệu.",
        "Dòng 9, cột B (Lĩnh vực): tên lĩnh vực dài 201 ký tự; tối đa 200 ký tự.",
        "Dòng 6, cột B (Lĩnh vực): lĩnh vực “HỘ TỊCH” trùng với dòng 5.",
    ]


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    "Lĩnh vực,Tổng số\nHộ tịch,3\n".encode(),
    b"",
    template(["Hộ tịch"])[:500],
    _zip_without_workbook(),
], ids=["text", "empty", "cut-zip", "other-zip"])
def test_a_file_that_is_not_xlsx_is_refused(content):
    [message] = refused(content)
    assert "không phải là tệp Excel .xlsx hợp lệ" in message


def test_a_file_too_large_is_refused_before_it_is_opened(monkeypatch):
    data = template(["Hộ tịch"])
    monkeypatch.setattr(dossier_sheet, "MAX_BYTES", len(data) - 1)
    assert refused(data) == [dossier_sheet.TOO_LARGE]


def test_a_zip_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(dossier_sheet, "MAX_UNPACKED", 1000)
    assert refused(template(["Hộ tịch"])) == [dossier_sheet.TOO_LARGE]


def test_a_sheet_without_the_header_is_refused():
    workbook = Workbook()
    workbook.active.append(["Mã", "Tên", "Số lượng"])
    workbook.active.append(["1", "Hộ tịch", 3])
    [message] = refused(to_bytes(workbook))
    assert message.startswith("Không tìm thấy dòng tiêu đề của Biểu II.06a")


def test_a_header_missing_columns_names_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "TTHC"
    sheet.append(["Lĩnh vực", "Tiếp nhận", None, None, None, "Đã giải quyết", None, None, None])
    sheet.append([None, "Tổng số", "Trực tuyến", "Trực tiếp", "Kỳ trước chuyển qua", "Tổng số", "Trước hạn",
                  "Đúng hạn", "Quá hạn"])
    [message] = refused(to_bytes(workbook))
    assert message.startswith("Không tìm thấy dòng tiêu đề của Biểu II.06a")
    assert message.endswith("Dòng 2 của trang “TTHC” giống dòng tiêu đề nhưng thiếu cột: "
                            "Đang giải quyết – Tổng số; Trong hạn; Đang giải quyết – Quá hạn.")


def test_a_header_without_rows_is_refused():
    assert refused(template([])) == [dossier_sheet.NO_ROWS]


def test_the_three_level_header_of_the_national_form_is_read():
    """Biểu 06a as printed in the circular: groups over sub-groups, 'Trả … hạn', 'Từ kỳ trước'."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", None, None,
                  None, "Kết quả giải quyết"])
    sheet.append([None, None, "Tổng số", "Trong kỳ", None, "Từ kỳ trước", "Số hồ sơ đã giải quyết", None,
                  None, None, "Số hồ sơ đang giải quyết"])
    sheet.append([None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", None, "Tổng số",
                  "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số", "Trong hạn", "Quá hạn"])
    for cells in ("A1:A3", "B1:B3", "C1:F1", "G1:M1", "C2:C3", "D2:E2", "F2:F3", "G2:J2", "K2:M2"):
        sheet.merge_cells(cells)
    sheet.append(["A", "B", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    sheet.append([1, "Hộ tịch", 9, 4, 3, 2, 7, 1, 5, 1, 2, 1, 1])
    sheet.append(["", "Tổng số", 9, 4, 3, 2, 7, 1, 5, 1, 2, 1, 1])
    assert read(io.BytesIO(to_bytes(workbook))) == [
        {"field_name": "Hộ tịch", **counts(9, 4, 3, 2, 7, 1, 5, 1, 2, 1, 1)}]
