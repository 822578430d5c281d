"""The reminders of Quý III/2025 (due 05/09/2025) walked day by day from 10 days before to 10 days after,
each day `flask reminders run` at 08:00 ward time with the clock frozen there, delivered to a real SMTP
server on loopback (aiosmtpd) — down for three days in the middle. Exactly the policy's messages
arrive, to the right people, once each; those of the days the server was down arrive when it is back."""
from collections import Counter
from datetime import timedelta, timezone

import time_machine
from sqlalchemy import select

from workflow.extensions import db
from workflow.models import OutboxMessage

from .test_mail import smtp  # noqa: F401  (the loopback SMTP server fixture)
from .test_reminders import DUE, ESCALATED, HEADS, LEADERS, MEMBERS, at_ward

DOWN = {DUE - timedelta(days=1), DUE, DUE + timedelta(days=1)}


def expected(day):
    """(category, recipient) pairs the policy decides on `day`."""
    left = (DUE - day).days
    pairs = []
    if left in (7, 3, 1, 0):
        pairs += [("due", p) for p in MEMBERS]
    if left < 0:
        pairs += [("overdue", p) for p in MEMBERS]
    if left == -3:
        pairs += [("escalation", p) for p in ESCALATED | HEADS]
    if day.weekday() == 0:
        pairs += [("weekly", p) for p in LEADERS]
    return Counter(pairs)


def arrived(inbox, since):
    categories = {m.id: m.category for m in db.session.scalars(select(OutboxMessage))}
    return Counter((categories[int(m["Message-ID"].split("-")[1].split("@")[0])], m["To"].addresses[0].username)
                   for m in inbox.messages[since:])


def test_a_period_walked_through_a_real_smtp_server(app, period, runner, smtp):  # noqa: F811
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    smtp.inbox.messages.clear()
    db.session.execute(db.update(OutboxMessage).values(sent_at=at_ward(DUE - timedelta(days=11))))  # the opening's
    db.session.commit()
    owed = Counter()
    for offset in range(-10, 11):
        day = DUE + timedelta(days=offset)
        if day in DOWN and smtp.controller:
            smtp.stop()
        if day not in DOWN and not smtp.controller:
            smtp.start()
        since = len(smtp.inbox.messages)
        with time_machine.travel(at_ward(day).replace(tzinfo=timezone.utc), tick=False):
            for _ in range(2):  # run twice: the second writes and sends nothing
                result = runner.invoke(args=["reminders", "run"])
                assert result.exit_code == 0, result.output
        db.session.expire_all()
        owed += expected(day)
        got = arrived(smtp.inbox, since)
        if day in DOWN:
            assert got == Counter(), day
        else:
            assert got == owed, day  # today's, and what waited while the server was down
            owed = Counter()
    ids = smtp.message_ids()
    assert len(ids) == len(set(ids)) == db.session.scalar(select(db.func.count(OutboxMessage.id))
                                                          .where(OutboxMessage.category != "period"))
    late = [m for m in smtp.inbox.messages if m["Subject"].startswith("Đơn vị chưa gửi")]
    assert {m["To"].addresses[0].username for m in late} == ESCALATED
