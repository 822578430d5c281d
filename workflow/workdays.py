"""Working days in the ward: Monday to Friday, minus the holidays of the calendar (models/holiday.py),
plus the weekend days worked in their place."""
from datetime import timedelta


def working_days(after, until, calendar):
    """How many working days fall in (after, until]: after the day `after`, up to and including `until`
    (0 when `until` is not later). `calendar`: {date: True if worked, False if a day off} for the days
    the holiday table lists; any other day is worked from Monday to Friday."""
    count, day = 0, after + timedelta(days=1)
    while day <= until:
        count += calendar.get(day, day.weekday() < 5)
        day += timedelta(days=1)
    return count
