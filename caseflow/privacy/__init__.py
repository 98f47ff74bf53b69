"""Privacy under Québec's Law 25: consent per purpose, access that ends, retention that
anonymises, access export, the confidentiality-incident register and the privacy page."""

from flask_babel import lazy_gettext as _l

TIMELINE = {
    "consent.given": _l("Consentement consigné"),
    "consent.withdrawn": _l("Consentement retiré"),
    "dossier.anonymised": _l("Dossier anonymisé (délai de conservation échu)"),
    "attachment.destroyed": _l("Fichier retiré détruit (délai de conservation)"),
    "access_request.received": _l("Demande d'accès reçue"),
    "access_request.exported": _l("Renseignements transmis à la personne"),
}
LOG_ONLY = {
    "dossier.viewed_by_partner": _l("Renseignements consultés par le partenaire"),
    "privacy.settings": _l("Réglages de confidentialité modifiés"),
    "privacy.retention_rules": _l("Délais de conservation modifiés"),
    "incident.recorded": _l("Incident de confidentialité inscrit au registre"),
    "incident.exported": _l("Registre des incidents exporté"),
}
# The fields of audit events that name people or hold their words; sealed out of the chain.
PERSONAL_FIELDS = ("title", "description", "promoter_name", "contacts", "notes", "name",
                   "request", "body", "note")
WHOLE_FIELDS = ("interventions",)


def init_app(app) -> None:
    """Register the privacy pages, the consent rule of the partner's view, the personal fields
    of audit events, the timeline entries and the `retention` command."""
    from caseflow.audit import personal, timeline
    from caseflow.dossiers.access import share_personal_information
    from caseflow.privacy.cli import retention
    from caseflow.privacy.consents import from_referral, partner_shares
    from caseflow.privacy.models import METHOD_LABELS, PURPOSE_LABELS, STATUS_LABELS
    from caseflow.privacy.views import bp
    from caseflow.referrals.services import on_sent

    app.register_blueprint(bp)
    share_personal_information(app, partner_shares)
    on_sent(app, from_referral)
    personal.declare(app, *PERSONAL_FIELDS, whole=WHOLE_FIELDS)
    timeline.register(app, TIMELINE, "privacy/_timeline.html")
    timeline.register(app, LOG_ONLY)
    app.add_template_global(lambda code: PURPOSE_LABELS.get(code, code), "consent_purpose")
    app.add_template_global(lambda code: METHOD_LABELS.get(code, code), "consent_method")
    app.add_template_global(lambda code: STATUS_LABELS.get(code, code), "consent_status")
    app.cli.add_command(retention)
