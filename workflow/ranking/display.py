"""Rounding for display only, so that what people see adds up.

Rounding each figure on its own would show, e.g., three tasks at 13,33 and a part of 40,00.
Instead the total is rounded to 0.01, the parts are apportioned to that total, and each part's lines
to the part, by the largest-remainder method: every shown figure is its exact value rounded down or
up by at most 0.01, and the shown lines add up to the shown part, the shown parts to the shown total.
"""
import math
from dataclasses import dataclass

from ..formats import cents, vn_points

__all__ = ["ShownPart", "apportion", "cents", "shown_parts", "vn_points"]


def apportion(values, target):
    """Integer hundredths, one per value, adding up to `target`, each within 1 of value × 100."""
    if not values:
        return []
    scaled = [round(v * 100, 6) for v in values]
    shown = [math.floor(s) for s in scaled]
    rest = target - sum(shown)
    order = sorted(range(len(values)), key=lambda i: (shown[i] - scaled[i], i))  # largest remainder first
    step = 1 if rest > 0 else -1
    if rest < 0:
        order.reverse()
    for k in range(abs(rest)):
        shown[order[k % len(order)]] += step
    return shown


@dataclass
class ShownPart:
    part: object
    cents: int
    max_cents: int
    line_cents: list

    @property
    def lines(self):
        return list(zip(self.part.lines, self.line_cents))


def shown_parts(score):
    """(total in hundredths, [ShownPart]) for the explanation page."""
    total = cents(score.total)
    part_cents = apportion([p.points for p in score.parts], total)
    return total, [ShownPart(part, c, cents(part.max_points), apportion([line.points for line in part.lines], c))
                   for part, c in zip(score.parts, part_cents)]
