"""Working days: Monday to Friday, minus the calendar's days off, plus its weekend days worked."""
from datetime import date

import pytest

from workflow.seed import read_plan_file
from workflow.workdays import working_days

CALENDAR_2025 = {row["day"]: bool(row.get("working_day")) for row in read_plan_file()["holidays"]}


@pytest.mark.parametrize("after, until, expected", [
    (date(2025, 9, 5), date(2025, 9, 10), 3),    # Fri → Wed: Mon, Tue, Wed
    (date(2025, 9, 5), date(2025, 9, 7), 0),     # the weekend only
    (date(2025, 9, 5), date(2025, 9, 5), 0),     # the same day
    (date(2025, 9, 5), date(2025, 9, 1), 0),     # before it
    (date(2025, 8, 29), date(2025, 9, 4), 2),    # Quốc khánh Mon 1/9 and Tue 2/9 are off: Wed, Thu
    (date(2025, 1, 24), date(2025, 2, 3), 1),    # Tết 25/01–02/02 off: only Mon 03/02
    (date(2025, 4, 25), date(2025, 4, 29), 3),   # Sat 26/04 worked in exchange, then Mon and Tue
    (date(2025, 4, 29), date(2025, 5, 5), 1),    # 30/04, 01/05 and the swapped 02/05 off: Mon 05/05
])
def test_working_days_follow_the_2025_calendar(after, until, expected):
    assert working_days(after, until, CALENDAR_2025) == expected


def test_without_a_calendar_every_weekday_works():
    assert working_days(date(2025, 8, 29), date(2025, 9, 4), {}) == 4
