"""Effective maxima: each criterion's maximum for one unit, how it arises, and how tables print it.

When a criterion does not apply to a unit, scoring._rescale multiplies the unit's other base criteria by
full/kept, so their maxima for that unit (effective maxima) are the scheme's × that factor: 15,00 × 3 for
TTSNC in Quý III. Every figure is shown within the maximum printed above or beside it:

- Shown maxima are rounded like the points (display.apportion): the kept base criteria's effective maxima
  are apportioned to the base total (90,00 with the default scheme), so they add up as the points do;
  15 × 1,125 = 16,875 twice is shown 16,88 and 16,87. A part is never rounded above its shown maximum.
- Pages (the unit's explanation, its self-assessment and appraisal): every criterion carries its own
  maximum with how it arises — "tối đa 45,00 = 15,00 × 3 vì không tính “…”" (≈ where rounding makes the
  product differ from the shown figure), "cộng tối đa", "trừ tối đa", or "không áp dụng" when excluded.
  The self-assessment and the appraisal take the shown maximum as their bound, and the shown (apportioned)
  computed points as the computed score, so a unit that agrees enters exactly what it is shown and its
  total is the computed total.
- Tables with one column per criterion (ranking PDF, .xlsx, .docx) — decision: a column whose maximum is the
  same for every row prints it once in its header, "(tối đa 15,00)", and its cells carry the points alone,
  as before; a column whose maximum differs between units prints no single figure in its header,
  "(tối đa theo đơn vị)", and each of its cells carries that unit's maximum under the points ("16,88" over
  "/16,88"; in the workbook the cell stays a number and its number format adds " /16,88"). A single max in
  a header that some rows exceed is what issue 15 found unsignable; a maximum in every cell of every column
  would double the figures a reader scans when nothing was rescaled, the common case.
- A criterion that does not apply to the unit is printed "không áp dụng" (the workbook cell holds that
  text), never 0 under a maximum.
- The totals' columns (page, PDF, .xlsx) are on the scheme's scale (100 with the default): every total is
  within it, since the shown maxima of the base criteria add up to the base total and the bonus is capped.
"""
import math
from dataclasses import dataclass

from ..formats import vn_number, vn_points
from ..models.scoring import BASE_KINDS, SCALE_KINDS
from .display import apportion, cents

NOT_APPLICABLE = "không áp dụng"
PER_UNIT = "tối đa theo đơn vị"


def shown_maxima(parts):
    """Per part its maximum for the unit in hundredths as shown, None where the criterion is excluded."""
    base = [i for i, p in enumerate(parts) if p.kind in BASE_KINDS and not p.excluded]
    exact = [parts[i].max_points for i in base]
    shown = dict(zip(base, apportion(exact, cents(math.fsum(exact)))))
    return [None if p.excluded else shown.get(i, cents(p.max_points)) for i, p in enumerate(parts)]


def caps(maxima):
    """The maxima as apportion's caps: an excluded criterion (None) has room for nothing."""
    return [0 if m is None else m for m in maxima]


def max_words(kind):
    return {"bonus": "cộng tối đa", "penalty": "trừ tối đa"}.get(kind, "tối đa")


def max_phrase(part, max_cents):
    """"tối đa 45,00 = 15,00 × 3 vì không tính “…”", "tối đa 15,00", "trừ tối đa 10,00", "không áp dụng"."""
    if max_cents is None:
        return NOT_APPLICABLE
    phrase = f"{max_words(part.kind)} {vn_points(max_cents)}"
    if part.factor == 1:
        return phrase
    sign = "=" if math.isclose(max_cents, part.max_points * 100, abs_tol=1e-6) else "≈"
    return (f"{phrase} {sign} {vn_points(cents(part.scheme_max))} × {vn_number(part.factor, 4)} "
            f"vì không tính {part.left_out}")


def scale_max(scheme):
    """The scheme's scale in hundredths (100,00 by the editor's rule): no total goes above it."""
    return cents(math.fsum(c.max_points for c in scheme.criteria if c.kind in SCALE_KINDS))


@dataclass
class ShownPart:
    part: object
    cents: int
    max_cents: int | None  # the unit's maximum as shown; None: the criterion does not apply to it
    line_cents: list

    @property
    def lines(self):
        return list(zip(self.part.lines, self.line_cents))

    @property
    def max_text(self):
        return max_phrase(self.part, self.max_cents)


def shown_parts(score):
    """(total in hundredths, [ShownPart]) for the explanation page."""
    total, maxima = cents(score.total), shown_maxima(score.parts)
    part_cents = apportion([p.points for p in score.parts], total, caps(maxima))
    return total, [ShownPart(part, c, top, apportion([line.points for line in part.lines], c))
                   for part, c, top in zip(score.parts, part_cents, maxima)]


def column_heads(columns, rows):
    """Per criterion column (label, scheme max in hundredths, kind) of a table whose rows carry `maxima`:
    the header's wording of the maximum, and whether each cell must carry its own (see the docstring)."""
    heads = []
    for i, (_label, top, kind) in enumerate(columns):
        per_unit = any(r.maxima[i] is not None and r.maxima[i] != top for r in rows)
        heads.append((PER_UNIT if per_unit else f"{max_words(kind)} {vn_points(top)}", per_unit))
    return heads
