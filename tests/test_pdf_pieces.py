"""A long task annex laid out in pieces by worker processes (documents/chunks.py, pool.py, pages.py),
read back as a reader sees it: the same rows in the same order as the annex laid out whole, page
numbers that run on across the pieces, the annex heading once, an area cut in two marked "(tiếp theo)",
every font embedded, and the issued report's signature still valid and in its place.

The seeded plan is short, so the pieces are forced small (PDF_CHUNK_ROWS); the 1,000-task timing is
in bench/render_pdf.py and BENCHMARKS.md."""
import re
import subprocess
from datetime import date, datetime

import pytest

from workflow.documents import builders, chunks, final, signing
from workflow.extensions import db
from workflow.models import ConsolidatedReport, Plan, State

from .test_documents_decree30 import pages_of, world  # noqa: F401  (the decree-30 world, module-scoped)

CODE = re.compile(r"^\s*(\d+\.[a-zđ0-9]+)\s", re.M)


def rendered(app, build, model, item_id, **config):
    """PDF bytes of a builder, with the piece settings given (restored after)."""
    saved = {name: app.config[name] for name in config}
    app.config.update(config)
    try:
        with app.test_request_context():
            data = build(db.session.get(model, item_id))
            db.session.remove()
            return data
    finally:
        app.config.update(saved)


PIECED = {"PDF_WORKERS": 3, "PDF_CHUNK_ROWS": 8}  # 36 rows: 3 pieces of 12, two areas cut
WHOLE = {"PDF_WORKERS": 1}


def annex_pages(pages, title):
    start = next(i for i, text in enumerate(pages) if text.strip().startswith("Phụ lục") and title in text)
    end = next((i for i in range(start + 1, len(pages)) if pages[i].strip().startswith("Phụ lục")), len(pages))
    return pages[start:end]


def number_of(page):
    first = page.strip().splitlines()[0].strip()
    return int(first) if first.isdigit() else None


@pytest.fixture(scope="module")
def consolidated(world):  # noqa: F811
    app, report_id = world.app, world.ids.consolidated
    return (pages_of(rendered(app, builders.consolidated, ConsolidatedReport, report_id, **PIECED)),
            pages_of(rendered(app, builders.consolidated, ConsolidatedReport, report_id, **WHOLE)))


def test_pieces_hold_the_same_rows_in_the_same_order(consolidated):
    pieced, whole = (annex_pages(pages, "KẾT QUẢ THỰC HIỆN") for pages in consolidated)
    codes = CODE.findall("\n".join(pieced))
    assert len(codes) == 36 and codes == CODE.findall("\n".join(whole))
    # The body and Phụ lục II are laid out as before, page for page.
    assert [p for p in consolidated[0] if p not in pieced] == [p for p in consolidated[1] if p not in whole]


def test_page_numbers_run_on_across_the_pieces(consolidated):
    pieced = annex_pages(consolidated[0], "KẾT QUẢ THỰC HIỆN")
    assert number_of(pieced[0]) is None  # an annex's first page bears no number (Decree 30)
    assert [number_of(p) for p in pieced[1:]] == list(range(2, len(pieced) + 1))


def test_the_heading_once_and_a_cut_area_goes_on_under_its_heading(consolidated):
    text = "\n".join(annex_pages(consolidated[0], "KẾT QUẢ THỰC HIỆN"))
    assert text.count("KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH") == 1
    assert text.count("Kèm theo Báo cáo") == 1
    continued = re.findall(r"^\s*(\d+\. .+?) \(tiếp theo\)", text, re.M)
    assert continued and all(text.count(heading) >= 2 for heading in continued)
    # Every page of a draft annex still says DỰ THẢO (its header row repeats in every piece).
    assert all("DỰ THẢO" in page for page in annex_pages(consolidated[0], "KẾT QUẢ THỰC HIỆN"))


