"""Error answers in Vietnamese. A whole page for a page request; for an htmx request that swaps part
of a page, a small message fragment aimed at the page's message area (never a page inside a panel).
A 500 rolls back so no half-done change survives.

A value the database refuses (sqlalchemy DataError: NUL in text, a number out of its column's range,
text longer than its column) is input the forms should have refused beside its field (forms.BaseForm,
validation.py): it is rolled back and answered 400, not 500, and logged as an error naming the
database's reason, so the form that let it through gets fixed."""
from flask import current_app, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import default_exceptions

from .extensions import db
from .security import unauthorized
from .templating import wants_fragment

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền truy cập trang này.",
    404: "Không tìm thấy trang hoặc dữ liệu yêu cầu.",
    405: "Thao tác không được hỗ trợ.",
    409: "Dữ liệu đã bị người khác thay đổi. Vui lòng tải lại trang.",
    413: "Tệp tải lên quá lớn.",
    429: "Bạn thao tác quá nhiều lần. Vui lòng thử lại sau.",
    500: "Hệ thống gặp lỗi. Thao tác chưa được ghi nhận, vui lòng thử lại.",
}
REFUSED_BY_DATABASE = ("Dữ liệu vừa nhập có giá trị không lưu được (quá dài, quá lớn hoặc có ký tự không hợp lệ). "
                       "Thao tác chưa được ghi nhận; vui lòng kiểm tra lại rồi gửi lại.")
REFUSED_LOG = "input refused by the database (a form let it through): %s %s: %s"
MESSAGE_AREA = "#messages"  # in base.html


def render_error(status, message=None):
    message = message or MESSAGES.get(status, MESSAGES[400])
    if wants_fragment():
        headers = {"HX-Retarget": MESSAGE_AREA, "HX-Reswap": "innerHTML"}
        return render_template("errors/_message.html", status=status, message=message), status, headers
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        if not current_user.is_authenticated and request.blueprint != "auth":
            return unauthorized()  # the session ended (its token with it): sign in, then back to the page
        return render_error(400, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                                 "Vui lòng tải lại trang rồi thử lại.")

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(_e):  # the sign-in page answers its own (auth/routes.py)
        return render_error(429)

    @app.errorhandler(DataError)
    def refused_by_database(err):
        db.session.rollback()
        current_app.logger.error(REFUSED_LOG, request.method, request.path, str(getattr(err, "orig", err))[:300])
        return render_error(400, REFUSED_BY_DATABASE)

    @app.errorhandler(500)
    def internal(_e):
        db.session.rollback()
        return render_error(500)

    for status in (400, 403, 404, 405, 409, 413):
        app.register_error_handler(status, _handler(status))


def _handler(status):
    def handle(e):
        description = getattr(e, "description", None)
        custom = description if description != default_exceptions[status].description else None
        return render_error(status, custom)
    return handle
