"""How the audit events of a dossier read on its timeline."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "dossier.created": _l("Dossier ouvert"),
    "dossier.updated": _l("Dossier modifié"),
    "dossier.assigned": _l("Dossier confié"),
    "dossier.transition": _l("Changement d'étape"),
    "intervention.added": _l("Intervention consignée"),
    "intervention.edited": _l("Intervention corrigée"),
    "intervention.removed": _l("Intervention retirée"),
    "document.updated": _l("Document mis à jour"),
    "attachment.added": _l("Fichier déposé"),
    "attachment.removed": _l("Fichier retiré"),
    "financing.added": _l("Financement ajouté"),
    "financing.edited": _l("Financement modifié"),
    "financing.removed": _l("Financement retiré"),
    "document_kind.created": _l("Type de document créé"),
    "document_kind.updated": _l("Type de document modifié"),
    "referral.sent": _l("Dossier référé"),
    "referral.acknowledged": _l("Référencement reçu par le partenaire"),
    "referral.accepted": _l("Référencement accepté par le partenaire"),
    "referral.returned": _l("Référencement retourné par le partenaire"),
    "referral.completed": _l("Référencement terminé par le partenaire"),
    "referral.withdrawn": _l("Référencement retiré par le Pôle"),
    "referral.note": _l("Note sur un référencement"),
    "report.published": _l("Bilan publié"),
    "dossier.imported": _l("Dossier importé"),
    "intervention.imported": _l("Interventions importées"),
    "referral.imported": _l("Référencement importé"),
    "financing.imported": _l("Financement importé"),
    "user.created": _l("Compte créé"),
    "user.deactivated": _l("Compte désactivé"),
    "user.reactivated": _l("Compte réactivé"),
    "user.password_changed": _l("Mot de passe changé"),
    "user.password_set": _l("Mot de passe remplacé"),
}

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
    "outcome": _l("Bilan"),
    "comment": _l("Commentaire"),
    "workflow": _l("Parcours"),
    "occurred_on": _l("Date"),
    "kind": _l("Type"),
    "minutes": _l("Minutes"),
    "notes": _l("Notes"),
    "subjects": _l("Sujets"),
}


def action_label(action: str) -> str:
    """Return how an audit action reads on the timeline."""
    return str(ACTION_LABELS.get(action, action))


def field_label(name: str) -> str:
    """Return a field's name as the interface shows it."""
    return str(FIELD_LABELS.get(name, name))
