"""Opening a period tells each unit what it owes and by when (in the opening's transaction)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..mail import compose, outbox
from ..models import Role, Unit, User
from .clock import draft_counts


def announce(period):
    """Write one message per person of each unit that has drafts in `period`; how many were new."""
    db.session.flush()
    counts = draft_counts([period.id])
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    people = db.session.scalars(select(User).where(User.active, User.unit_id.in_({u for u, _ in counts}))
                                .options(selectinload(User.role_rows))).all() if counts else []
    return outbox.enqueue_many(
        compose.message("period_opened", key=f"period:{person.id}:{period.id}", category="period", user=person,
                        subject=f"Mở kỳ báo cáo {period.name}: hạn gửi {period.due_date:%d/%m/%Y}", link="/work",
                        period=period, unit=units[person.unit_id], counts=counts[(person.unit_id, period.id)])
        for person in people if person.has_role(Role.MEMBER))
