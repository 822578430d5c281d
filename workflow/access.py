"""Who may do what, in one place: `may_*` answers a question, `require_*` raises 403 (or 409 where the
state, not the person, is the obstacle). Services call these; templates and the menu get flags made
from them (`menu()`, through templating's context processor), never role names. Who may take a step
of the workflow itself is the transition table's (items/states.py), read through kinds.py.
"""
from dataclasses import dataclass

from flask import abort
from werkzeug.exceptions import Conflict, Forbidden

from . import kinds
from .extensions import db
from .formats import local_date
from .lending import acts_as as _acts_as
from .models import Role, State
from .models.org import utcnow

FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này."
READ_ONLY = "Hồ sơ đã gửi nên chỉ đọc; chỉ thao tác trong quy trình mới thay đổi được."
OVERSEERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN, Role.SIGNER, Role.ADMIN)  # see every unit's items and scores
SCHEME_EDITORS = (Role.REVIEWER, Role.ADMIN)  # the reviewers run the scoring (DESIGN.md §1)
QUEUES = {"review": Role.REVIEWER, "accept": Role.ACCEPTOR, "sign": Role.SIGNER}
WARD_DRAFTERS = (Role.MEMBER, Role.REVIEWER)  # owner roles of the ward's own items: its officers and reviewers
OWN_UNIT_ONLY = "Bạn chỉ xem được điểm của đơn vị mình."
NOT_APPRAISER = "Chỉ người có vai trò thẩm định chấm điểm thẩm định."
NOT_SUBMITTED = "Chỉ chấm điểm thẩm định khi bản tự đánh giá đã gửi và chưa thẩm định xong."
OWN_ASSESSMENT = "Bạn đã gửi bản tự đánh giá này; việc thẩm định phải do người khác thực hiện."


def signed_in(user):
    return bool(getattr(user, "is_authenticated", False))


def require_signed_in(user):
    if not signed_in(user):
        raise Forbidden(FORBIDDEN_MESSAGE)


def require_role(user, *roles):
    """Raise 403 unless the signed-in user holds one of the roles."""
    if not signed_in(user) or not user.has_role(*roles):
        raise Forbidden(FORBIDDEN_MESSAGE)


def may_admin(user):
    return signed_in(user) and user.has_role(Role.ADMIN)


def require_admin(user):
    require_role(user, Role.ADMIN)


def get_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


# Items of the workflow

def is_owner(user, item):
    """A person of the item's unit holding one of its kind's owner roles: edits and submits it."""
    return user.unit_id == item.unit_id and user.has_role(*kinds.of(item).owner_roles)


def may_see(user, item):
    if user.has_role(*OVERSEERS) or user.unit_id == item.unit_id:
        return True
    sees = kinds.of(item).sees
    return bool(sees and sees(user, item))


def may_edit(user, item):
    return item.is_draft and is_owner(user, item)


def require_editable(user, item):
    """403 for anyone but the owning unit; 409 once the item has left draft."""
    if not is_owner(user, item):
        raise Forbidden("Chỉ đơn vị chủ trì được sửa hồ sơ này.")
    if not item.is_draft:
        raise Conflict(READ_ONLY)


def may_contribute(user, result):
    """A cooperating unit's officer adds notes to a task result."""
    return user.has_role(Role.MEMBER) and user.unit in result.task.cooperating_units


def may_work(user):
    """The unit's own work page: its people who fill and send items."""
    return signed_in(user) and user.has_role(Role.MEMBER)


def require_worker(user):
    require_role(user, Role.MEMBER)


def queue_role(stage):
    """The role whose queue `stage` is ("review", "accept"), or 404."""
    if stage not in QUEUES:
        abort(404)
    return QUEUES[stage]


def acts_as(user, role, day=None):
    """Holds the role, or has it lent today by a delegation (for some kind of item)."""
    return _acts_as(user, role, day or local_date(utcnow()))


def may_open_queue(user, stage):
    return signed_in(user) and acts_as(user, QUEUES[stage])


def require_queue(user, stage):
    queue_role(stage)  # 404 for an unknown queue
    if not may_open_queue(user, stage):
        raise Forbidden(FORBIDDEN_MESSAGE)


# The ward's own documents: drafted by the consolidating unit, followed by overseers

def may_follow_up(user):
    """The state of every unit's items is for those who consolidate, review, accept or lead."""
    return signed_in(user) and (user.has_role(*OVERSEERS) or user.unit.consolidates)


def require_follow_up(user):
    if not may_follow_up(user):
        raise Forbidden(f"Chỉ {consolidating_name(user)}, người thẩm định, tiếp nhận và lãnh đạo "
                        "xem tình hình tổng hợp.")


