"""How long the official PDFs take to render: the consolidated report, the plan and a unit's report
(KTHTDT, with its task-results annex), for the seeded plan (36 tasks) and for a plan grown to 1,000 tasks.

    .venv/bin/python bench/render_pdf.py [--repeat 5] [--tasks 36,1000] [--only consolidated]
    .venv/bin/python bench/render_pdf.py --profile 25      # cProfile of the 1,000-task consolidated report

For each size it builds a throw-away SQLite database in a temp directory (nothing in instance/ is
touched), loads the Phù Liễn plan and the demo accounts (plus the extra tasks), opens Quý III/2025,
accepts every unit report and every task result (written directly: this times rendering, not the
workflow), drafts the consolidated report with the workflow's prefill, then times builders.consolidated(),
builders.plan_document() and builders.unit_report() (HTML → PDF with WeasyPrint, Liberation Serif
embedded), `--repeat` times each; a long task annex is laid out in pieces by PDF_WORKERS processes
(`--workers 1` lays it out whole, as before). `--profile N` instead runs the 1,000-task consolidated report once
under cProfile and prints the N most expensive functions (cumulative and own time). The first call is reported apart ("first"): it pays for loading
fonts and templates. Figures measured on the project machine are in BENCHMARKS.md.
"""
import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from types import SimpleNamespace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

if __name__ != "__mp_main__":
    # Not in the PDF workers: multiprocessing re-runs the main file there (as __mp_main__) and they need
    # none of this; importing the app cost each worker 1.4 s that a server's workers never pay
    # (gunicorn's main file imports gunicorn alone, 0.16 s).
    from sqlalchemy import func, select, update
    from werkzeug.security import generate_password_hash

    from workflow import create_app
    from workflow.documents import builders
    from workflow.extensions import db
    from workflow.consolidated import services as consolidation
    from workflow.items import services
    from workflow.models import ReportingPeriod, Task, TaskResult, Unit, UnitReport, User
    from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

    PASSWORD_HASH = generate_password_hash(DEMO_PASSWORD)  # once: scrypt is slow

