"""What every template can use: role checks, the shared small forms, labels."""

from datetime import date

from flask_babel import format_datetime, get_locale
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
    app.add_template_filter(_local_time, "local_time")
    app.add_template_filter(_day, "day")


def _local_time(value) -> str:
    """Show a UTC timestamp in the hub's time zone (America/Toronto)."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _day(value) -> str:
    """Show a date the Québec way (AAAA-MM-JJ) or in words on request."""
    return value.isoformat() if value else ""


def _current_locale() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "fr_CA"


def _globals() -> dict:
    from caseflow.auth.forms import LanguageForm, LogoutForm
    from caseflow.dossiers.forms import INTERVENTION_KIND_LABELS
    from caseflow.dossiers.timeline import action_label, field_label
    from caseflow.dossiers.workflows import definition, engine, label

    locale = _current_locale()
    return {
        "label": lambda item: label(item, "en" if locale == "en" else "fr"),
        "action_label": action_label,
        "field_label": field_label,
        "has_role": has_role,
        "intervention_kind": lambda kind: INTERVENTION_KIND_LABELS.get(kind, kind),
        "today_date": date.today,
        "workflow_definition": definition,
        "workflow_definitions": lambda: sorted(engine().definitions.items()),
        "current_locale": _current_locale,
        "role_label": lambda role: ROLE_LABELS.get(role, role),
        "organisation_kind_label": lambda kind: ORGANISATION_KIND_LABELS.get(kind, kind),
        "logout_form": LogoutForm(formdata=None),
        "language_form": LanguageForm(formdata=None, locale=_current_locale()),
    }
