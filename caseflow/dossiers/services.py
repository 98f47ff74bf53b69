"""Everything that changes a dossier: opening, editing, transitions, interventions.

Each function checks the version the user saw, applies the change, records its audit
event in the same transaction and flushes nothing it does not need; the view commits.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.exc import StaleDataError

from caseflow.audit.services import record
from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers.models import (
    INTERVENTION_KINDS,
    Counter,
    Dossier,
    DossierObjective,
    Intervention,
    PromoterContact,
)
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW, definition, engine
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.workflow.engine import Actor, TransitionRefused

# No record of the hub goes back further; an older date is a typing mistake.
EARLIEST = date(1950, 1, 1)

# Fields of a dossier an edit may change, recorded before and after in the audit log.
TRACKED_FIELDS = (
    "title", "description", "promoter_name", "promoter_gender", "women_count", "men_count",
    "territory", "sector", "stage", "legal_form", "origin", "advisor", "opened_on",
)


@dataclass
class ContactFields:
    name: str
    email: str = ""
    phone: str = ""


@dataclass
class DossierFields:
    """What a person fills in about a dossier (models for reference values)."""

    title: str
    promoter_gender: object
    territory: object
    sector: object
    stage: object
    legal_form: object
    origin: object
    description: str = ""
    promoter_name: str = ""
    women_count: int = 0
    men_count: int = 0
    advisor: User | None = None
    opened_on: date | None = None
    contacts: list[ContactFields] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)


@dataclass
class InterventionFields:
    occurred_on: date
    kind: str
    subjects: list
    minutes: int | None = None
    notes: str = ""
    private: bool = False


def _value(item):
    """Return how a field's value is written in the audit log."""
    if isinstance(item, User):
        return item.email
    return getattr(item, "code", item)


def _snapshot(dossier: Dossier) -> dict:
    values = {name: _value(getattr(dossier, name)) for name in TRACKED_FIELDS}
    values["contacts"] = [[c.name, c.email, c.phone] for c in dossier.contacts]
    values["objectives"] = list(dossier.protocol_objectives)
    return values


def _conflict(dossier_id: int | None = None) -> Conflict:
    return Conflict(_("Ce dossier a été modifié par quelqu'un d'autre pendant que vous le "
                      "consultiez. Rien n'a été enregistré."), dossier_id=dossier_id)


def check_version(dossier: Dossier, expected_version: int | None) -> None:
    """Refuse a change made on a version of the dossier that is no longer current."""
    if expected_version is not None and dossier.version != expected_version:
        raise _conflict(dossier.id)


def flush_or_conflict(dossier: Dossier | None = None) -> None:
    """Flush now, so a concurrent change to the same dossier is a conflict, not a crash."""
    dossier_id = dossier.id if dossier is not None else None
    try:
        db.session.flush()
    except StaleDataError:
        raise _conflict(dossier_id) from None


def next_reference(year: int) -> str:
    """Return the next dossier reference of a year, e.g. 2026-0042."""
    name = f"dossier-{year}"
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    with db.session.no_autoflush:
        db.session.execute(insert(Counter).values(name=name, value=0)
                           .on_conflict_do_nothing(index_elements=["name"]))
        value = db.session.execute(
            update(Counter).where(Counter.name == name).values(value=Counter.value + 1)
            .returning(Counter.value).execution_options(synchronize_session=False)).scalar_one()
    return f"{year}-{value:04d}"


def _check_fields(fields: DossierFields, workflow: str) -> None:
    if not fields.title.strip():
        raise DomainError(_("Donnez un titre au dossier."), "title")
    for name in ("promoter_gender", "territory", "sector", "stage", "legal_form", "origin"):
        if getattr(fields, name) is None:
            raise DomainError(_("Ce champ est obligatoire."), name)
    if fields.advisor is not None and fields.advisor.role not in STAFF:
        raise DomainError(_("Le dossier doit être confié à une personne du Pôle."), "advisor")
    known = {objective.code for objective in definition(workflow).objectives}
    unknown = set(fields.objectives) - known
    if unknown:
        raise DomainError(_("Objectif du protocole inconnu : %(code)s.",
                            code=", ".join(sorted(unknown))), "objectives")
    if fields.opened_on is not None and fields.opened_on > hub_today():
        raise DomainError(_("La date d'ouverture ne peut pas être dans le futur."), "opened_on")
    if fields.opened_on is not None and fields.opened_on < EARLIEST:
        raise DomainError(_("Cette date est trop ancienne (avant 1950)."), "opened_on")


def _apply_fields(dossier: Dossier, fields: DossierFields) -> None:
    for name in TRACKED_FIELDS:
        value = getattr(fields, name)
        if name == "opened_on" and value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(dossier, name, value)
    contacts = [c for c in fields.contacts if c.name.strip()]
    current = [[c.name, c.email, c.phone] for c in dossier.contacts]
    wanted = [[c.name.strip(), c.email.strip(), c.phone.strip()] for c in contacts]
    if current != wanted:
        dossier.contacts = [PromoterContact(name=n, email=e, phone=p, position=i)
                            for i, (n, e, p) in enumerate(wanted)]
    if sorted(dossier.protocol_objectives) != sorted(set(fields.objectives)):
        dossier.objectives = [DossierObjective(code=code)
                              for code in sorted(set(fields.objectives))]


