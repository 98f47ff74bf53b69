"""Forms of the notifications slice: buttons that only carry the CSRF token."""

from caseflow.forms import Form
from wtforms import SubmitField


class ButtonForm(Form):
    """A button: mark read, or retry an e-mail."""

    submit = SubmitField()
