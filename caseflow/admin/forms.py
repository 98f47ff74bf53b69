"""Forms of the admin slice."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ActivationForm(FlaskForm):
    """A button: activate or deactivate one account."""

    submit = SubmitField()
