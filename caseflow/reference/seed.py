"""The reference lists and organisations every fresh install starts with."""

from flask import current_app
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.reference.models import REFERENCE_LISTS, Organisation, Territory

# (code, label_fr, label_en) per list, in display order.
REFERENCE_DATA: dict[str, list[tuple[str, str, str]]] = {
    "territory": [
        ("arthabaska", "MRC d'Arthabaska", "Arthabaska RCM"),
        ("becancour", "MRC de Bécancour", "Bécancour RCM"),
        ("drummond", "MRC de Drummond", "Drummond RCM"),
        ("erable", "MRC de L'Érable", "L'Érable RCM"),
        ("nicolet-yamaska", "MRC de Nicolet-Yamaska", "Nicolet-Yamaska RCM"),
    ],
    "sector": [
        ("services-personnes", "Services aux personnes", "Personal services"),
        ("commerce-detail", "Commerce de détail", "Retail"),
        ("emploi", "Emploi", "Employment"),
        ("services-proximite", "Services de proximité", "Local services"),
        ("services-entreprises", "Services aux entreprises", "Business services"),
        ("assurances", "Assurances", "Insurance"),
        ("culture", "Culture", "Culture"),
        ("sante", "Santé", "Health"),
        ("agriculture", "Agriculture", "Agriculture"),
        ("numerique", "Numérique", "Digital"),
        ("loisir", "Loisir", "Recreation"),
    ],
    "stage": [
        ("predemarrage", "Prédémarrage", "Pre-start-up"),
        ("demarrage", "Démarrage", "Start-up"),
        ("consolidation", "Consolidation", "Consolidation"),
        ("croissance", "Croissance / développement", "Growth / development"),
        ("releve", "Relève", "Succession"),
    ],
    "legal_form": [
        ("obnl", "Organisme à but non lucratif (OBNL)", "Non-profit organisation"),
        ("cooperative", "Coopérative", "Co-operative"),
        ("non-constituee", "Non constituée", "Not yet incorporated"),
        ("autre", "Autre", "Other"),
    ],
    "promoter_gender": [
        ("femme", "Une femme", "A woman"),
        ("homme", "Un homme", "A man"),
        ("les-deux", "Les deux", "Both"),
    ],
    "origin": [
        ("direct", "Reçu directement", "Received directly"),
        ("mrc", "Reçu par une MRC ou un organisme mandataire",
         "Received through an RCM or a mandated organisation"),
        ("partenaire", "À la demande d'un autre partenaire", "At another partner's request"),
    ],
    "subject": [
        ("info-programmes", "Information sur les programmes, outils financiers, outils de gestion",
         "Information on programmes, financial tools, management tools"),
        ("gouvernance", "Aide à la gouvernance (statut associatif)",
         "Governance help (associative status)"),
        ("info-es", "Information générale sur l'économie sociale et référencement",
         "General information on the social economy and referral"),
        ("reseau-express", "Réseau express et/ou suivis aux aides financières",
         "Express network and/or follow-up on financial aid"),
        ("documents-constitutifs", "Documents constitutifs", "Constitution documents"),
        ("plan-affaires", "Plan d'affaires", "Business plan"),
        ("infrastructure", "Projet d'infrastructure", "Infrastructure project"),
        ("gestion-courante", "Gestion courante", "Day-to-day management"),
        ("commercialisation", "Commercialisation et contrats", "Marketing and contracts"),
    ],
    "fund": [
        ("fdt-es", "Fonds de développement des territoires, volet économie sociale (fonds dédié)",
         "Territorial development fund, social economy component (dedicated fund)"),
        ("fli", "Fonds local d'investissement", "Local investment fund"),
        ("piec", "MESI, PIEC", "MESI, PIEC"),
        ("risq", "RISQ", "RISQ"),
        ("fiducie", "Fiducie du Chantier de l'économie sociale",
         "Fiducie du Chantier de l'économie sociale"),
        ("caisse-es", "Caisse d'économie solidaire", "Caisse d'économie solidaire"),
        ("services-quebec", "Services Québec", "Services Québec"),
        ("autre", "Autre", "Other"),
    ],
}

# The funder kind of each fund of the seed (the others are finance partners').
FUNDER_KIND_OF = {"fdt-es": "mrc", "fli": "mrc", "piec": "ministry",
                  "services-quebec": "services-quebec"}

# (code, name, kind, territory code)
ORGANISATIONS: list[tuple[str, str, str, str | None]] = [
    ("mrc-arthabaska", "MRC d'Arthabaska", "mrc", "arthabaska"),
    ("mrc-becancour", "MRC de Bécancour", "mrc", "becancour"),
    ("mrc-drummond", "MRC de Drummond", "mrc", "drummond"),
    ("mrc-erable", "MRC de L'Érable", "mrc", "erable"),
    ("mrc-nicolet-yamaska", "MRC de Nicolet-Yamaska", "mrc", "nicolet-yamaska"),
    ("cde-victoriaville",
     "Corporation de développement économique de Victoriaville et sa région",
     "mandataire", "arthabaska"),
    ("cdc-becancour", "CDC de la MRC de Bécancour", "partenaire", "becancour"),
    ("cdc-nicolet-yamaska", "CDC Nicolet-Yamaska", "partenaire", "nicolet-yamaska"),
    ("mesi", "Ministère de l'Économie, de la Science et de l'Innovation", "partenaire", None),
    ("services-quebec", "Services Québec", "partenaire", None),
    ("risq", "Réseau d'investissement social du Québec", "partenaire", None),
    ("fiducie", "Fiducie du Chantier de l'économie sociale", "partenaire", None),
    ("caisse-es", "Caisse d'économie solidaire Desjardins", "partenaire", None),
    ("cdrq", "Coopérative de développement régional du Québec", "partenaire", None),
    ("investissement-quebec", "Investissement Québec", "partenaire", None),
    ("tiess", "TIESS", "partenaire", None),
]


SEEDERS = "caseflow.reference_seeders"


def add_seeder(app, seed) -> None:
    """Register a slice's own reference rows (a function adding the missing ones, counting
    them), seeded with the shared lists."""
    app.extensions.setdefault(SEEDERS, []).append(seed)


def seed_reference_data() -> int:
    """Add every missing reference code and organisation; return how many rows were added.

    Existing rows are left alone: the coordinator may have edited their labels.
    """
    added = 0
    for list_name, rows in REFERENCE_DATA.items():
        model = REFERENCE_LISTS[list_name]
        existing = set(db.session.scalars(select(model.code)))
        for position, (code, label_fr, label_en) in enumerate(rows):
            if code not in existing:
                item = model(code=code, label_fr=label_fr, label_en=label_en,
                             position=position, active=True)
                if list_name == "fund":
                    item.funder_kind = FUNDER_KIND_OF.get(code, "finance-partner")
                db.session.add(item)
                added += 1
    db.session.flush()
    territories = {t.code: t for t in db.session.scalars(select(Territory))}
    existing = set(db.session.scalars(select(Organisation.code)))
    for code, name, kind, territory in ORGANISATIONS:
        if code not in existing:
            db.session.add(Organisation(code=code, name=name, kind=kind, active=True,
                                        territory=territories.get(territory)))
            added += 1
    db.session.flush()
    return added + sum(seed() for seed in current_app.extensions.get(SEEDERS, ()))
