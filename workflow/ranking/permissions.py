"""Who sees the ranking and who edits the scoring scheme. Services call these; templates only mirror them."""
from werkzeug.exceptions import Forbidden

from ..access import require_role, require_signed_in
from ..models import Role

VIEWERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN, Role.ADMIN)
# The reviewer role is Phòng VHXH's (ROLE_LABELS), which runs the scoring (DESIGN.md §1).
EDITORS = (Role.REVIEWER, Role.ADMIN)
OWN_UNIT_ONLY = "Bạn chỉ xem được điểm của đơn vị mình."


def may_view_ranking(user):
    return user.has_role(*VIEWERS)


def require_ranking_viewer(user):
    require_role(user, *VIEWERS)


def require_unit_viewer(user, unit):
    """Overseers see every unit's explanation; a unit's own people see their unit's."""
    require_signed_in(user)
    if not (may_view_ranking(user) or user.unit_id == unit.id):
        raise Forbidden(OWN_UNIT_ONLY)


def may_edit_scheme(user):
    return user.has_role(*EDITORS)


def require_scheme_editor(user):
    require_role(user, *EDITORS)
