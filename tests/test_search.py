"""Site search (issue 14): with or without diacritics, only what the person may see, current the moment
an edit is saved, filtered, highlighted, and robust to whatever is typed into the box or the URL."""
import io

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, func, select

from workflow import search
from workflow.extensions import db
from workflow.items import states
from workflow.models import State, Task, TaskResult, UnitReport
from workflow.search import cli as search_cli, index, query, routes, text
from workflow.models.search import SearchEntry, include_name
from workflow.seed import load_plan

from .conftest import empty_database
from .items_support import ready, report_of, result_of, user
from .test_evidence import image_bytes, upload_dir  # noqa: F401
from .test_items_edit import result_form

WORD = "Phuongthuc"       # a word no seeded text holds: what a test writes, it then finds
ACCENTED = "Phươngthức"   # the same word with its diacritics


@pytest.fixture(autouse=True)
def wired(app):
    """The lead wires these in create_app; until then the tests do."""
    if "search" not in app.blueprints:
        app.register_blueprint(routes.bp)
        search_cli.init_app(app)
    search.init_app(app)


def ids(results):
    return [(hit.kind, hit.values) for hit in results.hits]


def find(username, words, page=1, **filters):
    return query.find(user(username), words, query.Filters(**filters), page)


def write_result(client, auth, item, who, **changes):
    """Save a task result's draft through its page's form, as its unit's officer."""
    auth.login(who)
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, **changes))
    assert response.status_code == 303
    auth.logout()


# Folding and parsing

def test_folding_strips_marks_and_maps_d():
    assert text.fold("Cải cách HÀNH CHÍNH, Đăng ký") == "cai cach hanh chinh, dang ky"
    assert text.indexed("QĐ-UBND ngày 11/07/2025") == "qd ubnd ngay 11 07 2025"


def test_query_syntax_is_only_separators():
    assert text.parse('"cải" OR (cách* -NEAR') == [("cai",), ("or",), ("cach",), ("near",)]
    assert text.parse("1.d  II.06a") == [("1", "d"), ("ii", "06a")]
    assert text.parse('"* - ( ) :') == []


# Finding

def test_with_or_without_diacritics_the_same_items(period):
    plain, marked = find("admin", "cai cach"), find("admin", "cải cách")
    assert plain.total == marked.total > 0
    assert ids(plain) == ids(marked)
    assert ids(find("admin", "CẢI CÁCH")) == ids(plain)


def test_task_code_finds_the_task_first(period):
    code = result_of("1.d", period).task
    hits = find("vhxh", "1.d", kind=index.TASK).hits
    assert hits[0].values == {"task_id": code.id}


def test_a_saved_edit_is_found_at_once(auth, client, period):
    item = result_of("7.d", period)
    assert find("ttpvhcc", WORD).total == 0
    write_result(client, auth, item, "ttpvhcc", done_text=f"Triển khai {ACCENTED} mới tại Bộ phận Một cửa.")
    for words in (WORD, ACCENTED, WORD.lower()):
        assert ids(find("ttpvhcc", words)) == [(TaskResult.KIND, {"kind": TaskResult.KIND, "item_id": item.id})]
    write_result(client, auth, db.session.get(TaskResult, item.id), "ttpvhcc", done_text="Đã sửa lại.")
    assert find("ttpvhcc", WORD).total == 0  # the old text no longer finds it


def test_a_rolled_back_edit_leaves_no_entry(period):
    item = result_of("7.d", period)
    item.done_text = WORD
    db.session.flush()
    assert find("admin", WORD).total == 1  # inside the transaction
    db.session.rollback()
    assert find("admin", WORD).total == 0


