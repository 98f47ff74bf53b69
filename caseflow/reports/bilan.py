"""A protocol's "Bilan général" in the protocol's own categories, as the hub's report prints it.

The seed's report (2017-2018, Nicolet-Yamaska protocol) closes its protocol section with four
categories that group the protocol's objectives: "6 dossiers d'information et référencement",
"2 dossiers pour constitution ou modification aux documents de constitution", "3 dossiers pour
des projets d'infrastructure", "3 dossiers d'accompagnement dans les activités de gestion
courante..." (6 + 2 + 3 + 3 = the 14 dossiers its objective sections list: a dossier counts once
in each objective it served). Then "Pour un total de 6 projets évalués, dont deux en voie de
structuration": the dossiers whose project's viability was assessed, and those of them still
being structured (open, or closed as formalised).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Category:
    code: str
    label: object  # "dossiers d'information et référencement" (after the count)
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Bilan:
    categories: tuple[Category, ...]
    # The objective that makes a dossier one of the "projets évalués".
    evaluated: tuple[str, ...]
    # Closing outcomes that leave an evaluated project "en voie de structuration".
    structuring_outcomes: tuple[str, ...]


BILANS: dict[str, Bilan] = {
    "protocole-nicolet-yamaska": Bilan(
        categories=(
            Category("information", _l("dossiers d'information et référencement"),
                     ("accueil-orientation",)),
            Category("constitution", _l("dossiers pour constitution ou modification aux "
                                        "documents de constitution"),
                     ("documents-constitutifs",)),
            Category("infrastructure", _l("dossiers pour des projets d'infrastructure"),
                     ("plan-affaires",)),
            Category("accompagnement", _l(
                "dossiers d'accompagnement dans les activités de gestion courante, de "
                "négociation pour de nouveaux marchés, de relève au niveau de la direction et "
                "aide pour la gouvernance (accompagnement du conseil d'administration)"),
                     ("accompagnement", "outils-gestion")),
        ),
        evaluated=("viabilite",),
        structuring_outcomes=("formalise",),
    ),
}


def bilan_for(workflow: str) -> Bilan | None:
    """Return the categories of a protocol's general outcome, if the report knows them."""
    return BILANS.get(workflow)


def check(definitions) -> None:
    """Refuse, at start-up, a category naming an objective or outcome its protocol lacks."""
    for name, bilan in BILANS.items():
        definition = definitions.get(name)
        if definition is None:
            continue
        objectives = {o.code for o in definition.objectives}
        outcomes = {o.code for o in definition.outcomes}
        named = {code for c in bilan.categories for code in c.objectives} | set(bilan.evaluated)
        unknown = sorted(named - objectives) + sorted(set(bilan.structuring_outcomes) - outcomes)
        if unknown:
            raise RuntimeError(f"caseflow/reports/bilan.py: {name}: unknown objective or "
                               f"outcome {', '.join(unknown)}")
