"""What every template can use: role checks, the shared small forms, labels."""

from datetime import date

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from caseflow.auth.access import has_role
from caseflow.database import utcnow
from caseflow.i18n import language
from caseflow.money import format_amount
from caseflow.reports.charts import bars

STATUS_CLASSES = {
    "todo": "text-bg-light border", "draft": "text-bg-info", "review": "text-bg-warning",
    "validated": "text-bg-success", "not_applicable": "text-bg-secondary",
}

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
    app.add_template_filter(_money, "money")
    app.add_template_filter(lambda name: _definition(name), "workflow_definition")
    app.add_template_filter(lambda item: _label(item), "label")


def _definition(name: str):
    from caseflow.dossiers.workflows import definition

    return definition(name)


def _label(item) -> str:
    from caseflow.dossiers.workflows import label

    return label(item, language())


def _money(value) -> str:
    """Show an amount the Québec way: 94 115 $, 65 560,28 $."""
    return format_amount(value) if value is not None else ""


def _file_size(size: int) -> str:
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _local_time(value) -> str:
    """Show a UTC timestamp in the hub's time zone (America/Toronto)."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _day(value) -> str:
    """Show a date the Québec way (AAAA-MM-JJ) or in words on request."""
    return value.isoformat() if value else ""


def _current_locale() -> str:
    """Return the locale code the language form and the html tag use."""
    return "en" if language() == "en" else "fr_CA"


def _globals() -> dict:
    from caseflow.auth.forms import LanguageForm, LogoutForm
    from caseflow.documents.forms import STATUS_LABELS
    from caseflow.dossiers.forms import INTERVENTION_KIND_LABELS
    from caseflow.dossiers.timeline import action_label, field_label
    from caseflow.dossiers.workflows import definition, engine
    from caseflow.financing.forms import DECISION_LABELS
    from caseflow.referrals.labels import ACTION_LABELS as REFERRAL_ACTIONS
    from caseflow.referrals.labels import RESULT_LABELS
    from caseflow.referrals.labels import STATE_CLASSES as REFERRAL_CLASSES
    from caseflow.referrals.labels import STATE_LABELS as REFERRAL_STATES

    return {
        "label": _label,
        "action_label": action_label,
        "field_label": field_label,
        "has_role": has_role,
        "chart": lambda rows, title: bars([(row.label, row.value) for row in rows], title),
        "referral_state": lambda state: REFERRAL_STATES.get(state, state),
        "referral_state_class": lambda state: REFERRAL_CLASSES.get(state, "text-bg-light"),
        "referral_result": lambda result: RESULT_LABELS.get(result, result or ""),
        "referral_action": lambda action: REFERRAL_ACTIONS.get(action, action),
        "days_since": lambda moment: (utcnow() - moment).days if moment else 0,
        "file_size": _file_size,
        "document_status": lambda status: STATUS_LABELS.get(status, status),
        "document_status_class": lambda status: STATUS_CLASSES.get(status, "text-bg-light"),
        "decision_label": lambda decision: DECISION_LABELS.get(decision, decision),
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
