"""Forms of the notifications slice: buttons that only carry the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ButtonForm(FlaskForm):
    """A button: mark read, or retry an e-mail."""

    submit = SubmitField()
