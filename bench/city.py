"""A city-sized database for the benchmarks: 100 units, 10,000 tasks, 4 periods opened (40,000 task
results), about 500 people, the items in a realistic mix of states.

    .venv/bin/python bench/city.py sqlite:////tmp/city.db [--instance /tmp/city-instance]

build(database_url, instance, units=, tasks=) is what the benches import (pages.py, search_bench.py,
query_counts.py and reminders.py; the last two with smaller sizes where they want them; units=0 keeps the
plan's own units, tasks=36 its seeded tasks). Everything already in that
database is dropped: point it only at a scratch database. Written fast: the schema by create_all, one
precomputed password hash, units, people, tasks and task results by bulk INSERTs; opening the periods
(unit reports, self-assessments, the opening messages) goes through the app's own open_period, which
then finds every task result already there.

The mix, per period, by task number: a third draft, a sixth submitted (waiting for review), a sixth
reviewed (waiting for acceptance), a third accepted; every period is past its due day by today's
clock, so the drafts are late.

The text, so that search (workflow/search) has something real to find: task titles worded like the
plan's (a verb and an object from short lists, the task number at the end); every sent task result
two to four sentences of a ward's report, varied by task and period (two results in five hold "cải
cách hành chính", in their text or their task's title; numbers, document numbers and a rare sentence —
"Zalo" in 90 entries, "kiosk" in 17 at city size — here and there),
half of the drafts a first sentence, one draft in twelve returned with a reason, one result in
seventeen blocked with one; the accepted ones an output; one sent result in ten an evidence row with
a caption (the row only: no file is written); every unit report its four narrative fields and its
sections' bodies. A third of the tasks have a cooperating unit. The bulk statements bypass the
session's listener that keeps the search index current, so build() ends with index.rebuild (the same
as `flask search reindex`).
"""
import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

UNITS, TASKS, PEOPLE_PER_UNIT = 100, 10_000, 5
PASSWORD = "PhuLien@2025"
# The plan's two periods plus two more (name, kind, start, end, due).
EXTRA_PERIODS = [("Quý IV/2025", "quarter", date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 5)),
                 ("Quý I/2026", "quarter", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 5))]
# State of task number i in a period: i % 6 -> state (2 of 6 draft, 1 submitted, 1 reviewed, 2 accepted).
MIX = ("draft", "draft", "submitted", "reviewed", "accepted", "accepted")
CHUNK = 2000  # rows per INSERT batch

# The words: task titles are a verb and an object; a result's text is sentences of SENTENCES picked by
# task and period number ({n}, {p}, {k}, {doc} filled in), a rare sentence now and then.
TITLE_VERBS = ["Rà soát, đánh giá", "Triển khai", "Nâng cao chất lượng", "Tuyên truyền, phổ biến",
               "Kiểm tra, giám sát", "Số hóa", "Công khai, minh bạch", "Đẩy mạnh"]
TITLE_OBJECTS = ["thủ tục hành chính lĩnh vực hộ tịch", "dịch vụ công trực tuyến toàn trình",
                 "quy chế văn hóa công sở", "hồ sơ, kết quả giải quyết thủ tục hành chính",
                 "công tác cải cách hành chính của phường", "thanh toán không dùng tiền mặt",
                 "hệ thống quản lý chất lượng ISO 9001:2015", "chữ ký số của cán bộ, công chức",
                 "tiếp nhận phản ánh, kiến nghị của người dân", "đề án 06 về dữ liệu dân cư",
                 "kỷ luật, kỷ cương hành chính", "lĩnh vực đất đai và xây dựng"]