SEEDED_TASKS = 36
EXTRA_TASKS = 964  # 36 seeded + 964 = 1,000
PERIOD = "Quý III/2025"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per document (default 5)")
    parser.add_argument("--tasks", default="36,1000", help="plan sizes, comma-separated (default 36,1000)")
    parser.add_argument("--only", choices=sorted(DOCUMENTS), action="append", help="time only these documents")
    parser.add_argument("--profile", type=int, metavar="N", help="profile the 1,000-task consolidated report")
    parser.add_argument("--workers", type=int, help="PDF_WORKERS (default: the app's, min(4, CPUs)); 1 = no pieces")
    args = parser.parse_args()
    if args.workers:
        os.environ["PDF_WORKERS"] = str(args.workers)
    workdir = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ["CCHC_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    try:
        if args.profile:
            profile(os.path.join(workdir, "profile.db"), args.profile)
            return
        sizes = [int(n) for n in args.tasks.split(",")]
        rows = []
        for size in sizes:
            rows += scenario(os.path.join(workdir, f"bench-{size}.db"), max(0, size - SEEDED_TASKS), args.repeat,
                             args.only or list(DOCUMENTS))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(rows, args.repeat)


DOCUMENTS = {
    "consolidated": ("Báo cáo tổng hợp", lambda w: builders.consolidated(w.report)),
    "plan": ("Kế hoạch + Phụ lục", lambda w: builders.plan_document(w.plan)),
    "unit": ("Báo cáo KTHTDT", lambda w: builders.unit_report(w.unit_report)),
}


def world(db_path):
    """The app on a fresh SQLite file (the caller pushes a request context and builds the data)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    return app


def build(extra_tasks):
    """The seeded plan plus `extra_tasks`, the quarter accepted, the consolidated draft made."""
    db.create_all()
    plan, _ = load_plan()
    seed_demo_accounts(password_hash=PASSWORD_HASH)
    add_tasks(plan, extra_tasks)
    report = prepare_period(plan)
    unit = db.session.scalar(select(UnitReport).join(Unit).where(Unit.code == "KTHTDT",
                                                                  UnitReport.period_id == report.period_id))
    return SimpleNamespace(plan=plan, report=report, unit_report=unit)


def profile(db_path, top):
    """The 1,000-task consolidated report rendered once (after a warm-up render) under cProfile."""
    app = world(db_path)
    with app.test_request_context():
        w = build(EXTRA_TASKS)
        builders.consolidated(w.report)  # fonts and templates loaded
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        builders.consolidated(w.report)
        profiler.disable()
        print(f"1,000-task consolidated report under cProfile: {time.perf_counter() - start:.2f} s")
        for key in ("cumulative", "tottime"):
            pstats.Stats(profiler).strip_dirs().sort_stats(key).print_stats(top)
        db.session.remove()
        db.engine.dispose()


def scenario(db_path, extra_tasks, repeat, documents):
    """A fresh database: the seeded plan plus `extra_tasks`, the quarter accepted, the documents timed."""
    app = world(db_path)
    # A request context: rendering goes through render_template, whose context processors need one.
    with app.test_request_context():
        w = build(extra_tasks)
        tasks = task_count(w.plan)
        rows = [measure(DOCUMENTS[d][0], tasks, repeat, lambda d=d: DOCUMENTS[d][1](w)) for d in documents]
        db.session.remove()
        db.engine.dispose()
    return rows


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def task_count(plan):
    return db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id))


def prepare_period(plan):
    """Quý III/2025 with every unit report and task result accepted (written directly), and the
    consolidated draft made from them by the workflow's prefill, as in the app."""
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
    services.open_period(user("admin"), period)
    for report in db.session.scalars(select(UnitReport).where(UnitReport.period_id == period.id)).all():
        report.limitations = "Một số hồ sơ còn phải bổ sung nhiều lần."
        report.causes = "Cơ sở dữ liệu chuyên ngành chưa được kết nối, đồng bộ."
        report.next_steps = "Tiếp tục đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính."
        report.proposals = "Đề nghị thành phố tập huấn nghiệp vụ về dịch vụ công trực tuyến."
        for s in report.sections:
            s.body = (f"{report.unit.name} đã triển khai đầy đủ các nhiệm vụ của lĩnh vực "
                      f"{s.area.name.lower()}, bảo đảm tiến độ và chất lượng.")
        report.state = "accepted"
    db.session.commit()
    accept_all_results(period)
    return consolidation.prefill(user("thamdinh"), period)


def accept_all_results(period):
    """Every task result of the period done and accepted. Written directly: this times rendering,
    not the workflow (which is tested elsewhere)."""
    db.session.execute(update(TaskResult).where(TaskResult.period_id == period.id, TaskResult.state != "accepted")
                       .values(state="accepted", work_status="done", progress=100, completed_on=date(2025, 9, 25),
                               done_text="Đã hoàn thành đúng kế hoạch; sản phẩm đã được lưu trữ theo quy định."))
    db.session.commit()


def add_tasks(plan, count):
    """`count` more tasks, spread over the plan's areas, worded like the real ones."""
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    seeded = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)).all()
    for n in range(count):
        model = seeded[n % len(seeded)]
        area = plan.areas[n % len(plan.areas)]
        db.session.add(Task(plan=plan, area=area, position=100 + n, code=f"{area.number}.{100 + n}",
                            title=f"{model.title} (đợt {n // len(seeded) + 2})", content=model.content,
                            lead_unit=units[n % len(units)], cooperating_units=[units[(n + 1) % len(units)]],
                            deadline=date(2025, 8, 1) + timedelta(days=n % 120), output=model.output))
    db.session.commit()


def measure(name, tasks, repeat, render):
    start = time.perf_counter()
    data = render()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return {"document": name, "tasks": tasks, "pages": pages(data), "kb": len(data) / 1024, "first": first,
            "best": min(times), "median": statistics.median(times)}


def pages(data):
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:"))


def print_table(rows, repeat):
    print(f"WeasyPrint PDF rendering, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}, best and median of {repeat}")
    header = f"{'Document':<20} {'Tasks':>6} {'Pages':>6} {'KB':>7} {'first s':>8} {'best s':>8} {'median s':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['document']:<20} {r['tasks']:>6} {r['pages']:>6} {r['kb']:>7.0f} {r['first']:>8.2f} "
              f"{r['best']:>8.2f} {r['median']:>9.2f}")


if __name__ == "__main__":
    main()
