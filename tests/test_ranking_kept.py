"""The standings kept between requests (ranking/revision.py): the counter moves with every change that
can alter a score, in the change's own transaction, and only then; what is served always equals a fresh
computation from the data."""
from datetime import date, datetime

from sqlalchemy import select, update

from workflow.extensions import db
from workflow.items import states
from workflow.models import Revision, Task, TaskResult
from workflow.ranking import revision, schemes, services
from workflow.ranking.gather import gather_facts
from workflow.ranking.scoring import score_all

from .ranking_data import ON_TIME_Q3, Q3, finish, move, period, plan, result, unit, user  # noqa: F401 (fixture)

AUG = datetime(2025, 8, 20, 3)
OCT = datetime(2025, 10, 20, 3)


def counter():
    db.session.expire_all()
    return db.session.scalar(select(Revision.n).where(Revision.name == "ranking"))


def served(plan, when, name=Q3):
    scope = period(name) if name else None
    return services._standings(plan, scope, schemes.active_scheme(plan), when)


def fresh(plan, when, name=Q3):
    scope = period(name) if name else None
    return score_all(schemes.active_scheme(plan), gather_facts(plan, scope, when))


def table(standings):
    return [(s.rank, s.score.unit.code, round(s.score.final, 4), s.score.band) for s in standings]


def test_kept_standings_cost_one_statement_and_follow_every_accepted_change(plan, count_queries):
    scope, scheme = period(Q3), schemes.active_scheme(plan)
    table(services._standings(plan, scope, scheme, OCT))
    with count_queries() as kept:
        again = services._standings(plan, scope, scheme, OCT)
    assert kept.count == 1  # the counter; the scores come from the store
    assert table(again) == table(fresh(plan, OCT))
    before = counter()
    finish("1.a", Q3, "done", date(2025, 7, 25))       # submitted, reviewed, accepted: three transactions
    assert counter() == before + 3
    changed = served(plan, OCT)
    assert table(changed) == table(fresh(plan, OCT)) and table(changed) != table(again)


def test_a_drafts_content_does_not_move_the_counter_but_its_sending_does(plan):
    item = result("2.a", Q3)
    before = counter()
    states.edit_draft(user("vp"), item, item.version, lambda: setattr(item, "done_text", "Đã họp triển khai."))
    item.progress = 40                                  # an ORM write of a column the scores do not read
    db.session.commit()
    db.session.execute(update(TaskResult).where(TaskResult.id == item.id).values(output_text="Biên bản"))
    db.session.commit()
    assert counter() == before
    move(result("2.a", Q3), ("submit",), ON_TIME_Q3)    # versioning.guarded_update sets the state
    assert counter() == before + 1


def test_plan_edits_move_the_counter_and_a_rollback_does_not(plan):
    before = counter()
    task = db.session.scalar(select(Task).where(Task.code == "1.a"))
    task.deadline = date(2025, 12, 31)
    db.session.rollback()
    assert counter() == before
    task.lead_unit_id = unit("VP").id
    db.session.commit()
    assert counter() == before + 1
    vp = unit("VP")
    vp.active = False
    db.session.commit()
    assert counter() == before + 2
    assert "VP" not in [code for _, code, _, _ in table(served(plan, OCT))]


def test_the_wards_day_is_part_of_the_key(plan, count_queries):
    """A task whose due day passes overnight starts to count: the next day's standings are computed again."""
    scope, scheme = period(Q3), schemes.active_scheme(plan)
    services._standings(plan, scope, scheme, AUG)
    with count_queries() as next_day:
        late_aug = services._standings(plan, scope, scheme, datetime(2025, 8, 21, 3))
    assert next_day.count > 1
    assert table(late_aug) == table(fresh(plan, datetime(2025, 8, 21, 3)))
    assert table(served(plan, AUG, None)) == table(fresh(plan, AUG, None))  # the whole plan kept apart


def test_only_a_few_scopes_are_kept(app, plan):
    for day in range(1, revision.KEPT + 5):
        served(plan, datetime(2025, 8, day, 3))
    assert len(app.extensions["ranking_kept"].entries) == revision.KEPT


def test_the_dashboards_trend_is_kept_and_follows_a_sending(plan, count_queries):
    from workflow.dashboard import glance
    periods = [period(Q3)]
    before = glance.trend(periods)[0]
    with count_queries() as kept:
        glance.trend(periods)
    assert kept.count == 1  # the counter
    move(result("2.a", Q3), ("submit",), ON_TIME_Q3)
    after = glance.trend(periods)[0]
    fresh = glance._on_time(TaskResult, [period(Q3).id])[period(Q3).id]
    assert (after.tasks_on_time, after.tasks) == fresh == (before.tasks_on_time + 1, before.tasks)
