"""The ward's calendar of days off: public holidays, and the weekend days worked in their place.

Working days are Monday to Friday, except a day listed here as a holiday; a Saturday or Sunday listed
with `working_day` is worked (ngày làm bù, when the government moves a day off next to a holiday).
workflow/workdays.py counts them; seeded from the plan's data file (seed.load_holidays), edited by an
admin (Quản trị → Ngày nghỉ lễ).
"""
from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Holiday(db.Model):
    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # True: a weekend day worked in exchange for a day off (e.g. Saturday 26/04/2025 for Friday 02/05/2025).
    working_day: Mapped[bool] = mapped_column(default=False)

    @property
    def kind_label(self):
        return "Ngày làm việc bù" if self.working_day else "Ngày nghỉ"
