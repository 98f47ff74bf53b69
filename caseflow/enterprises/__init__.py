"""The directory of the region's social-economy enterprises, linked to their dossiers."""

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    """Register the directory's pages and audit labels."""
    from caseflow.audit import timeline
    from caseflow.enterprises.figures import enterprise_composition
    from caseflow.enterprises.views import bp

    app.register_blueprint(bp)
    app.add_template_global(enterprise_composition, "enterprise_composition")
    timeline.register(app, {"enterprise.added": _l("Entreprise ajoutée au répertoire"),
                            "enterprise.edited": _l("Fiche d'entreprise modifiée"),
                            "enterprise.dossier_linked": _l("Dossier lié à une entreprise"),
                            "enterprise.dossier_unlinked": _l("Dossier retiré d'une entreprise")})