def test_return_reasons_and_states_are_indexed(period):
    report = ready(report_of("ttpvhcc", period))
    states.perform(user("ttpvhcc"), report, "submit", report.version)
    assert [h.values["item_id"] for h in find("thamdinh", "bao cao", kind=UnitReport.KIND,
                                              state=State.SUBMITTED).hits] == [report.id]
    states.perform(user("thamdinh"), report, "return", report.version, reason=f"Thiếu số liệu {ACCENTED}.")
    hits = find("ttpvhcc", WORD).hits
    assert [h.values["item_id"] for h in hits] == [report.id]
    assert hits[0].state == State.DRAFT.label
    assert "<mark>Phươngthức</mark>" in hits[0].snippet


def test_an_evidence_caption_is_found(auth, client, period, upload_dir):  # noqa: F811
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}/evidence", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(image_bytes("PNG")), "anh.png"),
                                 "caption": f"Ảnh {ACCENTED} tại Bộ phận Một cửa"})
    assert response.status_code == 303
    assert [h.values["item_id"] for h in find("ttpvhcc", "phuongthuc").hits] == [item.id]


# Who finds what

def test_a_unit_officer_never_finds_another_units_draft(auth, client, period):
    vp_result = result_of("2.a", period)  # VP's, KTHTDT cooperates
    write_result(client, auth, vp_result, "vp", done_text=f"Nội dung nội bộ {WORD}.")
    report = report_of("vp", period)
    report.limitations = f"Hạn chế {WORD}"
    db.session.commit()
    for who, found in (("vp", {vp_result.id, report.id}), ("thamdinh", {vp_result.id, report.id}),
                       ("chutich", {vp_result.id, report.id}), ("kthtdt", {vp_result.id}),
                       ("ttpvhcc", set()), ("vhxh", set())):
        results = find(who, WORD)
        assert {h.values["item_id"] for h in results.hits} == found, who
        assert results.total == len(found), who  # the count holds only what may be seen
    auth.login("ttpvhcc")
    page = client.get("/tim-kiem", query_string={"q": WORD})
    assert page.status_code == 200 and WORD not in page.text.replace(f'value="{WORD}"', "")


def test_everyone_finds_the_catalogue(period):
    tasks = find("ttsnc", "1.d", kind=index.TASK)
    assert tasks.total >= 1 and tasks.hits[0].endpoint == "plan.task"


# Filters

def test_filters_narrow_the_results(period):
    everything = find("admin", "cai cach")
    kinds = {hit.kind for hit in everything.hits}
    for kind in (index.TASK, TaskResult.KIND):
        only = find("admin", "cai cach", kind=kind)
        assert only.total and {hit.kind for hit in only.hits} == {kind}
    vhxh = user("vhxh").unit
    mine = find("admin", "cai cach", unit_id=vhxh.id)
    assert mine.total and {hit.unit for hit in mine.hits} == {vhxh.name}
    in_period = find("admin", "cai cach", period_id=period.id)
    assert in_period.total and {hit.period for hit in in_period.hits} == {period.name}
    assert find("admin", "cai cach", state=State.ACCEPTED).total == 0
    assert find("admin", "cai cach", state=State.DRAFT).total == in_period.total
    assert kinds  # the unfiltered search found something to narrow


def ranking_plan(person, words, filters):
    """EXPLAIN QUERY PLAN of the statement that ranks the matches (the first `find` runs), its detail lines."""
    seen = []

    def listen(_conn, _cursor, statement, parameters, *_rest):
        seen.append((statement, parameters))
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        query.find(person, words, filters)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    statement, parameters = seen[0]
    return [row[-1] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                       parameters)]


