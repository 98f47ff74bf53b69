"""Referrals: the hub sends a dossier to an MRC or partner, who answers; partners see only
what was referred to their organisation."""

from flask_babel import lazy_gettext as _l

TIMELINE = {
    "referral.sent": _l("Dossier référé"),
    "referral.acknowledged": _l("Référencement reçu par le partenaire"),
    "referral.accepted": _l("Référencement accepté par le partenaire"),
    "referral.returned": _l("Référencement retourné par le partenaire"),
    "referral.completed": _l("Référencement terminé par le partenaire"),
    "referral.withdrawn": _l("Référencement retiré par le Pôle"),
    "referral.imported": _l("Référencement importé"),
}


def init_app(app) -> None:
    """Register the hub's and the partners' referral pages, the rule that lets a partner see
    a referred dossier, the timeline entries and the referral labels templates use."""
    from caseflow.audit import timeline
    from caseflow.dossiers.access import share_with_partners
    from caseflow.dossiers.queries import filter_by_referrals
    from caseflow.referrals.labels import ACTION_LABELS, RESULT_LABELS, STATE_CLASSES, STATE_LABELS
    from caseflow.referrals.portal import bp as partners_bp
    from caseflow.referrals.queries import caseload_condition, partner_may_see
    from caseflow.referrals.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(partners_bp)
    share_with_partners(app, partner_may_see)
    filter_by_referrals(app, caseload_condition)
    app.add_template_global(lambda state: STATE_LABELS.get(state, state), "referral_state")
    app.add_template_global(lambda state: STATE_CLASSES.get(state, "text-bg-light"),
                            "referral_state_class")
    app.add_template_global(lambda result: RESULT_LABELS.get(result, result or ""),
                            "referral_result")
    app.add_template_global(lambda action: ACTION_LABELS.get(action, action), "referral_action")
    timeline.register(app, TIMELINE, "referrals/_timeline.html")
    timeline.register(app, {"referral.note": _l("Note sur un référencement")})
