"""Delivering the outbox: `drain()` takes the messages that are due, claims each one with a conditional
UPDATE committed before it is sent (two senders at once never send a row twice, on SQLite and
PostgreSQL alike), sends it over SMTP — or, with no MAIL_SERVER, writes it as an .eml file under
instance/outbox/ — and records the outcome. A failure is retried later (BACKOFF), never dropped."""
import os
import re
import smtplib
import socket
import ssl
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..models import OutboxMessage, User
from ..models.org import utcnow
from . import compose
from .outbox import stopped_by

# Waits after the 1st, 2nd, ... failure; then every EVERY_AFTER, for as long as it takes.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
EVERY_AFTER = timedelta(hours=6)
STALE = timedelta(minutes=10)  # a claim this old belongs to a sender that died: take it again
TIMEOUT = 30                   # seconds for any one SMTP exchange, well under STALE
# 7-bit bodies (quoted-printable or base64): any server takes them, 8BITMIME or not.
# 998: RFC 5322's hard limit; with the default 78 a long List-Unsubscribe URL, having no place to fold,
# would be turned into an encoded-word that mail clients cannot use.
POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=998)


STOPPED = "Không gửi: người nhận đã ngừng nhận loại thư này sau khi thư được ghi."


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0   # the recipient stopped that kind after it was written
    pending: int = 0   # still unsent after this drain (due later, or failed and waiting)


def backoff(attempts):
    """How long to wait after the `attempts`-th failure."""
    return BACKOFF[attempts - 1] if 0 < attempts <= len(BACKOFF) else EVERY_AFTER


def drain(now=None, limit=200, worker=None):
    """Send up to `limit` due messages. A server that cannot be reached, or goes away, ends the drain:
    the due messages not sent wait their backoff instead of hammering it."""
    now = now or utcnow()
    worker = (worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[:64]
    ids, result = _due(now, limit), DrainResult()
    if ids:
        try:
            transport = _transport(current_app.config)
        except Exception as exc:  # noqa: BLE001 — whatever stops the connection, the rows wait
            result.failed = _postpone(ids, now, worker, exc)
        else:
            with transport:
                _send_all(transport, ids, now, worker, result)
    result.pending = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None)))
    db.session.commit()
    return result


def _send_all(transport, ids, now, worker, result):
    for index, row_id in enumerate(ids):
        row = _claim(row_id, now, worker)
        if row is None:
            continue  # another sender has it, or has sent it
        if row.user_id is not None and stopped_by(row.user_id, row.category):
            _finish(row_id, worker, sent_at=now, last_error=STOPPED)  # done, never delivered
            result.skipped += 1
            continue
        attempts = row.attempts
        try:
            mail = build(row)
            db.session.commit()  # no read transaction open during the (slow) send
            transport.send(row_id, mail)
        except Exception as exc:  # noqa: BLE001 — recorded on the row; never lost
            db.session.rollback()
            _fail(row_id, attempts, now, worker, exc)
            result.failed += 1
            if _gone(exc):
                result.failed += _postpone(ids[index + 1:], now, worker, exc)
                return
            continue
        _finish(row_id, worker, sent_at=now)
        result.sent += 1


def _due(now, limit):
    ids = list(db.session.scalars(select(OutboxMessage.id).where(_claimable(now))
                                  .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    db.session.commit()  # SQLite refuses a write in a transaction whose read another writer outdated
    return ids


def _claimable(now):
    return (OutboxMessage.sent_at.is_(None) & (OutboxMessage.next_attempt_at <= now)
            & or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - STALE))


def _take(row_id, now, worker):
    """Claim the row for this sender, committed; False when another sender has it or it is done."""
    taken = db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, _claimable(now))
                               .values(claimed_at=now, claimed_by=worker)
                               .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return taken


def _claim(row_id, now, worker):
    return db.session.get(OutboxMessage, row_id, populate_existing=True) if _take(row_id, now, worker) else None


def _finish(row_id, worker, **values):
    """Record the outcome and let go of the claim (only ours: a stale claim may have passed on)."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker)
                       .values(claimed_at=None, claimed_by=None, **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _fail(row_id, attempts, now, worker, exc):
    attempts += 1
    current_app.logger.warning("mail: outbox %s not sent (attempt %s): %s", row_id, attempts, describe(exc))
    _finish(row_id, worker, attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=describe(exc))


def _postpone(ids, now, worker, exc):
    """Count a failed attempt on each of `ids` that no other sender holds; how many."""
    count = 0
    for row_id in ids:
        if _take(row_id, now, worker):
            attempts = db.session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == row_id))
            db.session.commit()
            _fail(row_id, attempts, now, worker, exc)
            count += 1
    return count


def describe(exc):
    return f"{type(exc).__name__}: {exc}"[:500]


def _gone(exc):
    """True when the server (or the outbox folder) is unusable, not just this one message refused."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # "service not available, closing channel"
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


# The message ------------------------------------------------------------------------------------

def build(row):
    """The e-mail of an outbox row: text and HTML alternatives, the stop link as List-Unsubscribe."""
    config = current_app.config
    user = db.session.get(User, row.user_id) if row.user_id else None
    mail = EmailMessage(policy=POLICY)
    mail["From"] = config["MAIL_SENDER"]
    mail["To"] = formataddr((user.full_name, row.to_addr)) if user and user.full_name else row.to_addr
    mail["Subject"] = " ".join(row.subject.split())  # no line break can reach a header
    mail["Date"] = format_datetime(row.created_at.replace(tzinfo=timezone.utc))
    mail["Message-ID"] = f"<outbox-{row.id}@{_domain(config)}>"  # the same on every retry: readers dedupe
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    stop = compose.stop_link(user, row.category) if user else None
    if stop:  # RFC 2369 + RFC 8058: the mail reader's own "unsubscribe" button, one click
        mail["List-Unsubscribe"] = f"<{stop}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(row.body_text, charset="utf-8")
    mail.add_alternative(row.body_html, subtype="html", charset="utf-8")
    return mail


def _domain(config):
    _, address = parseaddr(config["MAIL_SENDER"])
    return address.rpartition("@")[2] or urlsplit(config["BASE_URL"]).hostname or "localhost"


# Transports -------------------------------------------------------------------------------------

def _transport(config):
    if config["MAIL_SERVER"]:
        return SmtpTransport(_connect(config))
    return FileTransport(os.path.join(current_app.instance_path, "outbox"))


def _connect(config):
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        conn = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
    else:
        conn = smtplib.SMTP(host, port, timeout=TIMEOUT)
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            conn.starttls(context=context)
        if config["MAIL_USERNAME"]:
            conn.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        conn.close()
        raise
    return conn


class SmtpTransport:
    """One connection for the whole drain."""

    def __init__(self, conn):
        self.conn = conn

    def send(self, row_id, mail):
        self.conn.send_message(mail)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.conn.quit()
        except (OSError, smtplib.SMTPException):
            self.conn.close()


class FileTransport:
    """No MAIL_SERVER: each message becomes <folder>/000123-<subject>.eml, exactly what would be sent."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.folder = folder

    def send(self, row_id, mail):
        final = os.path.join(self.folder, f"{row_id:06d}-{slug(str(mail['Subject']))}.eml")
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(mail.as_bytes())
            os.replace(temp, final)  # a reader sees the whole file or none
        except BaseException:
            if os.path.exists(temp):
                os.remove(temp)
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def slug(text, length=60):
    """"Còn 3 ngày đến hạn" -> "con-3-ngay-den-han": a file name any system can show."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:length].rstrip("-") or "thu"