def test_sqlite_filtered_search_starts_from_the_full_text_table(period):
    """Without ANALYZE statistics SQLite would start from the period's (unit's, kind's) b-tree index and
    run the FTS5 match once per row of it (seconds on a city's index): the filters must leave search_fts
    the outer loop, the entries read by their primary key."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    vhxh = user("vhxh").unit
    for username in ("admin", "vhxh"):
        for filters in (dict(period_id=period.id), dict(unit_id=vhxh.id), dict(kind=TaskResult.KIND),
                        dict(period_id=period.id, unit_id=vhxh.id, kind=TaskResult.KIND, state=State.DRAFT)):
            plan = ranking_plan(user(username), "cai cach", query.Filters(**filters))
            scans = [line for line in plan if line.startswith(("SCAN", "SEARCH"))]
            assert scans[0].startswith("SCAN search_fts VIRTUAL TABLE"), (filters, plan)
            assert scans[1] == "SEARCH search_entries USING INTEGER PRIMARY KEY (rowid=?)", (filters, plan)
            assert not any("INDEX ix_search_entries" in line or "sqlite_autoindex_search_entries" in line
                           for line in plan), (filters, plan)


def test_postgres_ranks_a_stored_vector_with_the_gin_index_on_it(period):
    """PostgreSQL: the weighted tsvector is a stored generated column and the GIN index is on it, so ranking
    reads each match's vector instead of computing it from both texts again."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's column and index")
    with db.engine.connect() as conn:
        column = conn.exec_driver_sql(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'search_entries' AND column_name = 'search_vector'").one()
        indexdef = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entries' "
            "AND indexname = 'ix_search_entries_vector'").scalar_one()
    assert tuple(column) == ("tsvector", "ALWAYS")
    assert "USING gin (search_vector)" in indexdef
    assert find("admin", "cai cach").total > 0


def many_matches(period, count=25):
    """`count` task results of the period whose text holds WORD."""
    for result in db.session.scalars(select(TaskResult).where(TaskResult.period_id == period.id)
                                     .order_by(TaskResult.id).limit(count)):
        result.done_text = f"Kết quả {WORD}"
    db.session.commit()


def test_pages_of_twenty(period):
    many_matches(period)
    first, second = find("admin", WORD), find("admin", WORD, page=2)
    assert (first.total, len(first.hits), len(second.hits)) == (25, 20, 5)
    assert not {str(h.values) for h in first.hits} & {str(h.values) for h in second.hits}


# The page

def test_the_page_highlights_and_links(auth, client, period):
    item = result_of("7.d", period)
    write_result(client, auth, item, "ttpvhcc", done_text=f"Đã <b>triển khai</b> {ACCENTED} & cải cách.")
    auth.login("ttpvhcc")
    page = client.get("/tim-kiem", query_string={"q": "phuongthuc"}).text
    assert f'href="/items/task-result/{item.id}"' in page
    assert "<mark>Phươngthức</mark>" in page
    assert "&lt;b&gt;triển khai&lt;/b&gt;" in page  # what people typed is escaped, only <mark> is markup
    assert "Kết quả nhiệm vụ" in page and "Dự thảo" in page and period.name in page
    assert 'href="/static/search.css"' in page


def test_the_page_filters_and_pages(auth, client, period):
    many_matches(period)
    auth.login("thamdinh")
    page = client.get("/tim-kiem", query_string={"q": "cai cach", "kind": index.TASK, "page": 1})
    assert page.status_code == 200 and "/tasks/" in page.text and "/items/" not in page.text
    page = client.get("/tim-kiem", query_string={"q": WORD, "page": 2})
    assert page.status_code == 200 and 'aria-current="page">2<' in page.text and page.text.count("<mark>") >= 5
    assert "trang 2/2" in page.text and "page=1" in page.text


def test_the_page_needs_a_login(client, seeded):
    assert client.get("/tim-kiem?q=cai").status_code in (302, 401)


def test_empty_and_wordless_queries_say_so(auth, client, period):
    auth.login("vhxh")
    assert "Nhập từ cần tìm" in client.get("/tim-kiem").text
    for words in ("", "   ", '"*-()'):
        page = client.get("/tim-kiem", query_string={"q": words})
        assert page.status_code == 200 and query.NO_WORDS in page.text


def test_a_too_long_query_is_422_with_a_message(auth, client, period):
    auth.login("vhxh")
    page = client.get("/tim-kiem", query_string={"q": "cải " * 60})
    assert page.status_code == 422 and query.TOO_LONG in page.text
    with pytest.raises(query.BadQuery):
        find("vhxh", "a" * 201)


