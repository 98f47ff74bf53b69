"""What every template can use: role checks, the shared small forms, labels."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from caseflow.auth.access import has_role

ROLE_LABELS = {
    "advisor": _l("Conseiller ou conseillère"),
    "partner": _l("Partenaire"),
    "coordinator": _l("Coordination"),
}

ORGANISATION_KIND_LABELS = {
    "mrc": _l("MRC"),
    "mandataire": _l("Organisme mandataire"),
    "partenaire": _l("Partenaire"),
}


def init_app(app) -> None:
    app.context_processor(_globals)


def _current_locale() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "fr_CA"


def _globals() -> dict:
    from caseflow.auth.forms import LanguageForm, LogoutForm

    return {
        "has_role": has_role,
        "current_locale": _current_locale,
        "role_label": lambda role: ROLE_LABELS.get(role, role),
        "organisation_kind_label": lambda kind: ORGANISATION_KIND_LABELS.get(kind, kind),
        "logout_form": LogoutForm(formdata=None),
        "language_form": LanguageForm(formdata=None, locale=_current_locale()),
    }
