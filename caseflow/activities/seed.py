"""The bodies and tables of the 2017-2018 report, as a fresh install's reference list."""

from sqlalchemy import select

from caseflow.activities.models import Body
from caseflow.extensions import db

# (code, label_fr, label_en, parent code)
BODIES: list[tuple[str, str, str, str | None]] = [
    ("ca-pole", "Conseil d'administration du Pôle", "The hub's board of directors", None),
    ("executif-pole", "Exécutif du Pôle", "The hub's executive committee", "ca-pole"),
    ("aga-pole", "Assemblée générale annuelle du Pôle", "The hub's annual general meeting",
     None),
    ("tournee-chantier", "Tournée du Chantier de l'économie sociale",
     "Chantier de l'économie sociale tour", None),
    ("protocole-mesi", "Protocole MESI-Pôle 2015-2020", "MESI-hub protocol 2015-2020", None),
    ("partenaires-nationaux", "Partenaires nationaux", "National partners", None),
    ("eesad", "Entreprises d'économie sociale en aide à domicile (EÉSAD)",
     "Home-care social-economy enterprises (EÉSAD)", None),
    ("eesad-concertation", "Concertation régionale des EÉSAD", "EÉSAD regional concertation",
     "eesad"),
    ("eesad-protocole", "Signature du protocole par les EÉSAD", "EÉSAD protocol signature",
     "eesad"),
    ("veille", "Comité national de veille", "National watch committee", None),
    ("table-mrc", "Table des MRC", "Table of the RCMs", None),
    ("table-mrc-chantier-1", "Chantier 1 : Communauté entrepreneuriale",
     "Workstream 1: entrepreneurial community", "table-mrc"),
    ("table-mrc-pri", "Sous-comité pour le Pôle régional d'innovation",
     "Sub-committee for the regional innovation hub", "table-mrc"),
    ("table-mrc-chantier-2", "Chantier 2 : Attirer des travailleurs",
     "Workstream 2: attracting workers", "table-mrc"),
    ("table-mrc-chantier-5", "Chantier 5 : Services de proximité",
     "Workstream 5: local services", "table-mrc"),
    ("table-mrc-chantier-5-sc", "Sous-comité du Chantier 5", "Workstream 5 sub-committee",
     "table-mrc"),
    ("table-mrc-regroupements", "Regroupements régionaux", "Regional groupings", "table-mrc"),
    ("concertations-ad-hoc", "Concertations ad hoc", "Ad hoc concertation", None),
    ("semaine-es", "Semaine de l'économie sociale", "Social economy week", None),
    ("concours", "Concours OSEntreprendre", "OSEntreprendre contest", None),
    ("uqtr", "UQTR", "UQTR", None),
    ("cegep-tr", "Cégep de Trois-Rivières", "Cégep de Trois-Rivières", None),
    ("promotion-entreprises", "Activités de promotion des entreprises d'économie sociale",
     "Promotion activities of social-economy enterprises", None),
    ("csmo-esac", "Plan de formation — Projet pilote du CSMO-ÉSAC",
     "Training plan — CSMO-ÉSAC pilot project", None),
    ("formations", "Formations", "Trainings", None),
    ("mentorat", "Mentorat", "Mentoring", None),
    ("communaute-pratique", "Communauté de pratique « Relève et gestion au féminin »",
     "Community of practice on women's succession and management", None),
    ("table-entrepreneuriat", "Table d'action en entrepreneuriat Centre-du-Québec",
     "Centre-du-Québec entrepreneurship action table", None),
    ("colloque-5-ans", "Colloque Le mur des 5 ans", "\"Five-year wall\" symposium", None),
    ("microcredit", "Microcrédit", "Microcredit", None),
    ("journee-financement", "Journée sur les financements en économie sociale",
     "Social economy financing day", None),
    ("tiess", "TIESS", "TIESS", None),
    ("tiess-executif", "Exécutif du TIESS", "TIESS executive", "tiess"),
    ("tiess-ca", "Conseil d'administration du TIESS", "TIESS board", "tiess"),
    ("tiess-aga", "AGA du TIESS", "TIESS annual general meeting", "tiess"),
    ("antenne-tiess", "Antenne régionale – TIESS", "TIESS regional antenna", None),
    ("comite-coordination", "Comité de coordination du projet", "Project co-ordination committee",
     None),
    ("comite-experts", "Comité d'experts du projet", "Project expert committee", None),
    ("crds", "Comité régional en développement social Centre-du-Québec",
     "Centre-du-Québec regional social development committee", None),
    ("crds-grand", "« Grand » comité régional du développement social",
     "Full regional social development committee", "crds"),
    ("crds-strategique", "Comité stratégique du CRDS", "CRDS strategic committee", "crds"),
    ("crds-directeur", "Comité directeur de l'entente administrative",
     "Steering committee of the administrative agreement", "crds"),
    ("table-dd", "Table régionale en développement durable",
     "Regional sustainable development table", None),
    ("poles", "Pôles de l'économie sociale", "Social economy hubs", None),
    ("table-pages", "Table des partenaires pour le plan d'action gouvernemental en économie "
     "sociale", "Partners' table of the government social economy action plan", None),
]

# The plan objective each standing body serves (the 2015-2020 plan's codes): the report lists
# these bodies under it even in a period without their meetings.
BODY_OBJECTIVES = {
    "ca-pole": "1.1", "aga-pole": "1.1", "protocole-mesi": "1.1", "eesad": "1.2",
    "table-mrc": "2.1", "communaute-pratique": "3.1", "table-entrepreneuriat": "3.2",
    "tiess": "4.1", "antenne-tiess": "4.1", "crds": "5.1", "table-dd": "5.1",
    "poles": "5.1", "table-pages": "5.1",
}

# How the report words a body's line where the seed words it its own way, as a fresh install
# has it (the coordinator edits it afterwards, see Body): the meeting qualifier of its own
# meetings ("6 rencontres régulières"), the phrase a committee's counts take instead of its label
# ("1 rencontre de l'exécutif", French and English), whether a body counted in its committees
# prints their total first ("| 9 rencontres |"), and whether its events are named by their
# titles ("| Gala régional") rather than counted.
BODY_WORDING: dict[str, dict] = {
    "ca-pole": {"meeting_qualifier": "regular"},
    "executif-pole": {"phrase_fr": "de l'exécutif", "phrase_en": "of the executive"},
    "tiess-executif": {"phrase_fr": "de l'exécutif", "phrase_en": "of the executive"},
    "tiess-ca": {"phrase_fr": "du conseil d'administration",
                 "phrase_en": "of the board of directors"},
    "crds": {"prints_total": True},
    "semaine-es": {"prints_total": True},
    "concours": {"names_events": True},
    "poles": {"names_events": True},
}


def seed_bodies() -> int:
    """Add the missing bodies (labels the coordinator edited are kept); return how many."""
    existing = {body.code: body for body in db.session.scalars(select(Body))}
    added, new = 0, set()
    for position, (code, label_fr, label_en, _parent) in enumerate(BODIES):
        if code not in existing:
            existing[code] = Body(code=code, label_fr=label_fr, label_en=label_en,
                                  position=position, active=True,
                                  objective=BODY_OBJECTIVES.get(code),
                                  **BODY_WORDING.get(code, {}))
            db.session.add(existing[code])
            new.add(code)
            added += 1
    db.session.flush()
    for code, _fr, _en, parent in BODIES:
        if parent and code in new and parent in existing:
            existing[code].parent_id = existing[parent].id
    db.session.flush()
    return added