SENTENCES = [
    "Đã ban hành kế hoạch cải cách hành chính năm 2025 và quán triệt đến toàn thể cán bộ, công chức.",
    "Tiếp nhận {n} hồ sơ trực tuyến toàn trình trên Cổng dịch vụ công quốc gia, đạt {p}% tổng số hồ sơ.",
    "Rà soát, đề xuất đơn giản hóa {k} thủ tục hành chính thuộc thẩm quyền giải quyết của phường.",
    "Niêm yết công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa và trên trang thông tin điện tử.",
    "Số hóa kết quả giải quyết thủ tục hành chính, cập nhật vào kho dữ liệu của tổ chức, cá nhân.",
    "Tổ chức hội nghị đối thoại với người dân, doanh nghiệp về công tác cải cách hành chính.",
    "Kiểm tra việc chấp hành quy chế văn hóa công sở tại {k} bộ phận; không phát hiện vi phạm.",
    "Hướng dẫn người dân nộp hồ sơ, thanh toán phí, lệ phí trực tuyến; tỷ lệ thanh toán đạt {p}%.",
    "Ban hành văn bản số {doc}/UBND-VP về tăng cường kỷ luật, kỷ cương hành chính.",
    "Duy trì, cải tiến hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015.",
    "Phối hợp với Công an phường kích hoạt {n} tài khoản định danh điện tử cho người dân.",
    "Lồng ghép nội dung cải cách hành chính vào các buổi sinh hoạt của tổ dân phố.",
    "Sắp xếp, bố trí cán bộ có chuyên môn phù hợp làm việc tại Bộ phận Một cửa.",
    "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính đạt {p}%.",
]
RARE = [(397, "Thí điểm trợ lý ảo trả lời câu hỏi về thủ tục qua Zalo của phường."),
        (1999, "Lắp đặt kiosk tra cứu hồ sơ tự phục vụ tại sảnh Bộ phận Một cửa.")]
BLOCKED = ["Chưa bố trí được kinh phí mua chứng thư số cho cán bộ.",
           "Phần mềm một cửa điện tử chưa kết nối với cơ sở dữ liệu đất đai.",
           "Thiếu công chức địa chính do điều động, luân chuyển."]
RETURNS = ["Đề nghị bổ sung số liệu hồ sơ trực tuyến và minh chứng kèm theo.",
           "Kết quả chưa bám sát chỉ tiêu của kế hoạch; đề nghị làm rõ tỷ lệ đạt được.",
           "Thiếu văn bản chỉ đạo của đơn vị; đề nghị đính kèm quyết định đã ban hành."]
OUTPUTS = ["Báo cáo số {doc}/BC-UBND", "Kế hoạch số {doc}/KH-UBND", "Quyết định số {doc}/QĐ-UBND",
           "Danh mục thủ tục hành chính đã rà soát"]
CAPTIONS = ["Ảnh chụp bảng niêm yết thủ tục hành chính tại Bộ phận Một cửa",
            "Biên bản kiểm tra công vụ quý", "Danh sách hồ sơ trực tuyến toàn trình đã tiếp nhận",
            "Quyết định kiện toàn tổ công tác cải cách hành chính", "Ảnh hội nghị đối thoại với người dân"]
REPORT_FIELDS = {
    "limitations": ["Một số hồ sơ còn phải bổ sung nhiều lần; tỷ lệ hồ sơ trực tuyến toàn trình chưa đạt chỉ tiêu.",
                    "Việc số hóa kết quả giải quyết thủ tục hành chính còn chậm."],
    "causes": ["Cơ sở dữ liệu chuyên ngành chưa được kết nối, đồng bộ; người dân chưa quen nộp hồ sơ trực tuyến.",
               "Cán bộ kiêm nhiệm nhiều việc; trang thiết bị còn thiếu."],
    "next_steps": ["Tiếp tục đẩy mạnh cải cách hành chính, chuyển đổi số trong giải quyết thủ tục hành chính.",
                   "Tăng cường tuyên truyền dịch vụ công trực tuyến đến từng tổ dân phố."],
    "proposals": ["Đề nghị thành phố tập huấn nghiệp vụ về dịch vụ công trực tuyến.",
                  "Đề nghị bố trí kinh phí nâng cấp trang thiết bị Bộ phận Một cửa."],
}


def _say(i, p, count):
    """`count` sentences for task number i in period number p: different tasks and periods say different
    things, the same (i, p) always the same; a rare sentence when i falls on its step."""
    picked = []
    for j in range(count):
        sentence = SENTENCES[(i * 5 + p * 11 + j * 3) % len(SENTENCES)]
        if sentence not in picked:
            picked.append(sentence)
    picked += [sentence for step, sentence in RARE if i % step == step - 1 - p]
    return " ".join(picked).format(n=20 + (i * 37 + p * 11) % 900, p=60 + (i + p * 7) % 40,
                                   k=1 + (i + p) % 25, doc=100 + (i * 3 + p) % 900)