@pytest.mark.parametrize("words", ['"cải cách', "cách*", "-cải", "NEAR(cải cách)", "cải OR cách", "a:b",
                                   "'; DROP TABLE tasks; --", "\\", "''", "^x", "a & b | !c <-> d"])
def test_fts_syntax_in_the_query_breaks_nothing(auth, client, period, words):
    auth.login("vhxh")
    assert client.get("/tim-kiem", query_string={"q": words}).status_code == 200
    try:
        assert find("admin", words).total >= 0
    except query.BadQuery as problem:  # nothing to look for: said so, before any SQL
        assert str(problem) == query.NO_WORDS


@pytest.mark.parametrize("args", [{"period": "abc"}, {"unit": "9" * 30}, {"kind": "nope"}, {"state": "gone"},
                                  {"page": "-1"}, {"page": "x"}, {"page": "9" * 30}, {"period": "-5"},
                                  {"q": "a\x00b"}])
def test_garbage_in_the_filters_is_4xx_never_500(auth, client, period, args):
    auth.login("vhxh")
    response = client.get("/tim-kiem", query_string={"q": "cai cach", **args})
    assert 400 <= response.status_code < 500


def test_a_page_past_the_end_is_empty_not_an_error(auth, client, period):
    auth.login("vhxh")
    response = client.get("/tim-kiem", query_string={"q": "cai cach", "page": 9999})
    assert response.status_code == 200 and "Không tìm thấy kết quả nào ở trang này" in response.text


# Cost

def test_a_page_of_results_is_two_statements_however_many_match(period, count_queries):
    many_matches(period)
    person, counts = user("thamdinh"), []
    for words in (WORD, "cai cach", "zzzkhongco"):
        with count_queries() as counter:
            query.find(person, words)
        counts.append(counter.count)
    assert counts == [2, 2, 2]


def test_the_whole_page_costs_the_same_for_one_or_many_matches(auth, client, period, count_queries):
    many_matches(period)
    auth.login("thamdinh")
    counts = []
    for words in ("zzzkhongco", "1.d", WORD):
        client.get("/tim-kiem", query_string={"q": words})  # warm: the login's own first-request work
        with count_queries() as counter:
            client.get("/tim-kiem", query_string={"q": words})
        counts.append(counter.count)
    assert len(set(counts)) == 1, counts


# Building the index

def test_reindex_rebuilds_the_same_entries(period, runner):
    before = db.session.execute(select(SearchEntry.kind, SearchEntry.item_id, SearchEntry.folded_body)
                                .order_by(SearchEntry.kind, SearchEntry.item_id)).all()
    db.session.execute(SearchEntry.__table__.delete())
    db.session.commit()
    assert find("admin", "cai cach").total == 0
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and f"{len(before)} mục" in result.output
    after = db.session.execute(select(SearchEntry.kind, SearchEntry.item_id, SearchEntry.folded_body)
                               .order_by(SearchEntry.kind, SearchEntry.item_id)).all()
    assert after == before and find("admin", "cai cach").total > 0


def test_a_task_edit_reaches_its_results(period):
    task = result_of("7.d", period).task
    task.title = f"{task.title} {WORD}"
    db.session.commit()
    kinds = sorted(hit.kind for hit in find("admin", WORD).hits)
    assert kinds == [index.TASK, TaskResult.KIND]


def test_migration_matches_the_model_and_backfills(app):
    empty_database()
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, db.metadata) == []
    load_plan()  # indexed as it is written
    tasks = db.session.scalar(select(func.count()).select_from(Task))
    db.session.remove()
    downgrade(revision="0014")
    upgrade()  # 0015 again: its backfill indexes the tasks already there
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == tasks > 0
    assert db.session.scalar(select(func.count()).select_from(SearchEntry).where(
        SearchEntry.kind == index.TASK, SearchEntry.folded_title.like("%cai cach%"))) > 0
    empty_database()
