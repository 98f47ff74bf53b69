"""The coordinator's administration: people's accounts and the reference lists."""

from flask_babel import lazy_gettext as _l

TIMELINE = {
    "reference.added": _l("Élément de liste ajouté"),
    "reference.renamed": _l("Élément de liste renommé"),
    "reference.moved": _l("Élément de liste déplacé"),
    "reference.activated": _l("Élément de liste réactivé"),
    "reference.deactivated": _l("Élément de liste désactivé"),
    "reference.deleted": _l("Élément de liste supprimé"),
    "organisation.added": _l("Organisation ajoutée"),
    "organisation.updated": _l("Organisation modifiée"),
    "organisation.activated": _l("Organisation réactivée"),
    "organisation.deactivated": _l("Organisation désactivée"),
}


def init_app(app) -> None:
    """Register the accounts and reference lists pages and their audit actions."""
    from caseflow.admin.views import bp
    from caseflow.audit import timeline

    app.register_blueprint(bp)
    timeline.register(app, TIMELINE, "dossiers/_timeline_changes.html")