def build(database_url, instance, units=UNITS, tasks=TASKS, quiet=False):
    """Create the city database at `database_url` (its files under `instance`); returns a summary dict."""
    os.environ["CCHC_INSTANCE_PATH"] = instance
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from workflow import create_app
    from workflow.extensions import db
    from workflow.models import TaskResult, User
    from workflow.search import index
    from workflow.seed import load_plan, seed_demo_accounts
    from workflow.seed.scoring import load_default_scheme

    started = time.perf_counter()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        plan, _ = load_plan()
        load_default_scheme(plan)
        password = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")  # once, for everybody
        seed_demo_accounts(password_hash=password)
        unit_ids = _units(plan, units)
        people = _people(unit_ids, password)
        _tasks(plan, unit_ids, tasks)
        periods = _periods(plan)
        for number, period in enumerate(periods):
            _results(period, number, people)
        _evidence()
        _open(periods)
        _report_texts()
        indexing = time.perf_counter()
        with db.engine.begin() as conn:
            entries = index.rebuild(conn)
        summary = {"units": len(unit_ids), "tasks": tasks, "periods": len(periods),
                   "people": db.session.scalar(select(func.count(User.id))),
                   "task_results": db.session.scalar(select(func.count(TaskResult.id))),
                   "search_entries": entries, "index_seconds": round(time.perf_counter() - indexing, 1),
                   "seconds": round(time.perf_counter() - started, 1)}
        db.session.remove()
        db.engine.dispose()
    if not quiet:
        print(summary)
    return summary


def _insert(model, rows):
    from sqlalchemy import insert

    from workflow.extensions import db
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def _units(plan, count):
    """The plan's units plus numbered ones up to `count`; their ids in id order."""
    from sqlalchemy import select

    from workflow import wards
    from workflow.extensions import db
    from workflow.models import Unit
    have = db.session.scalars(select(Unit.id).order_by(Unit.id)).all()
    ward_id = wards.current().id
    _insert(Unit, [{"code": f"DV{n:03d}", "name": f"Đơn vị số {n}", "ward_id": ward_id,
                    "head_email": f"truong.dv{n:03d}@phulien.example"} for n in range(len(have), count)])
    db.session.commit()
    return db.session.scalars(select(Unit.id).order_by(Unit.id)).all()


