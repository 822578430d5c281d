"""Vietnamese formats of dates, times, scores and file sizes: pure functions, used by the pages (as
template filters, templating.py), the PDFs and the exports alike."""
import math
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

MB = 1024 * 1024
WARD_TIMEZONE = "Asia/Ho_Chi_Minh"


def vn_date(value):
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def vn_datetime(value, tz=WARD_TIMEZONE):
    """Stored times are naive UTC; show them in the ward's time zone."""
    if not isinstance(value, datetime):
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz)).strftime("%H:%M %d/%m/%Y")


def file_size(size):
    """1 KB at least, 1 decimal in MB, Vietnamese decimal comma."""
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def cents(value):
    """Half-up to 0.01, as an integer number of hundredths (the float noise of 0.1+0.2 removed first)."""
    return math.floor(round(value * 100, 6) + 0.5)


def vn_points(hundredths):
    """Hundredths as Vietnamese text: 1234 → "12,34", -200 → "-2,00"."""
    sign = "-" if hundredths < 0 else ""
    whole, frac = divmod(abs(int(hundredths)), 100)
    return f"{sign}{whole},{frac:02d}"


def points(value):
    """A float score as shown: rounded half-up to 0.01, decimal comma."""
    return vn_points(cents(value))
