"""The base of every form: CSRF from Flask-WTF, and text no database would take refused."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice

from caseflow.money import AmountError, format_amount, parse_amount


class Form(FlaskForm):
    """A form that refuses control characters a database cannot store (NUL)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(value, str) and "\x00" in value for value in values):
                field.errors = [*field.errors, str(_l("Ce champ contient un caractère invalide."))]
                valid = False
        return valid


def choices(pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class AmountField(StringField):
    """An amount in dollars, typed the Québec way (12 500,50 $) or plainly (12500.50)."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_amount(valuelist[0])
            except AmountError:
                self.data = None
                raise ValueError(str(_l(
                    "Montant invalide : entrez un montant positif, par exemple 12 500,50 $."
                ))) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_amount(self.data).replace("\u00a0$", "") if self.data is not None else ""


class VersionField(IntegerField):
    """The version of the object the user saw; a stale one gets a conflict."""

    widget = widgets.HiddenInput()


class CheckboxesField(SelectMultipleField):
    """Several choices, drawn as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
