"""Biểu II.06a on the screen: each row's totals and checks, and the column sums, from the form as typed.
The edit page draws it; typing asks for it again (the server stays the judge of the arithmetic)."""
from dataclasses import dataclass, field

from ..models import DOSSIER_COUNTS, dossier_row_problems


@dataclass
class Row:
    counts: dict
    blank: bool
    errors: list = field(default_factory=list)    # why sending was refused
    warnings: list = field(default_factory=list)  # what a draft still lacks


@dataclass
class Grid:
    rows: list
    sums: dict


def of_form(form, live=False):
    """The grid of the report form's Biểu II.06a rows. `live`: check each row as typed (the answer to
    typing); otherwise show what the page attached (a saved draft's warnings, a refused send's errors)."""
    rows = [_row(entry.form, live) for entry in form.dossier_rows]
    sums = {name: sum(row.counts[name] for row in rows) for name in DOSSIER_COUNTS}
    return Grid(rows, sums)


def _row(row_form, live):
    counts, blank = row_form.counts(), row_form.is_blank()
    if live:
        typed = {"field_name": row_form.field_name.data or "", **counts}
        return Row(counts, blank, warnings=[] if blank else [m for _, m in dossier_row_problems(typed)])
    return Row(counts, blank, list(row_form.form_errors), list(getattr(row_form, "warnings", ())))
