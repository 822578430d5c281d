"""The states of the approval workflow: the one place their names are written.

`State` is a str enum, so a state compares equal to its stored text; `StateType` makes every state
column read back as a `State` (with its Vietnamese `label`) and write only a known state's text."""
import enum

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    ACCEPTED = "accepted"

    @property
    def label(self):
        return LABELS[self]


LABELS = {State.DRAFT: "Dự thảo", State.SUBMITTED: "Đã gửi", State.REVIEWED: "Đã thẩm định",
          State.ACCEPTED: "Đã tiếp nhận"}
IN_REVIEW = (State.SUBMITTED, State.REVIEWED)   # sent, not yet settled
APPRAISED = (State.REVIEWED, State.ACCEPTED)    # a self-assessment scored by the reviewer: the ranking uses it


class StateType(TypeDecorator):
    """A state column: the text in the database, a `State` in Python; an unknown state is refused on write."""
    impl = String(12)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else State(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else State(value)
