"""Forms of the admin slice."""

from wtforms import SubmitField

from caseflow.forms import Form


class ActivationForm(Form):
    """A button: activate or deactivate one account."""

    submit = SubmitField()
