"""Rounding for display only, so that what people see adds up.

Rounding each figure on its own would show, e.g., three tasks at 13,33 and a part of 40,00.
Instead the total is rounded to 0.01, the parts are apportioned to that total, and each part's lines
to the part, by the largest-remainder method: every shown figure is its exact value rounded down or
up by at most 0.01, and the shown lines add up to the shown part, the shown parts to the shown total.
A part is never shown above the maximum shown beside it (maxima.py, which also has shown_parts): rounding
up goes to a part that has room below its shown maximum first.
"""
import math

from ..formats import cents, vn_points

__all__ = ["apportion", "cents", "vn_points"]


def apportion(values, target, caps=None):
    """Integer hundredths, one per value, adding up to `target`, each within 1 of value × 100.
    `caps` (hundredths, None for no cap): a value is rounded up past its cap only if no other value
    can take the hundredth (which cannot happen while each value is within its exact maximum)."""
    if not values:
        return []
    scaled = [round(v * 100, 6) for v in values]
    shown = [math.floor(s) for s in scaled]
    rest = target - sum(shown)
    order = sorted(range(len(values)), key=lambda i: (shown[i] - scaled[i], i))  # largest remainder first
    step = 1 if rest > 0 else -1
    if rest < 0:
        order.reverse()
    elif caps is not None:  # those with room under their cap first, keeping the remainder order
        order.sort(key=lambda i: caps[i] is not None and shown[i] + 1 > caps[i])
    for k in range(abs(rest)):
        shown[order[k % len(order)]] += step
    return shown
