"""The form of the person's mail choices."""
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm, choices
from .preferences import CHOICES


class ReceiveForm(BaseForm):
    # No box ticked is a choice too (receive none of them), so nothing is required.
    receive = SelectMultipleField("Loại thư nhận qua email", choices=choices(CHOICES), validate_choice=True,
                                  widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
