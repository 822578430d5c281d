"""The ward, its units and the people who sign in (with their session tokens and the counters of
their sign-in attempts)."""
import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from .. import democlock
from ..extensions import db


def utcnow():
    """Now, as stored (naive UTC); on the demo day when demo mode sets one (democlock.py)."""
    return democlock.utcnow()


def new_session_token():
    return secrets.token_urlsafe(32)


class Role(str, enum.Enum):
    MEMBER = "member"
    REVIEWER = "reviewer"
    ACCEPTOR = "acceptor"
    CHAIRMAN = "chairman"
    SIGNER = "signer"      # signs and issues the ward's documents: the chairman (others by delegation)
    ADMIN = "admin"


# Labels of the roles, not of the units holding them (any unit's people may be given a role).
ROLE_LABELS = {
    Role.MEMBER: "Cán bộ đơn vị",
    Role.REVIEWER: "Thẩm định",
    Role.ACCEPTOR: "Tiếp nhận",
    Role.CHAIRMAN: "Lãnh đạo UBND",
    Role.SIGNER: "Ký ban hành văn bản",
    Role.ADMIN: "Quản trị hệ thống",
}


class Ward(db.Model):
    """The ward (or commune) whose People's Committee runs the plan: who it is on its documents and
    pages. Loaded from the plan's data file; a second ward is a second row, not a change of code."""
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))       # phường | xã | đặc khu
    name: Mapped[str] = mapped_column(String(100))      # "Phù Liễn"
    place: Mapped[str] = mapped_column(String(100))     # the place of the place-date line
    publisher: Mapped[str] = mapped_column(String(200), default="")  # who publishes the public page
    # "Nơi nhận" of the reports the ward issues; "Lưu: VT, <drafting unit>." is added when issued.
    recipients: Mapped[list] = mapped_column(JSON, default=list)

    units: Mapped[list["Unit"]] = relationship(back_populates="ward", order_by="Unit.code")

    @property
    def full_name(self):
        """"phường Phù Liễn", as in a sentence."""
        return f"{self.kind} {self.name}"

    @property
    def committee(self):
        """"Ủy ban nhân dân phường Phù Liễn", the issuing body in running text."""
        return f"Ủy ban nhân dân {self.full_name}"

    @property
    def short_committee(self):
        return f"UBND {self.full_name}"

    @property
    def consolidating_unit(self):
        return next((u for u in self.units if u.consolidates), None)


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Units that receive procedure dossiers fill the Biểu II.06a table in their reports.
    receives_dossiers: Mapped[bool] = mapped_column(default=False)
    # The unit that consolidates the ward's reports, drafts its ranking and whose people review.
    consolidates: Mapped[bool] = mapped_column(default=False)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who the unit is on its own documents: the abbreviation of its ký hiệu ("KT-HT&ĐT" in
    # "05/BC-KT-HT&ĐT"), and the head who signs them ("Trưởng phòng", "Giám đốc" and a name).
    abbreviation: Mapped[str | None] = mapped_column(String(30))
    head_title: Mapped[str | None] = mapped_column(String(80))
    head_name: Mapped[str | None] = mapped_column(String(120))
    # Where the head is told when the unit runs late (reminders' escalation); heads need no account.
    head_email: Mapped[str | None] = mapped_column(String(200))

    @property
    def symbol(self):
        """The unit's part of a ký hiệu: its abbreviation, else its code."""
        return self.abbreviation or self.code

    users: Mapped[list["User"]] = relationship(back_populates="unit")
    # The signed-in person's is loaded with them (security.load_user): pages show it at no extra query.
    ward: Mapped[Ward | None] = relationship(back_populates="units")

    def __repr__(self):
        return f"<Unit {self.code}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(80))  # chức vụ as signed: "Chủ tịch", "Phó Chủ tịch"
    password_hash: Mapped[str] = mapped_column(String(256))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of what the session cookie names (session_id): a new token ends every session of the
    # person, on logout, a password change and deactivation (security.load_user compares them).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Set for an account an admin creates or resets: its first sign-in goes to "Đổi mật khẩu".
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # The secret of the person's iCalendar feed URL; None = no feed (revoked or never made).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    unit: Mapped[Unit] = relationship(back_populates="users", lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    @roles.setter
    def roles(self, roles):
        wanted = {Role(r).value for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        self.role_rows.extend(UserRole(role=r) for r in sorted(wanted - have))

    def has_role(self, *roles) -> bool:
        return bool(self.roles & {Role(r) for r in roles})

    @property
    def is_active(self):
        return self.active

    def session_id(self):
        """What Flask-Login keeps in the session and a remember-me cookie, "<id>:<session token>"
        (security.py makes it the login manager's id_attribute). get_id() stays the bare id, for logs."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self):
        """Every session opened before now stops working at its next request."""
        self.session_token = new_session_token()

    @validates("password_hash")
    def _new_password_ends_sessions(self, _key, value):
        if self.password_hash is not None and value != self.password_hash:
            self.end_sessions()
        return value

    @validates("active")
    def _deactivation_ends_sessions(self, _key, value):
        if not value and self.id is not None:
            self.end_sessions()
        return value

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)  # scrypt by default

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username}>"


class LoginAttempt(db.Model):
    """One counter of sign-in attempts per key ("user:<name>", "ip:<address>") for the window that
    started with its first attempt; counted before the password is checked (auth/attempts.py), in
    the database every worker shares. Rows whose window has ended are deleted as new windows open."""
    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    hits: Mapped[int]
    expires_at: Mapped[float] = mapped_column(index=True)  # Unix time the window ends