def open_dossier(actor: User, fields: DossierFields, workflow: str = DEFAULT_WORKFLOW) -> Dossier:
    """Open a dossier at its workflow's first step and record its creation."""
    workflow_definition = definition(workflow)
    _check_fields(fields, workflow)
    opened_on = fields.opened_on or hub_today()
    dossier = Dossier(reference=next_reference(opened_on.year), workflow=workflow,
                      workflow_version=workflow_definition.version,
                      state=workflow_definition.initial, state_entered_at=utcnow())
    _apply_fields(dossier, fields)
    dossier.opened_on = opened_on
    db.session.add(dossier)
    db.session.flush()
    changes = {name: [None, value] for name, value in _snapshot(dossier).items()}
    changes["state"] = [None, dossier.state]
    changes["workflow"] = [None, f"{workflow}@{workflow_definition.version}"]
    record("dossier.created", "dossier", dossier.id, actor=actor, dossier_id=dossier.id,
           changes=changes)
    return dossier


def update_dossier(dossier: Dossier, actor: User, expected_version: int | None,
                   fields: DossierFields) -> dict:
    """Change a dossier's facts and record each changed field before and after."""
    check_version(dossier, expected_version)
    _check_fields(fields, dossier.workflow)
    before = _snapshot(dossier)
    _apply_fields(dossier, fields)
    after = _snapshot(dossier)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        dossier.touch()
        action = "dossier.assigned" if set(changes) == {"advisor"} else "dossier.updated"
        record(action, "dossier", dossier.id, actor=actor, dossier_id=dossier.id,
               changes=changes)
        flush_or_conflict(dossier)
    return changes


class TransitionNotAllowed(DomainError):
    """The engine refused the transition; the message says why."""

    def __init__(self, refusal):
        super().__init__(_(refusal.message, **refusal.params))
        self.refusal = refusal


def actor_of(user: User) -> Actor:
    """Return the engine's view of a user."""
    return Actor(role=user.role, user_id=user.id, organisation_id=user.organisation_id)


def _check_transition_fields(transition, workflow_definition, comment, outcome, referral):
    """Refuse a transition whose actor left out a field it asks for."""
    if "comment" in transition.fields and not (comment or "").strip():
        raise DomainError(_("Un commentaire est requis pour cette action."), "comment")
    if "referral" in transition.fields and referral is None:
        raise DomainError(_("Choisissez l'organisation à qui référer le dossier."),
                          "organisation")
    if "outcome" in transition.fields and outcome not in {
            choice.code for choice in workflow_definition.outcomes}:
        raise DomainError(_("Choisissez le bilan du dossier."), "outcome")


def apply_transition(dossier: Dossier, actor: User, trigger: str, expected_version: int | None,
                     comment: str = "", outcome: str | None = None,
                     today: date | None = None, language: str = "fr", referral=None):
    """Move a dossier along one transition of its workflow and record it."""
    check_version(dossier, expected_version)
    workflow_definition = definition(dossier.workflow)
    before = {"state": dossier.state, "next_follow_up": dossier.next_follow_up,
              "outcome": dossier.outcome}
    try:
        # The engine is asked once; what the actor filled in is checked once it allows.
        transition = engine().fire(
            dossier, actor_of(actor), trigger, language=language,
            prepare=lambda allowed: _check_transition_fields(
                allowed, workflow_definition, comment, outcome, referral))
    except TransitionRefused as refused:
        raise TransitionNotAllowed(refused.refusal) from None
    comment = (comment or "").strip()
    outcome = outcome if "outcome" in transition.fields else None
    dossier.state_entered_at = utcnow()
    today = today or hub_today()
    if workflow_definition.state(dossier.state).final:
        dossier.next_follow_up = None
        dossier.outcome = outcome
    else:
        dossier.outcome = None
        if transition.follow_up_days:
            dossier.next_follow_up = today + timedelta(days=transition.follow_up_days)
    after = {"state": dossier.state, "next_follow_up": dossier.next_follow_up,
             "outcome": dossier.outcome}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    changes["trigger"] = trigger
    if referral is not None:
        changes["referral"] = referral.id
    record("dossier.transition", "dossier", dossier.id, actor=actor, dossier_id=dossier.id,
           changes=changes, reason=comment or None)
    flush_or_conflict(dossier)
    return transition


def _check_intervention(fields: InterventionFields) -> None:
    if fields.kind not in INTERVENTION_KINDS:
        raise DomainError(_("Type d'intervention inconnu."), "kind")
    if fields.occurred_on > hub_today():
        raise DomainError(_("La date d'une intervention ne peut pas être dans le futur."),
                          "occurred_on")
    if fields.occurred_on < EARLIEST:
        raise DomainError(_("Cette date est trop ancienne (avant 1950)."), "occurred_on")
    if fields.minutes is not None and not 0 <= fields.minutes <= 24 * 60:
        raise DomainError(_("La durée doit être comprise entre 0 et 1440 minutes."), "minutes")
    if not fields.subjects:
        raise DomainError(_("Choisissez au moins un sujet abordé."), "subjects")