def test_the_plan_annex_is_pieced_the_same_way(world):  # noqa: F811
    app = world.app
    with app.app_context():
        plan_id = db.session.scalar(db.select(Plan.id))
    pieced = annex_pages(pages_of(rendered(app, builders.plan_document, Plan, plan_id, **PIECED)), "DANH MỤC")
    whole = annex_pages(pages_of(rendered(app, builders.plan_document, Plan, plan_id, **WHOLE)), "DANH MỤC")
    assert CODE.findall("\n".join(pieced)) == CODE.findall("\n".join(whole))
    assert [number_of(p) for p in pieced[1:]] == list(range(2, len(pieced) + 1))
    assert "KT-HT&ĐT" in "\n".join(whole)  # the lead unit by its abbreviation, not its code KTHTDT


def test_every_font_is_embedded_liberation_serif(world, tmp_path):  # noqa: F811
    data = rendered(world.app, builders.consolidated, ConsolidatedReport, world.ids.consolidated, **PIECED)
    (tmp_path / "pieced.pdf").write_bytes(data)
    rows = subprocess.run(["pdffonts", str(tmp_path / "pieced.pdf")], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5:-3] == ["yes", "yes"] for row in rows), rows  # emb, sub
    assert all("Serif" in row for row in rows)


def test_an_issued_report_laid_out_in_pieces_is_signed_in_its_place(world, tmp_path):  # noqa: F811
    app, report_id = world.app, world.ids.consolidated
    app.config.update(PIECED)
    try:
        with app.test_request_context():
            report = db.session.get(ConsolidatedReport, report_id)
            report.state, report.doc_number, report.doc_date = State.ACCEPTED, "07/BC-UBND", date(2025, 9, 4)
            report.signed_at = datetime(2025, 9, 4, 3, 0)
            data = final.signed_pdf(report)
            verdict = signing.verify(data, final.config())
            db.session.rollback()
            db.session.remove()
    finally:
        app.config.update(WHOLE, PDF_CHUNK_ROWS=150)
    assert (verdict.signed, verdict.intact, verdict.trusted, verdict.count) == (True, True, True, 1), verdict.message
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    assert subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout.count("Signature #") == 1
    pages = pages_of(data)
    closing = next(i for i, page in enumerate(pages) if "Nơi nhận" in page)
    assert closing < pages.index(annex_pages(pages, "KẾT QUẢ THỰC HIỆN")[0]) and "07/BC-UBND" in pages[0]


@pytest.mark.parametrize("sizes, count, expected", [
    ([5, 3], 2, [[("1", 4)], [("1 (tiếp theo)", 1), ("2", 3)]]),
    ([4, 4], 2, [[("1", 4)], [("2", 4)]]),
    ([10], 3, [[("1", 4)], [("1 (tiếp theo)", 4)], [("1 (tiếp theo)", 2)]]),
    ([1, 0, 2], 2, [[("1", 1), ("2", 0), ("3", 1)], [("3 (tiếp theo)", 1)]]),
])
def test_split_areas_cuts_rows_evenly_in_order(sizes, count, expected):
    groups = [{"heading": str(n), "tasks": list(range(size))} for n, size in enumerate(sizes, start=1)]
    parts = chunks.split_areas(groups, count)
    assert [[(g["heading"], len(g["tasks"])) for g in part] for part in parts] == expected
    assert [t for part in parts for g in part for t in g["tasks"]] == [t for g in groups for t in g["tasks"]]


def test_a_short_annex_or_one_worker_is_one_piece():
    context = {"task_areas": [{"heading": "1. A", "tasks": list(range(10))}]}
    assert chunks.pieces(context, rows_per_piece=150, workers=4) == []
    assert chunks.pieces(context, rows_per_piece=4, workers=1) == []
    pieces = chunks.pieces(context, rows_per_piece=4, workers=2)
    assert [(p["continued"], p["page_numbers"], sum(len(g["tasks"]) for g in p["task_areas"])) for p in pieces] \
        == [(False, True, 5), (True, False, 5)]
