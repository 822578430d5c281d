"""Vietnamese formats of dates, times, numbers, scores, file sizes and texts, and the reading of
numbers and dates people type: pure functions, used by the pages (as template filters,
templating.py), the forms, the PDFs and the exports alike."""
import functools
import math
import re
import unicodedata
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

MB = 1024 * 1024
WARD_TIMEZONE = "Asia/Ho_Chi_Minh"


def vn_date(value):
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def _decree_month(day):
    """Decree 30: months 1 and 2 keep a leading zero, the others none."""
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def decree_date(day):
    """"ngày 04 tháng 9 năm 2025": the day with a leading 0 below 10, the month only for 1 and 2."""
    return f"ngày {day.day:02d} tháng {_decree_month(day)} năm {day.year}"


def decree_short_date(day):
    """"04/9/2025", as a document is cited ("Báo cáo số 245/BC-UBND ngày 04/9/2025")."""
    return f"{day.day:02d}/{_decree_month(day)}/{day.year}"


def local_date(utc_naive, tz=WARD_TIMEZONE):
    """The ward's calendar day of a stored (naive UTC) time."""
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz)).date()


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


def vn_number(value, digits=2):
    """1200 → "1.200", 95.5 → "95,5", 13.333 → "13,33": thousands dot, decimal comma, at most
    `digits` decimals and no trailing zeros. The one number format of pages, PDFs and texts."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
PLAIN = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_vn_number(text):
    """A number as people type it here, or ValueError: "95,5" and "95.5" are 95.5; "1.200" and
    "1.200,5" use the dot for thousands; spaces are ignored. Never a silent guess: "1,200.5" (two
    separators the English way round) and "12.34.5" are refused."""
    raw = "".join((text or "").split())
    if not raw:
        raise ValueError("empty")
    if "," in raw and "." in raw:
        whole, _, frac = raw.rpartition(",")
        if not THOUSANDS.match(whole) or not frac.isdigit():
            raise ValueError(text)
        return float(whole.replace(".", "") + "." + frac)
    if THOUSANDS.match(raw):
        return float(raw.replace(".", ""))
    if not PLAIN.match(raw):
        raise ValueError(text)
    return float(raw.replace(",", "."))


def paragraphs(text, empty=""):
    """Escaped text with its paragraphs kept: blank lines part paragraphs, single newlines break lines.
    With no text, `empty` as the one paragraph (nothing when it is empty too)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]
    if not blocks:
        return Markup(f"<p class=\"prose\">{escape(empty)}</p>") if empty else Markup("")
    return Markup("".join(f"<p class=\"prose\">{Markup('<br>').join(escape(line) for line in block.split(chr(10)))}</p>"
                          for block in blocks))


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (then
# f, j, w, z, which the Vietnamese alphabet lacks but codes such as "6.f" use). Tones come after
# the letter: "a" < "á". Byte order would put "đ" after "z".
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


@functools.lru_cache(maxsize=1024)  # few distinct characters; lists of 10,000 codes are sorted per request
def _letter(ch):
    """(base letter with its vowel mark, tone) of one character: "ộ" → ("ô", nặng)."""
    parts = unicodedata.normalize("NFD", ch)
    tone = next((i + 1 for i, t in enumerate(_TONES) if t in parts), 0)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)), tone


def vn_sort_key(text):
    """A key that sorts Vietnamese words and task codes ("6.d" < "6.đ" < "6.e", "10" after "9")."""
    key = []
    for part in re.findall(r"\d+|\D", (text or "").lower()):
        if part.isdigit():
            key.append((0, int(part), 0))
            continue
        base, tone = _letter(part)
        key.append((1, _RANK.get(base, len(_RANK) + ord(base[0])), tone))
    return key