def _intervention_snapshot(intervention: Intervention) -> dict:
    return {"occurred_on": intervention.occurred_on, "kind": intervention.kind,
            "minutes": intervention.minutes, "notes": intervention.notes,
            "private": intervention.private,
            "subjects": [subject.code for subject in intervention.subjects]}


def add_intervention(dossier: Dossier, actor: User, expected_version: int | None,
                     fields: InterventionFields) -> Intervention:
    """Log an intervention on a dossier."""
    check_version(dossier, expected_version)
    _check_intervention(fields)
    intervention = Intervention(dossier=dossier, occurred_on=fields.occurred_on,
                                kind=fields.kind, minutes=fields.minutes,
                                notes=fields.notes.strip(), private=fields.private,
                                author=actor,
                                subjects=list(fields.subjects))
    db.session.add(intervention)
    dossier.touch()
    flush_or_conflict(dossier)
    after = _intervention_snapshot(intervention)
    record("intervention.added", "intervention", intervention.id, actor=actor,
           dossier_id=dossier.id, changes={name: [None, value] for name, value in after.items()})
    return intervention


def update_intervention(intervention: Intervention, actor: User, expected_version: int | None,
                        fields: InterventionFields) -> dict:
    """Correct an intervention and record what changed."""
    dossier = intervention.dossier
    check_version(dossier, expected_version)
    _check_intervention(fields)
    before = _intervention_snapshot(intervention)
    intervention.occurred_on = fields.occurred_on
    intervention.kind = fields.kind
    intervention.minutes = fields.minutes
    intervention.notes = fields.notes.strip()
    intervention.private = fields.private
    intervention.subjects = list(fields.subjects)
    after = _intervention_snapshot(intervention)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        dossier.touch()
        record("intervention.edited", "intervention", intervention.id, actor=actor,
               dossier_id=dossier.id, changes=changes)
        flush_or_conflict(dossier)
    return changes


def remove_intervention(intervention: Intervention, actor: User,
                        expected_version: int | None, reason: str = "") -> None:
    """Remove an intervention logged by mistake; the audit log keeps what it said."""
    dossier = intervention.dossier
    check_version(dossier, expected_version)
    before = _intervention_snapshot(intervention)
    identifier = intervention.id
    dossier.interventions.remove(intervention)
    db.session.delete(intervention)
    dossier.touch()
    record("intervention.removed", "intervention", identifier, actor=actor,
           dossier_id=dossier.id, changes={name: [value, None] for name, value in before.items()},
           reason=reason.strip() or None)


def reassign(dossier: Dossier, actor: User, advisor: User, reason: str) -> bool:
    """Hand a dossier to another advisor, with the reason; False when it already is theirs."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Donnez la raison de la réassignation."), "reason")
    if advisor.role not in STAFF or not advisor.active:
        raise DomainError(_("Le dossier doit être confié à une personne du Pôle."), "advisor")
    if dossier.advisor_id == advisor.id:
        return False
    before = dossier.advisor.email if dossier.advisor is not None else None
    dossier.advisor = advisor
    dossier.touch()
    record("dossier.reassigned", "dossier", dossier.id, actor=actor, dossier_id=dossier.id,
           changes={"advisor": [before, advisor.email]}, reason=reason)
    flush_or_conflict(dossier)
    return True


#: How far ahead a follow-up may be planned by hand.
FOLLOW_UP_HORIZON = timedelta(days=3 * 366)


def set_follow_up(dossier: Dossier, actor: User, expected_version: int | None,
                  due: date | None, note: str = "", today: date | None = None) -> dict:
    """Set or move a dossier's next follow-up by hand (date and what is expected), audited."""
    check_version(dossier, expected_version)
    today = today or hub_today()
    note = (note or "").strip()
    if dossier.outcome is not None:
        raise DomainError(_("Un dossier fermé n'a pas de suivi à prévoir."), "due")
    if due is not None and due < today - timedelta(days=366):
        raise DomainError(_("Cette date est trop ancienne."), "due")
    if due is not None and due > today + FOLLOW_UP_HORIZON:
        raise DomainError(_("Prévoyez le suivi dans les trois prochaines années."), "due")
    if due is None and note:
        raise DomainError(_("Donnez la date du suivi."), "due")
    before = {"next_follow_up": dossier.next_follow_up, "follow_up_note": dossier.follow_up_note}
    dossier.next_follow_up, dossier.follow_up_note = due, note or None
    after = {"next_follow_up": dossier.next_follow_up, "follow_up_note": dossier.follow_up_note}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        dossier.touch()
        record("dossier.follow_up_set", "dossier", dossier.id, actor=actor,
               dossier_id=dossier.id, changes=changes)
        flush_or_conflict(dossier)
    return changes
