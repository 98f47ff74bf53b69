"""Forms of the notifications slice: buttons that only carry the CSRF token."""

from wtforms import SubmitField

from caseflow.forms import Form


class ButtonForm(Form):
    """A button: mark read, or retry an e-mail."""

    submit = SubmitField()