def _people(unit_ids, password):
    """PEOPLE_PER_UNIT members in every unit (besides the demo accounts); {unit id: [user id]}."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import User, UserRole
    from workflow.models.org import new_session_token
    rows = [{"username": f"cb{uid:03d}.{n}", "full_name": f"Cán bộ {n} đơn vị {uid}", "unit_id": uid,
             "email": f"cb{uid:03d}.{n}@phulien.example", "password_hash": password,
             "session_token": new_session_token()}
            for uid in unit_ids for n in range(1, PEOPLE_PER_UNIT + 1)]
    _insert(User, rows)
    made = db.session.execute(select(User.id, User.unit_id).where(User.username.like("cb%.%"))).all()
    _insert(UserRole, [{"user_id": uid, "role": "member"} for uid, _ in made])
    db.session.commit()
    people = {}
    for user_id, unit_id in made:
        people.setdefault(unit_id, []).append(user_id)
    return people


def _tasks(plan, unit_ids, count):
    from sqlalchemy import func, select

    from workflow.extensions import db
    from workflow.models import Task
    from workflow.models.plan import task_cooperators
    have = db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id))
    areas = [(a.id, a.number) for a in plan.areas]
    rows = []
    for i in range(have, count):
        area_id, number = areas[i % len(areas)]
        title = f"{TITLE_VERBS[i % len(TITLE_VERBS)]} {TITLE_OBJECTS[(i // len(TITLE_VERBS)) % len(TITLE_OBJECTS)]}"
        rows.append({"plan_id": plan.id, "area_id": area_id, "position": 100 + i, "code": f"{number}.x{i}",
                     "title": f"{title} (nhiệm vụ {i})", "content": "Nội dung nhiệm vụ.",
                     "lead_unit_id": unit_ids[i % len(unit_ids)], "deadline": plan.start_date + timedelta(days=i % 150)})
    _insert(Task, rows)
    # A third of the added tasks have a cooperating unit (the next one): its people see those results.
    added = db.session.execute(select(Task.id, Task.position).where(Task.plan_id == plan.id, Task.position >= 100 + have)).all()
    _insert(task_cooperators, [{"task_id": task_id, "unit_id": unit_ids[(position - 99) % len(unit_ids)]}
                               for task_id, position in added if position % 3 == 1])
    db.session.commit()


def _periods(plan):
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import ReportingPeriod
    for name, kind, start, end, due in EXTRA_PERIODS:
        db.session.add(ReportingPeriod(plan_id=plan.id, name=name, kind=kind, start_date=start, end_date=end, due_date=due))
    db.session.commit()
    return db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id)
                              .order_by(ReportingPeriod.due_date, ReportingPeriod.id)).all()


def _results(period, number, people):
    """Every task's result in `period` (the `number`th), in the MIX of states, sent by a member of its
    unit and (from reviewed on) reviewed by the demo reviewer, so the demo acceptor may accept what waits
    for him; with the text a unit writes (see the module's docstring)."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import Task, TaskResult, User
    reviewer = db.session.scalar(select(User.id).where(User.username == "thamdinh"))
    sent_at = datetime.combine(period.due_date, datetime.min.time()) - timedelta(days=3)
    rows = []
    for n, (task_id, unit_id) in enumerate(db.session.execute(select(Task.id, Task.lead_unit_id).order_by(Task.id))):
        state = MIX[n % len(MIX)]
        row = {"task_id": task_id, "period_id": period.id, "unit_id": unit_id, "state": state,
               "done_text": _say(n, number, 2 + n % 3) if state != "draft" else _say(n, number, 1) if n % 2 else ""}
        if state == "draft" and n % 12 == 1:
            row["return_reason"] = RETURNS[(n // 12 + number) % len(RETURNS)]
        if n % 17 == 3:
            row["blocked_reason"] = BLOCKED[(n + number) % len(BLOCKED)]
        if state == "accepted":
            row["output_text"] = OUTPUTS[n % len(OUTPUTS)].format(doc=100 + (n * 7 + number) % 900)
        if state != "draft":
            row.update(submitted_at=sent_at + timedelta(minutes=n % 5000),
                       submitted_by_id=people[unit_id][n % PEOPLE_PER_UNIT], late_days=0)
        if state in ("reviewed", "accepted"):
            row["reviewed_by_id"] = reviewer
        rows.append(row)
    _insert(TaskResult, rows)
    db.session.commit()


def _evidence():
    """An evidence row with a caption on one sent task result in ten (rows only: no file behind them)."""
    import hashlib

    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import Evidence, TaskResult
    sent = db.session.execute(select(TaskResult.id, TaskResult.submitted_by_id, TaskResult.submitted_at)
                              .where(TaskResult.state != "draft", TaskResult.id % 10 == 0)).all()
    _insert(Evidence, [{"item_kind": TaskResult.KIND, "item_id": result_id, "original_name": f"minh-chung-{result_id}.pdf",
                        "stored_name": f"{result_id:032x}", "content_type": "application/pdf", "size": 120_000,
                        "sha256": hashlib.sha256(str(result_id).encode()).hexdigest(),
                        "caption": f"{CAPTIONS[result_id % len(CAPTIONS)]} (kèm hồ sơ {result_id})",
                        "uploaded_by_id": author, "uploaded_at": at} for result_id, author, at in sent])
    db.session.commit()


def _report_texts():
    """What a unit writes in its report: the four narrative fields and its sections' bodies (by primary
    key, in bulk: the session's search listener does not see it; build() rebuilds the index after)."""
    from sqlalchemy import select, update

    from workflow.extensions import db
    from workflow.models import ReportSection, UnitReport
    reports = db.session.execute(select(UnitReport.id, UnitReport.unit_id)).all()
    db.session.execute(update(UnitReport), [
        {"id": report_id, **{name: texts[(report_id + unit_id) % len(texts)] for name, texts in REPORT_FIELDS.items()}}
        for report_id, unit_id in reports])
    sections = db.session.execute(select(ReportSection.id, ReportSection.report_id)).all()
    db.session.execute(update(ReportSection), [{"id": section_id, "body": _say(section_id, report_id % 4, 2)}
                                               for section_id, report_id in sections])
    db.session.commit()


def _open(periods):
    """The app's own opening: unit reports, self-assessments, the messages (task results exist already)."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.items import services
    from workflow.models import User
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for period in periods:
        services.open_period(admin, period)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="e.g. sqlite:////tmp/city.db (its content is dropped)")
    parser.add_argument("--instance", default=None, help="instance folder (default: beside a SQLite file)")
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--tasks", type=int, default=TASKS)
    args = parser.parse_args()
    instance = args.instance or os.path.join(os.path.dirname(args.database_url.split("///", 1)[-1]) or ".", "instance")
    build(args.database_url, instance, args.units, args.tasks)


if __name__ == "__main__":
    main()
