"""The base of every form: CSRF from Flask-WTF, and text no database would take refused."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


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
