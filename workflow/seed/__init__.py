"""Load the plan from its data file, and the demo accounts."""
import os

import yaml
from sqlalchemy import select

from ..extensions import db
from ..models import Area, Holiday, Plan, ReportingPeriod, Role, Target, Task, Unit, User, Ward

PLAN_FILE = os.path.join(os.path.dirname(__file__), "plan_phu_lien_2025.yaml")
DEMO_PASSWORD = "PhuLien@2025"

# (username, full name, unit, roles): one officer per unit plus the people of the workflow.
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "VP", ["admin"]),
    ("chutich", "Phạm Văn Diện", "VP", ["chairman", "signer"]),
    ("phochutich", "Nguyễn Văn Thành", "VP", ["chairman"]),
    ("thamdinh", "Nguyễn Thị Thẩm Định", "VHXH", ["reviewer"]),
    ("tiepnhan", "Trần Văn Tiếp Nhận", "VP", ["acceptor"]),
    ("vhxh", "Lê Thị Hoa", "VHXH", ["member"]),
    ("vp", "Phạm Minh Tuấn", "VP", ["member"]),
    ("kthtdt", "Hoàng Văn Nam", "KTHTDT", ["member"]),
    ("ttsnc", "Vũ Thị Lan", "TTSNC", ["member"]),
    ("ttpvhcc", "Đỗ Quang Huy", "TTPVHCC", ["member"]),
]
DEMO_TITLES = {"chutich": "Chủ tịch", "phochutich": "Phó Chủ tịch"}  # as they sign
# The heads who sign each unit's reports (invented for the demo; the plan names none).
DEMO_HEADS = {"VHXH": "Nguyễn Thị Thu Hà", "VP": "Đặng Văn Hùng", "KTHTDT": "Bùi Đức Long",
              "TTSNC": "Trịnh Văn Sơn", "TTPVHCC": "Ngô Thị Mai"}
# Each demo account's mail goes to <username>@DEMO_MAIL_DOMAIN: a reserved name (RFC 2606) no mail is
# ever delivered to, and one the account form's e-mail check accepts (it refuses ".local" and ".test").
DEMO_MAIL_DOMAIN = "phulien.example"


def demo_email(username):
    return f"{username}@{DEMO_MAIL_DOMAIN}"


def read_plan_file(path=PLAN_FILE):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_plan(data=None):
    """Create units and the plan unless the plan is already there. Returns the plan and whether it was new."""
    data = data or read_plan_file()
    ward = load_ward(data)
    existing = db.session.scalar(select(Plan).where(Plan.number == data["plan"]["number"]))
    load_holidays(data.get("holidays") or [])
    if existing is not None:
        _unit_details(data["units"])
        db.session.commit()
        return existing, False
    units = _load_units(data["units"], ward)
    _unit_details(data["units"])
    plan = _plan(data["plan"])
    plan.targets = [_target(i, t, units) for i, t in enumerate(data["targets"], 1)]
    plan.periods = [ReportingPeriod(name=p["name"], kind=p["kind"], start_date=p["start"],
                                    end_date=p["end"], due_date=p["due"]) for p in data["periods"]]
    db.session.add(plan)
    for a in data["areas"]:
        area = Area(number=a["number"], name=a["name"])
        plan.areas.append(area)
        for pos, t in enumerate(a["tasks"], 1):
            db.session.add(_task(plan, area, pos, t, units))
    db.session.commit()
    return plan, True


def load_holidays(rows):
    """The data file's holidays of each year for which the calendar lists no day yet: what an admin
    removed or renamed in a year already there stays as the admin left it. The caller commits."""
    years_listed = {day.year for day in db.session.scalars(select(Holiday.day))}
    for row in rows:
        if row["day"].year not in years_listed:
            db.session.add(Holiday(day=row["day"], name=row["name"], working_day=bool(row.get("working_day"))))


def load_ward(data):
    """The ward of the data file, created if missing; units without a ward (created before wards
    were data) join it, and the consolidating unit is marked as the file says. The caller commits."""
    ward = db.session.scalar(select(Ward).order_by(Ward.id).limit(1))
    if ward is None:
        w = data["ward"]
        ward = Ward(kind=w["kind"], name=w["name"], place=w.get("place", w["name"]),
                    publisher=w.get("publisher", ""), recipients=list(w.get("recipients", [])))
        db.session.add(ward)
    consolidating = {row["code"] for row in data["units"] if row.get("consolidates")}
    for unit in db.session.scalars(select(Unit).where(Unit.ward_id.is_(None))):
        unit.ward = ward
        unit.consolidates = unit.consolidates or unit.code in consolidating
    return ward


def _load_units(rows, ward):
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    for row in rows:
        if row["code"] not in units:
            units[row["code"]] = Unit(code=row["code"], name=row["name"], ward=ward,
                                      receives_dossiers=row.get("receives_dossiers", False),
                                      consolidates=row.get("consolidates", False))
            db.session.add(units[row["code"]])
    return units


def _unit_details(rows):
    """Abbreviation and head's title from the data file, for units that have none yet (the caller commits)."""
    by_code = {row["code"]: row for row in rows}
    for unit in db.session.scalars(select(Unit).where(Unit.code.in_(by_code))):
        row = by_code[unit.code]
        unit.abbreviation = unit.abbreviation or row.get("abbreviation")
        unit.head_title = unit.head_title or row.get("head_title")


def _plan(p):
    return Plan(number=p["number"], issued_on=p["issued_on"], title=p["title"], issuer=p["issuer"],
                start_date=p["start"], end_date=p["end"], signer_name=p["signer_name"],
                signer_title=p["signer_title"], purpose=p.get("purpose", "").strip(),
                requirements=p.get("requirements", "").strip())


def _target(position, t, units):
    return Target(position=position, code=str(t["code"]), title=t["title"], content=t["content"],
                  metric=t["metric"], comparator=t.get("comparator"), value=t.get("value"),
                  unit_label=t.get("unit_label"),
                  responsible_units=[units[c] for c in t.get("responsible", [])])


def _task(plan, area, position, t, units):
    return Task(plan=plan, area=area, position=position, code=t["code"], letter=t.get("letter"),
                title=t["title"], content=t["content"].strip(), lead_unit=units[t["lead"]],
                cooperating_units=[units[c] for c in t.get("cooperating", [])],
                deadline=t["deadline"], output=t.get("output", ""))


def seed_demo_accounts(password=DEMO_PASSWORD, password_hash=None):
    """Create the demo accounts that do not exist yet; returns the usernames created.

    A precomputed password_hash skips scrypt per account (the test suite seeds hundreds of times).
    """
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    existing = {u.username: u for u in db.session.scalars(select(User))}
    created = []
    for code, name in DEMO_HEADS.items():
        if code in units:
            units[code].head_name = units[code].head_name or name
            units[code].head_email = units[code].head_email or demo_email(f"truong.{code.lower()}")
    for username, full_name, unit_code, roles in DEMO_ACCOUNTS:
        if username in existing:  # a demo database made before a demo role existed gets it
            user = existing[username]
            user.roles = user.roles | {Role(r) for r in roles}
            user.title = user.title or DEMO_TITLES.get(username)
            user.email = user.email or demo_email(username)  # an address an admin gave is kept
            continue
        user = User(username=username, full_name=full_name, unit=units[unit_code], title=DEMO_TITLES.get(username),
                    email=demo_email(username))
        user.roles = roles
        if password_hash:
            user.password_hash = password_hash
        else:
            user.set_password(password)
        db.session.add(user)
        created.append(username)
    db.session.commit()
    return created
