""""Báo cáo nhanh": the dashboard of a period on A4 for the chairman's weekly meeting, in the layout of the
ward's documents (header, motto, place and date). A working paper, not an issued document: no number
and no signature, and it says so under its title."""
from ..access import require_follow_up
from ..documents import pdf
from ..documents.builders import COMMITTEE, place_date, slug
from ..formats import vn_datetime
from ..items.states import today
from ..models.org import utcnow
from ..wards import of_user
from . import services


def render(user, plan, args):
    """(PDF bytes, file name) of the dashboard of the period asked for; 403 to those who do not follow up."""
    require_follow_up(user)
    dashboard = services.dashboard(user, plan, args)
    if dashboard is None:
        return None
    ward = of_user(user)
    day = today()
    data = pdf.render("pdf/quick_report.html", {
        "issuer_top": COMMITTEE, "issuer": ward.full_name.upper(), "number": None,
        "place_date": place_date(ward.place, day, day.year), "is_draft": False,
        "dashboard": dashboard, "as_of": vn_datetime(utcnow())})
    return data, f"bao-cao-nhanh-{slug(dashboard.period.name)}.pdf"
