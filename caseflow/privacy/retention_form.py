"""The retention terms form: one field per closing outcome the workflows know."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from caseflow.dossiers.workflows import engine, label
from caseflow.i18n import language
from caseflow.privacy.forms import RetentionRulesForm


def outcomes() -> list[tuple[str, str]]:
    """Return every closing outcome of the loaded workflows, once each, with its label."""
    seen: dict[str, str] = {}
    for definition in engine().definitions.values():
        for outcome in definition.outcomes:
            seen.setdefault(outcome.code, label(outcome, language()))
    return list(seen.items())


def retention_form(current: dict[str, int], **kwargs) -> RetentionRulesForm:
    """Build the form with a years field per outcome, filled with the current terms."""

    class Form(RetentionRulesForm):
        pass

    data = {}
    for index, (code, name) in enumerate(outcomes()):
        setattr(Form, f"outcome_{index}", IntegerField(
            name, validators=[Optional(), NumberRange(0, 100, _l(
                "Un délai de conservation va de 0 à 100 ans."))]))
        data[f"outcome_{index}"] = current.get(code)
    return Form(data=data, **kwargs)
