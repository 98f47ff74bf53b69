"""The base of every form: CSRF from Flask-WTF, and text no database would take refused."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FormField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice

from caseflow.money import AmountError, format_amount, parse_amount

# Bidirectional embedding, override, isolate and mark characters: invisible, they can make
# a title or a name read backwards (U+202E) in every list that shows it.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Control characters no text field needs (tab and line breaks are text).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NUL = re.compile("\x00")


def clean_text(value):
    """Return text without bidirectional controls; anything else unchanged."""
    return BIDI_CONTROLS.sub("", value) if isinstance(value, str) else value


class Form(FlaskForm):
    """A form that strips bidirectional controls and refuses control characters (NUL)."""

    def validate(self, extra_validators=None) -> bool:
        for field in _leaves(self):
            if not isinstance(field, PasswordField) and isinstance(field.data, str | list):
                field.data = ([clean_text(v) for v in field.data]
                              if isinstance(field.data, list) else clean_text(field.data))
        valid = super().validate(extra_validators)
        for field in _leaves(self):
            values = field.data if isinstance(field.data, list) else [field.data]
            # A password may hold any character but NUL, which no database column takes.
            pattern = NUL if isinstance(field, PasswordField) else CONTROL_CHARACTERS
            message = str(_l("Ce champ contient un caractère invalide."))
            if any(isinstance(value, str) and pattern.search(value) for value in values):
                if message not in field.errors:  # a sub-form already said it
                    field.errors = [*field.errors, message]
                valid = False
        return valid


def _leaves(form):
    """Yield the fields that hold values, inside lists of sub-forms too."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from (_leaves(entry.form) if isinstance(entry, FormField) else [entry])
        elif isinstance(field, FormField):
            yield from _leaves(field.form)
        else:
            yield field


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
