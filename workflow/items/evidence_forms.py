"""Forms of the evidence section with captions: the upload form (a file and what it proves) and a file's
caption on its own, edited while the item is a draft. The caption's rules are evidence.py's."""
from flask import current_app
from wtforms import StringField
from wtforms.validators import Length

from ..forms import BaseForm
from . import evidence
from .forms import EvidenceForm

CAPTION_HINT = "Không bắt buộc; ví dụ: Biên bản kiểm tra tháng 8. Người xem hồ sơ thấy ngay cạnh tên tệp."


def caption_field(**kwargs):
    return StringField("Chú thích", filters=[evidence.clean_caption], validators=[
        Length(max=evidence.CAPTION_MAX, message=evidence.CAPTION_TOO_LONG)], **kwargs)


class EvidenceUploadForm(EvidenceForm):
    caption = caption_field(id="evidence-caption", description=CAPTION_HINT)


class CaptionForm(BaseForm):
    caption = caption_field()


def upload_form(**kwargs):
    form = EvidenceUploadForm(**kwargs)
    form.file.description = f"{evidence.ACCEPTED}; tối đa {current_app.config['UPLOAD_MAX_MB']} MB mỗi tệp."
    return form
