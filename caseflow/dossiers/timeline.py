"""How the dossier's own audit events read on its timeline, and the names of its fields."""

from flask_babel import lazy_gettext as _l

from caseflow.audit import timeline

CHANGES = "dossiers/_timeline_changes.html"
TRANSITION = "dossiers/_timeline_transition.html"
INTERVENTION = "dossiers/_timeline_intervention.html"
MIGRATION = "dossiers/_timeline_migration.html"

FIELD_LABELS = {
    "title": _l("Titre"),
    "description": _l("Description"),
    "promoter_name": _l("Groupe promoteur"),
    "promoter_gender": _l("Représenté par"),
    "women_count": _l("Femmes"),
    "men_count": _l("Hommes"),
    "territory": _l("Territoire"),
    "sector": _l("Secteur"),
    "stage": _l("Phase"),
    "legal_form": _l("Forme juridique"),
    "origin": _l("Provenance"),
    "advisor": _l("Conseiller ou conseillère"),
    "opened_on": _l("Ouvert le"),
    "contacts": _l("Personnes-ressources"),
    "objectives": _l("Objectifs du protocole"),
    "state": _l("Étape"),
    "next_follow_up": _l("Prochain suivi"),
    "follow_up_note": _l("Ce qui est attendu"),
    "outcome": _l("Bilan"),
    "comment": _l("Commentaire"),
    "referral": _l("Référencement"),
    "workflow": _l("Parcours"),
    "occurred_on": _l("Date"),
    "kind": _l("Type"),
    "minutes": _l("Minutes"),
    "notes": _l("Notes"),
    "subjects": _l("Sujets"),
}


def init_app(app) -> None:
    """Register the dossier's actions on the timeline."""
    timeline.register(app, {"dossier.created": _l("Dossier ouvert"),
                            "dossier.imported": _l("Dossier importé"),
                            "intervention.imported": _l("Interventions importées")})
    timeline.register(app, {"dossier.updated": _l("Dossier modifié"),
                            "dossier.assigned": _l("Dossier confié"),
                            "dossier.reassigned": _l("Dossier réassigné"),
                            "dossier.follow_up_set": _l("Prochain suivi planifié"),
                            "intervention.edited": _l("Intervention corrigée")}, CHANGES)
    timeline.register(app, {"dossier.transition": _l("Changement d'étape")}, TRANSITION,
                      milestone=True)
    timeline.register(app, {"dossier.migrated": _l("Dossier passé à une nouvelle version du "
                                                  "parcours")}, MIGRATION, milestone=True)
    timeline.register(app, {"intervention.added": _l("Intervention consignée"),
                            "intervention.removed": _l("Intervention retirée")}, INTERVENTION)
    app.add_template_global(field_label, "field_label")


def field_label(name: str) -> str:
    """Return a field's name as the interface shows it."""
    return str(FIELD_LABELS.get(name, name))
