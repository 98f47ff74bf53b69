"""Forms of the admin slice."""

from caseflow.forms import Form
from wtforms import SubmitField


class ActivationForm(Form):
    """A button: activate or deactivate one account."""

    submit = SubmitField()