def consolidating_name(user):
    """The name of the unit that consolidates the person's ward ("Phòng Văn hóa - Xã hội"), for messages."""
    ward = user.unit.ward if signed_in(user) else None
    unit = ward.consolidating_unit if ward is not None else None
    return unit.name if unit is not None else "đơn vị tổng hợp"


def may_draft(user, kind_key):
    """Drafting the ward's own items of a kind (the consolidated report, the ranking sheet): the
    consolidating unit's people holding that kind's owner roles (WARD_DRAFTERS)."""
    return signed_in(user) and user.unit.consolidates and user.has_role(*kinds.get(kind_key).owner_roles)


def require_drafter(user, kind_key, what):
    """403 "Chỉ <consolidating unit> <what>." unless the person may draft that kind."""
    if not may_draft(user, kind_key):
        raise Forbidden(f"Chỉ {consolidating_name(user)} {what}.")


# Emulation: the ranking, the scoring scheme, the appraisal of self-assessments

def may_view_ranking(user):
    return signed_in(user) and user.has_role(*OVERSEERS)


def require_ranking_viewer(user):
    require_role(user, *OVERSEERS)


def may_see_own_score(user):
    """A unit's people see their own unit's explanation page."""
    return may_work(user)


def require_unit_viewer(user, unit):
    """Overseers see every unit's explanation; a unit's own people see their unit's."""
    require_signed_in(user)
    if not (may_view_ranking(user) or user.unit_id == unit.id):
        raise Forbidden(OWN_UNIT_ONLY)


def may_edit_scheme(user):
    return signed_in(user) and user.has_role(*SCHEME_EDITORS)


def require_scheme_editor(user):
    require_role(user, *SCHEME_EDITORS)


# The refusals of require_appraiser in a self-assessment's terms; a kind appraised the same way (a
# nomination) passes its own.
APPRAISAL_REFUSALS = (NOT_APPRAISER, OWN_ASSESSMENT, NOT_SUBMITTED)


def require_appraiser(user, item, refusals=APPRAISAL_REFUSALS):
    """The reviewer appraises a sent item, never one they sent themselves. `refusals`: the messages for
    (not a reviewer, their own, not sent or already appraised)."""
    not_appraiser, own, not_submitted = refusals
    if not user.has_role(Role.REVIEWER):
        raise Forbidden(not_appraiser)
    if item.submitted_by_id == user.id:
        raise Forbidden(own)
    if item.state != State.SUBMITTED:
        raise Conflict(not_submitted)


def may_appraise(user, item):
    try:
        require_appraiser(user, item)
    except (Forbidden, Conflict):
        return False
    return True


# The outgoing register: the leaders and the offices that issue and keep documents

def may_view_register(user):
    return signed_in(user) and user.has_role(*OVERSEERS)


def require_register_viewer(user):
    require_role(user, *OVERSEERS)


def may_keep_register(user):
    """The clerical office keeps the register (a number taken by hand): the VP office and the administrator."""
    return signed_in(user) and user.has_role(Role.ACCEPTOR, Role.ADMIN)


def require_register_keeper(user):
    if not may_keep_register(user):
        raise Forbidden("Chỉ văn thư (Văn phòng HĐND và UBND) hoặc quản trị hệ thống được lấy số bằng tay.")


# The plan's catalogue (tasks, units, people, periods) is the administrator's

def may_edit_catalogue(user):
    return may_admin(user)


@dataclass(frozen=True)
class Menu:
    """What the signed-in person may open, as flags for the templates."""
    unit_work: bool
    cooperation: bool  # "Việc phối hợp": the unit's people, like its own work (items/cooperation.py)
    review_queue: bool
    accept_queue: bool
    sign_queue: bool
    register: bool        # the outgoing register (sổ văn bản đi)
    delegations: bool     # the people who lend or may receive a step (leaders, offices, admin)
    ranking: bool
    own_score: bool
    follow_up: bool
    catalogue: bool
    admin: bool
    reminders: bool = False  # the reminder policy (reminders/policy.py): its editors are the scheme's


def menu(user):
    return Menu(unit_work=may_work(user), cooperation=may_work(user), review_queue=may_open_queue(user, "review"),
                accept_queue=may_open_queue(user, "accept"), sign_queue=may_open_queue(user, "sign"),
                register=may_view_register(user), delegations=may_view_register(user), ranking=may_view_ranking(user),
                own_score=may_see_own_score(user), follow_up=may_follow_up(user),
                catalogue=may_edit_catalogue(user), admin=may_admin(user),
                reminders=may_edit_scheme(user))
