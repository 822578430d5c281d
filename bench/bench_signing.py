"""How long signing and verifying the final consolidated report take (PAdES B-B with pyHanko, the DEMO
certificate), for the seeded plan.

    .venv/bin/python bench/bench_signing.py [--repeat 5] [--tasks 36]

Builds the same throw-away world as bench/render_pdf.py (a temp directory; nothing in instance/ is
touched): the Phù Liễn plan, Quý III/2025 accepted, the consolidated report drafted by the workflow's
prefill and recorded as issued (number and date written directly). certificate.ensure_demo makes a
DEMO chain there. Then it times, `--repeat` times each after a first call reported apart:
render_located (WeasyPrint, and the place of the signature), sign (appearance, CMS, the whole file
hashed), verify of the signed file, of the same file with one byte flipped, and of the unsigned file.
The first sign pays for the stamp font scaled to 1,000 units an em (signing.stamp_font, once per
machine; the bench points it at its temp directory so that the cost shows). Figures measured on the
project machine go in BENCHMARKS.md.
"""
import argparse
import multiprocessing.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import render_pdf  # noqa: E402  (the world it builds: plan, accounts, accepted quarter)

from workflow.documents import builders, certificate, signing  # noqa: E402
from workflow.documents.pdf import render_located  # noqa: E402
from workflow.extensions import db  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per step (default 5)")
    parser.add_argument("--tasks", type=int, default=render_pdf.SEEDED_TASKS, help="plan size (default 36)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-bench-sign-")
    os.environ["CCHC_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    os.environ.pop(certificate.PASSPHRASE_ENV, None)  # the DEMO passphrase file, as in demo mode
    multiprocessing.util.get_temp_dir()  # the PDF workers' own temp dir stays outside workdir, removed below
    tempfile.tempdir = workdir  # a cold stamp-font cache, so that its one-off cost is measured
    try:
        rows, sizes = run(os.path.join(workdir, "bench.db"), max(0, args.tasks - render_pdf.SEEDED_TASKS), args.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(rows, sizes, args.repeat)


def run(db_path, extra_tasks, repeat):
    app = render_pdf.world(db_path)
    app.config["DEMO_MODE"] = True
    with app.test_request_context():
        w = render_pdf.build(extra_tasks)
        report = w.report
        report.state, report.doc_number, report.doc_date = "accepted", "245/BC-UBND", date(2025, 12, 5)
        db.session.commit()
        certificate.ensure_demo(app.instance_path, "UBND phường Phù Liễn")
        config = signing.SigningConfig.from_app(app)
        doc = builders.consolidated_document(report)
        sig = doc.context["signature"]

        def render():
            return render_located(doc.template, doc.context, doc.annexes, doc.long_annex)

        unsigned, box = render()

        def sign():
            return signing.sign(unsigned, signer_name=sig["name"], signer_title=sig["title"],
                                organisation="UBND phường Phù Liễn", when=datetime.now(timezone.utc), box=box,
                                config=config)

        start = time.perf_counter()
        signed = sign()  # the first signature: a file to verify, and the cold timing of sign
        cold_sign = time.perf_counter() - start
        altered = bytearray(signed)
        altered[len(altered) // 2] ^= 0xFF
        altered = bytes(altered)
        assert signing.verify(signed, config).intact and not signing.verify(altered, config).intact
        rows = [
            measure("render_located", repeat, render),
            measure("sign", repeat, sign, first=cold_sign),
            measure("verify (signed)", repeat, lambda: signing.verify(signed, config)),
            measure("verify (1 byte flipped)", repeat, lambda: signing.verify(altered, config)),
            measure("verify (unsigned)", repeat, lambda: signing.verify(unsigned, config)),
        ]
        sizes = {"unsigned": len(unsigned), "signed": len(signed), "tasks": render_pdf.task_count(w.plan)}
        db.session.remove()
        db.engine.dispose()
    return rows, sizes


def measure(name, repeat, step, first=None):
    """The first call (unless timed already), then `repeat` timed calls."""
    if first is None:
        start = time.perf_counter()
        step()
        first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return {"step": name, "first": first, "best": min(times), "median": statistics.median(times)}


def print_table(rows, sizes, repeat):
    print(f"Signing the consolidated report ({sizes['tasks']} tasks; PDF {sizes['unsigned'] / 1024:.0f} KB unsigned, "
          f"{sizes['signed'] / 1024:.0f} KB signed), {os.cpu_count()} CPU(s), load average "
          f"{os.getloadavg()[0]:.1f}, best and median of {repeat}")
    header = f"{'Step':<26} {'first s':>8} {'best s':>8} {'median s':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['step']:<26} {r['first']:>8.3f} {r['best']:>8.3f} {r['median']:>9.3f}")


if __name__ == "__main__":
    main()
