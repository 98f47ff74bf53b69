"""Financing: what was asked of each fund for a dossier, and what was decided."""

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    """Register the financing pages, the timeline entries and the decisions' labels."""
    from caseflow.audit import timeline
    from caseflow.financing.models import DECISION_LABELS
    from caseflow.financing.views import bp

    app.register_blueprint(bp)
    app.add_template_global(lambda decision: DECISION_LABELS.get(decision, decision),
                            "decision_label")
    timeline.register(app, {"financing.added": _l("Financement ajouté"),
                            "financing.edited": _l("Financement modifié"),
                            "financing.removed": _l("Financement retiré")},
                      "financing/_timeline.html")
    timeline.register(app, {"financing.imported": _l("Financement importé")})
