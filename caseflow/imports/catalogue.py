"""Every value an import may name, loaded once in a few queries before reading the rows."""

from dataclasses import dataclass, field

from sqlalchemy import select

from caseflow.auth.models import STAFF, User
from caseflow.dossiers.models import INTERVENTION_KINDS
from caseflow.dossiers.workflows import engine
from caseflow.extensions import db
from caseflow.financing.models import DECISIONS, STAGES
from caseflow.imports.values import Matcher
from caseflow.reference.models import REFERENCE_LISTS, Organisation
from caseflow.workflow.definition import Definition
from caseflow.workflow.engine import Engine, Placement

# French and English words people use for the fixed codes (the interface's labels).
KIND_WORDS = {
    "meeting": ("Rencontre", "Réunion"), "call": ("Appel", "Téléphone"),
    "email": ("Courriel", "E-mail"), "workshop": ("Atelier",), "other": ("Autre",),
}
STAGE_WORDS = {
    "information": ("Demande d'information", "Information"),
    "eligibility": ("Demande d'admissibilité", "Admissibilité", "Eligibility"),
    "filed": ("Déposé", "Dossier déposé", "Filed"),
    "recommended": ("Recommandé", "Recommandée", "Recommended"),
    "retained": ("Retenu", "Retenue", "Retained"),
    "refused": ("Refusé", "Refusée", "Refused"),
}
DECISION_WORDS = {
    "pending": ("En attente", "Pending"), "authorised": ("Autorisé", "Autorisée", "Authorized"),
    "refused": ("Refusé", "Refusée", "Refused"), "withdrawn": ("Retiré", "Retirée", "Withdrawn"),
}


@dataclass
class Catalogue:
    """The reference lists, organisations, workflows and staff an import is checked against."""

    matchers: dict[str, Matcher]
    items: dict[str, dict[str, object]]
    organisations: dict[str, Organisation]
    advisors: dict[str, User]
    definitions: dict[str, Definition]
    engine: Engine
    _by_workflow: dict = field(default_factory=dict)
    _placements: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Catalogue":
        """Load every list in one query each."""
        matchers, items = {}, {}
        for name, model in REFERENCE_LISTS.items():
            rows = list(db.session.scalars(select(model).order_by(model.position, model.id)))
            items[name] = {row.code: row for row in rows}
            matchers[name] = Matcher((row.code, (row.label_fr, row.label_en)) for row in rows)
        organisations = {o.code: o for o in db.session.scalars(select(Organisation))}
        matchers["organisation"] = Matcher((o.code, (o.name,)) for o in organisations.values())
        matchers["kind"] = Matcher((code, KIND_WORDS.get(code, ())) for code in INTERVENTION_KINDS)
        matchers["decision"] = Matcher((code, DECISION_WORDS.get(code, ())) for code in DECISIONS)
        matchers["application_stage"] = Matcher((code, STAGE_WORDS.get(code, ()))
                                                for code in STAGES)
        workflows = engine()
        definitions = dict(workflows.definitions)
        matchers["workflow"] = Matcher((name, (d.label_fr, d.label_en))
                                       for name, d in definitions.items())
        staff = db.session.scalars(select(User).where(User.role.in_(STAFF)))
        advisors = {email_key(user.email): user for user in staff}
        matchers["advisor_email"] = Matcher((email, ()) for email in advisors)
        return cls(matchers, items, organisations, advisors, definitions, workflows)

    def workflow_matcher(self, workflow: str, kind: str) -> Matcher:
        """Return the matcher of a workflow's states, outcomes or objectives."""
        key = (workflow, kind)
        if key not in self._by_workflow:
            definition = self.definitions[workflow]
            if kind == "state":
                entries = ((s.name, (s.label_fr, s.label_en)) for s in definition.states.values())
            else:
                choices = definition.outcomes if kind == "outcome" else definition.objectives
                entries = ((c.code, (c.label_fr, c.label_en)) for c in choices)
            self._by_workflow[key] = Matcher(entries)
        return self._by_workflow[key]

    def placement(self, workflow: str, state: str) -> Placement:
        """Return whether an imported dossier may be in a workflow's state, and what it needs."""
        key = (workflow, state)
        if key not in self._placements:
            self._placements[key] = self.engine.placement(workflow, state)
        return self._placements[key]


def email_key(email: str) -> str:
    """Return an e-mail address as compared (case does not matter)."""
    return email.strip().lower()

