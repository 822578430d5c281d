"""The private iCalendar feed (RFC 5545) of a person's due dates, written with the `icalendar` package
(it escapes and folds the text). One all-day event per entry of services.entries; what is still open
carries a reminder on the morning of the day before."""
import re
import unicodedata
from datetime import datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event, vDuration

from .. import wards

PRODID = "-//CCHC Workflow//Lich han//VI"
REFRESH = timedelta(hours=6)
# DTSTART is the due day's 00:00: 15 hours before is 09:00 the day before, office hours.
REMINDER = timedelta(hours=-15)


def uid_domain(ward):
    """The right-hand side of the events' UIDs, from the ward's name: "Phù Liễn" → "phulien"."""
    name = (ward.name if ward else "").replace("đ", "d").replace("Đ", "D")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower()) or "cchc"


def render(user, entries, link):
    """The feed as bytes; `link(entry)` gives the entry's absolute URL."""
    ward = wards.of_user(user)
    domain = uid_domain(ward)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Hạn CCHC{' ' + ward.full_name if ward else ''} – {user.full_name} ({user.unit.code})")
    cal.add("x-wr-caldesc", "Hạn nhiệm vụ và báo cáo cải cách hành chính")
    # Properties icalendar does not know are written as text unless typed: "PT6H", not "6:00:00".
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for entry in entries:
        cal.add_component(_event(entry, f"{entry.uid}@{domain}", link(entry), stamp))
    return cal.to_ical()


def summary(entry):
    flag = "[Đã xong] " if entry.done else "[Quá hạn] " if entry.overdue else ""
    return f"{flag}Hạn: {entry.title} ({entry.unit})"


def description(entry, url):
    lines = [f"{entry.kind_label}: {entry.title}",
             f"Đơn vị: {entry.unit}" + (f" ({entry.role})" if entry.role else ""),
             f"Trạng thái: {entry.state}" + (" – bị trả lại" if entry.returned else "")]
    if entry.overdue:
        lines.append("Quá hạn" + (f": {entry.overdue}/{entry.count}" if entry.is_group else ""))
    lines.append(f"Xem: {url}")
    return "\n".join(lines)


def _event(entry, uid, url, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.day)
    event.add("dtend", entry.day + timedelta(days=1))
    event.add("summary", summary(entry))
    event.add("description", description(entry, url))
    event.add("url", url)
    event.add("categories", [entry.kind_label])
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
    if not entry.done:  # nobody needs reminding of what is finished
        event.add_component(_reminder(entry))
    return event


def _reminder(entry):
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", REMINDER)
    alarm.add("description", f"Ngày mai đến hạn: {entry.title}")
    return alarm
