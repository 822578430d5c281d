"""The outgoing register (sổ văn bản đi): one numbering sequence per issuing body per calendar year
(Decree 30: a document's number is its order among those the body issued in the year).

A number is taken by `take()` inside the transaction that issues the document: an INSERT of the year's
counter row if it is missing (ON CONFLICT DO NOTHING), then one UPDATE … SET last = last + 1 RETURNING
last. Two signings at the same instant queue on that row (PostgreSQL's row lock, SQLite's single
writer), so each gets the next number; a signing that fails rolls its number back with it. No gap, no
duplicate; the unique constraint on (ward, issuer, year, seq) would refuse one anyway."""
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import wards
from ..access import require_register_keeper
from ..extensions import db
from ..models import DOC_TYPES, RegisterCounter, RegisterEntry
from ..models.org import utcnow
from ..validation import FieldError

WARD_ISSUER = "UBND"  # the ward's People's Committee; a unit issues under its code


@dataclass(frozen=True)
class Issue:
    """What a new entry records: who issues, the ký hiệu, the type, the day, the trích yếu, the signer."""
    ward_id: int
    issuer: str
    symbol: str
    doc_type: str
    day: object
    summary: str
    signer_name: str = ""
    signer_title: str = ""


def ward_of(unit):
    return unit.ward or wards.current()


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model))


def _next_seq(ward_id, issuer, year):
    db.session.execute(_insert(RegisterCounter).values(ward_id=ward_id, issuer=issuer, year=year, last=0)
                       .on_conflict_do_nothing())
    return db.session.execute(
        update(RegisterCounter).where(RegisterCounter.ward_id == ward_id, RegisterCounter.issuer == issuer,
                                      RegisterCounter.year == year)
        .values(last=RegisterCounter.last + 1).returning(RegisterCounter.last),
        execution_options={"synchronize_session": False}).scalar_one()


def take(issue, item=None, by=None, by_hand=False, note=""):
    """Register a document and give it the next number of its body's year (the caller commits)."""
    entry = RegisterEntry(
        ward_id=issue.ward_id, issuer=issue.issuer, year=issue.day.year,
        seq=_next_seq(issue.ward_id, issue.issuer, issue.day.year), symbol=issue.symbol, doc_type=issue.doc_type,
        issued_on=issue.day, summary=issue.summary[:500], signer_name=issue.signer_name, signer_title=issue.signer_title,
        item_kind=getattr(item, "KIND", None), item_id=getattr(item, "id", None), by_hand=by_hand, note=note,
        created_by_id=getattr(by, "id", None))
    db.session.add(entry)
    db.session.flush()
    return entry


def of_item(item):
    """The item's entry still in force (a withdrawn one stays in the register, marked)."""
    return db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.item_kind == item.KIND, RegisterEntry.item_id == item.id,
        RegisterEntry.withdrawn_at.is_(None)).order_by(RegisterEntry.id.desc()).limit(1))


def withdraw(item, reason):
    """The document was reopened: its number stays used, marked withdrawn; the next issue takes a new one."""
    entry = of_item(item)
    if entry is not None:
        entry.withdrawn_at, entry.withdrawn_reason = utcnow(), reason


def reserve(user, ward, doc_type, symbol, day, summary, signer_name, signer_title, note):
    """A number taken by hand for a document made outside the app (on paper), so the sequence stays true."""
    require_register_keeper(user)
    if doc_type not in DOC_TYPES:
        raise FieldError("doc_type", "Chọn loại văn bản.")
    entry = take(Issue(ward.id, WARD_ISSUER, symbol.strip() or f"{doc_type}-UBND", doc_type, day,
                       summary.strip(), signer_name.strip(), signer_title.strip()),
                 by=user, by_hand=True, note=note.strip())
    db.session.commit()
    return entry


def entries(ward, year, issuer=WARD_ISSUER):
    return db.session.scalars(select(RegisterEntry).where(
        RegisterEntry.ward_id == ward.id, RegisterEntry.issuer == issuer, RegisterEntry.year == year)
        .order_by(RegisterEntry.seq)).all()


def years(ward):
    return db.session.scalars(select(RegisterEntry.year).where(RegisterEntry.ward_id == ward.id)
                              .distinct().order_by(RegisterEntry.year.desc())).all()


def issuers(ward):
    """The ward's committee first, then the units that numbered documents."""
    found = db.session.scalars(select(RegisterEntry.issuer).where(RegisterEntry.ward_id == ward.id).distinct()).all()
    return [WARD_ISSUER] + sorted(i for i in found if i != WARD_ISSUER)
