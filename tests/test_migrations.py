"""The schema comes from migrations; they must agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from workflow.extensions import db

from workflow.models.search import include_name

from .conftest import empty_database


def test_migrations_match_models(app):
    empty_database()
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name}), db.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(app):
    empty_database()
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "tasks" in inspect(db.engine).get_table_names()
    empty_database()


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_database_with_units_gets_its_ward_from_the_migration(app):
    """Units made before wards were data join the ward of the plan's data file, VHXH consolidating,
    with no init-db: documents and the consolidating unit's rights work after `db upgrade` alone."""
    empty_database()
    upgrade(revision="0006")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO units (code, name, active, receives_dossiers, created_at) "
                             "VALUES ('VHXH', 'Phòng Văn hóa - Xã hội', true, false, '2025-07-01'), "
                             "('VP', 'Văn phòng HĐND và UBND phường', true, false, '2025-07-01')")
    upgrade()
    with db.engine.connect() as conn:
        wards = conn.exec_driver_sql("SELECT id, kind, name, place FROM wards").all()
        units = conn.exec_driver_sql("SELECT code, consolidates, ward_id FROM units ORDER BY code").all()
    assert [tuple(w[1:]) for w in wards] == [("phường", "Phù Liễn", "Phù Liễn")]
    assert [(code, bool(flag), ward) for code, flag, ward in units] == [("VHXH", True, wards[0][0]),
                                                                       ("VP", False, wards[0][0])]
    empty_database()


def test_a_database_with_a_plan_gets_the_holidays_from_the_migration(app):
    """An existing database (a plan loaded before the calendar existed) gets the data file's holidays
    with `db upgrade` alone; an empty one gets them from init-db instead."""
    empty_database()
    upgrade(revision="0018")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO plans (number, issued_on, title, issuer, start_date, end_date, signer_name, "
                             "signer_title, purpose, requirements) VALUES ('116/QĐ-UBND', '2025-07-11', "
                             "'Kế hoạch', 'UBND', '2025-07-01', '2025-12-31', 'A', 'Chủ tịch', '', '')")
    upgrade()
    with db.engine.connect() as conn:
        days = dict(conn.exec_driver_sql("SELECT day, working_day FROM holidays").all())
    assert len(days) == 17
    assert {str(d)[:10] for d, working in days.items() if working} == {"2025-04-26"}
    assert {"2025-09-01", "2025-09-02", "2025-01-29", "2025-04-07"} <= {str(d)[:10] for d in days}
    empty_database()


def test_existing_scheme_versions_get_the_minimum_basis_and_the_heads_wording_from_0019(app):
    """Issue 15: versions saved before 0019 get min_top_tasks 3 and, per band, the head's assessment its label implies."""
    empty_database()
    upgrade(revision="0018")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO plans (id, number, issued_on, title, issuer, start_date, end_date, signer_name, signer_title, "
            "purpose, requirements) VALUES (1, '116/QĐ-UBND', '2025-07-11', 'Kế hoạch', 'UBND', '2025-07-01', "
            "'2025-12-31', 'A', 'Chủ tịch', '', '')")
        conn.exec_driver_sql("INSERT INTO scoring_schemes (id, plan_id, version, created_at, active, note) "
                             "VALUES (1, 1, 1, '2025-07-11', true, '')")
        conn.exec_driver_sql("INSERT INTO scoring_bands (scheme_id, position, min_score, label) VALUES "
                             "(1, 0, 90, 'Hoàn thành xuất sắc nhiệm vụ'), (1, 1, 0, 'Chưa xếp loại')")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT min_top_tasks FROM scoring_schemes").scalar() == 3
        heads = conn.exec_driver_sql("SELECT head_assessment FROM scoring_bands ORDER BY position").scalars().all()
    assert heads == ["Người đứng đầu hoàn thành xuất sắc trách nhiệm về CCHC", "Người đứng đầu: Chưa xếp loại"]
    empty_database()


def _insert(conn, table, **values):
    """A row with `values`, every other NOT NULL column (no default) filled by its type; returns its id."""
    import sqlalchemy as sa
    fill = {sa.Boolean: False, sa.Integer: 0, sa.Float: 0.0, sa.Date: "2025-07-01", sa.DateTime: "2025-07-01 00:00:00",
            sa.JSON: "{}", sa.String: "x"}
    row = dict(values)
    for column in inspect(conn).get_columns(table):
        if column["name"] in row or column["nullable"] or column["name"] == "id" or column.get("default") is not None:
            continue
        row[column["name"]] = next(v for t, v in fill.items() if isinstance(column["type"], t))
    names = ", ".join(row)
    result = conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)
    return result.lastrowid if db.engine.dialect.name == "sqlite" else conn.execute(
        sa.text(f"SELECT max(id) FROM {table}")).scalar()


def test_opened_periods_get_the_scheme_version_their_self_assessments_use(app):
    """0021: an opened period keeps the version its self-assessments were made under (not the active one);
    an opened period without any gets the active version; a period not opened yet gets none."""
    empty_database()
    upgrade(revision="0018")
    with db.engine.begin() as conn:
        plan = _insert(conn, "plans", number="116/QĐ-UBND")
        unit = _insert(conn, "units", code="VP", name="Văn phòng", active=True)
        v1 = _insert(conn, "scoring_schemes", plan_id=plan, version=1, active=False, note="")
        v2 = _insert(conn, "scoring_schemes", plan_id=plan, version=2, active=True, note="")
        periods = [_insert(conn, "reporting_periods", plan_id=plan, name=name, kind="quarter", opened_at=opened)
                   for name, opened in (("Quý III", "2025-07-02 00:00:00"), ("Quý IV", "2025-10-02 00:00:00"),
                                        ("Năm", None))]
        _insert(conn, "self_assessments", period_id=periods[0], unit_id=unit, scheme_id=v1, state="submitted",
                version=1)
    upgrade()
    with db.engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT name, scheme_id FROM reporting_periods ORDER BY id").all()
    assert [tuple(row) for row in found] == [("Quý III", v1), ("Quý IV", v2), ("Năm", None)]
    empty_database()
