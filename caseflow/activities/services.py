"""Recording the hub's activities and projects; every change writes its audit event in the
same transaction. Nothing here commits."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from caseflow.activities import plan
from caseflow.activities.models import (
    KINDS,
    MAX_MINUTES,
    MAX_PARTICIPANTS,
    MEETING_QUALIFIERS,
    Activity,
    Body,
    Project,
)
from caseflow.audit.services import record, record_edit
from caseflow.database import hub_today
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db

EARLIEST = date(1990, 1, 1)
MAX_TITLE = 200


@dataclass
class ActivityFields:
    occurred_on: date
    kind: str
    title: str
    objective: str
    body: object = None
    project: object = None
    participants: int | None = None
    participants_women: int | None = None
    participants_men: int | None = None
    minutes: int | None = None
    notes: str = ""
    territories: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    dossiers: list = field(default_factory=list)


SCALARS = ("occurred_on", "kind", "title", "objective", "body", "project", "participants",
           "participants_women", "participants_men", "minutes", "notes")
LISTS = ("territories", "organisations", "dossiers")


def check(fields: ActivityFields) -> None:
    """Refuse what the hub would not count; the error names the field."""
    if fields.occurred_on is None:
        raise DomainError(_("Indiquez la date de l'activité."), "occurred_on")
    if fields.occurred_on < EARLIEST:
        raise DomainError(_("Cette date est trop ancienne (avant 1990)."), "occurred_on")
    if (fields.occurred_on - hub_today()).days > 366 * 2:
        raise DomainError(_("Cette date est trop loin dans l'avenir."), "occurred_on")
    if fields.kind not in KINDS:
        raise DomainError(_("Type d'activité inconnu."), "kind")
    if not (fields.title or "").strip():
        raise DomainError(_("Donnez un titre à l'activité."), "title")
    if len(fields.title.strip()) > MAX_TITLE:
        raise DomainError(_("Le titre est trop long (200 caractères au plus)."), "title")
    if plan.objective(fields.objective or "", fields.occurred_on) is None:
        raise DomainError(_("Choisissez un objectif du plan d'action en vigueur à cette date."),
                          "objective")
    for name in ("participants", "participants_women", "participants_men"):
        value = getattr(fields, name)
        if value is not None and not 0 <= value <= MAX_PARTICIPANTS:
            raise DomainError(_("Entrez un nombre de personnes entre 0 et 100 000."), name)
    known = (fields.participants_women or 0) + (fields.participants_men or 0)
    if fields.participants is not None and known > fields.participants:
        raise DomainError(_("Les femmes et les hommes dépassent le nombre de participants."),
                          "participants_women")
    if fields.minutes is not None and not 0 <= fields.minutes <= MAX_MINUTES:
        raise DomainError(_("Entrez un temps entre 0 et 10 080 minutes."), "minutes")


def _snapshot(activity: Activity) -> dict:
    values = {name: getattr(activity, name) for name in SCALARS}
    values["body"] = activity.body.code if activity.body else None
    values["project"] = activity.project.code if activity.project else None
    values["territories"] = [t.code for t in activity.territories]
    values["organisations"] = [o.code for o in activity.organisations]
    values["dossiers"] = [d.reference for d in activity.dossiers]
    return values


def _apply(activity: Activity, fields: ActivityFields) -> None:
    for name in SCALARS:
        value = getattr(fields, name)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    for name in LISTS:
        setattr(activity, name, list(dict.fromkeys(getattr(fields, name))))
    if activity.participants is None and (activity.participants_women is not None or
                                          activity.participants_men is not None):
        activity.participants = (activity.participants_women or 0) + \
            (activity.participants_men or 0)


def add_activity(fields: ActivityFields, actor, source: str | None = None) -> Activity:
    """Record an activity of the hub."""
    check(fields)
    activity = Activity(created_by=actor)
    _apply(activity, fields)
    db.session.add(activity)
    db.session.flush()
    record("activity.added", "activity", activity.id, actor=actor, reason=source,
           changes={name: [None, value] for name, value in _snapshot(activity).items()})
    return activity


def _fresh(activity: Activity, expected_version: int | None) -> None:
    if expected_version is not None and activity.version != expected_version:
        raise Conflict(_("Cette activité a été modifiée par quelqu'un d'autre entre-temps. "
                         "Rechargez la page pour voir ses données actuelles."))


def update_activity(activity: Activity, fields: ActivityFields, actor,
                    expected_version: int | None) -> dict:
    """Correct an activity; return what changed."""
    _fresh(activity, expected_version)
    check(fields)
    before = _snapshot(activity)
    _apply(activity, fields)
    after = _snapshot(activity)
    changes = {name: [before[name], after[name]] for name in after
               if before[name] != after[name]}
    if changes:
        activity.version += 1
        db.session.flush()
        record("activity.edited", "activity", activity.id, actor=actor, changes=changes)
    return changes


def remove_activity(activity: Activity, actor, expected_version: int | None) -> None:
    """Remove an activity entered by mistake; the audit log keeps what it said."""
    _fresh(activity, expected_version)
    before, identifier = _snapshot(activity), activity.id
    db.session.delete(activity)
    db.session.flush()
    record("activity.removed", "activity", identifier, actor=actor,
           changes={name: [value, None] for name, value in before.items()})


@dataclass
class ProjectFields:
    code: str
    name: str
    objective: str
    start_on: date | None = None
    end_on: date | None = None
    funder: str = ""
    partners: list[str] = field(default_factory=list)
    deliverables: int = 0
    deliverables_label: str = ""
    notes: str = ""


PROJECT_FIELDS = ("code", "name", "objective", "start_on", "end_on", "funder", "partners",
                  "deliverables", "deliverables_label", "notes")


def check_project(fields: ProjectFields) -> None:
    """Refuse a project the report could not place."""
    if not (fields.code or "").strip() or len(fields.code.strip()) > 64:
        raise DomainError(_("Donnez un code court au projet (64 caractères au plus)."), "code")
    if not (fields.name or "").strip() or len(fields.name.strip()) > MAX_TITLE:
        raise DomainError(_("Donnez un nom au projet (200 caractères au plus)."), "name")
    if plan.objective(fields.objective or "", fields.start_on) is None \
            and plan.objective(fields.objective or "") is None:
        raise DomainError(_("Choisissez un objectif du plan d'action."), "objective")
    if fields.start_on and fields.end_on and fields.end_on < fields.start_on:
        raise DomainError(_("La fin du projet précède son début."), "end_on")
    if not 0 <= (fields.deliverables or 0) <= MAX_PARTICIPANTS:
        raise DomainError(_("Nombre de livrables invalide."), "deliverables")


def add_project(fields: ProjectFields, actor, source: str | None = None) -> Project:
    """Record a project of the hub."""
    check_project(fields)
    project = Project()
    for name in PROJECT_FIELDS:
        value = getattr(fields, name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    db.session.add(project)
    db.session.flush()
    record("project.added", "project", project.id, actor=actor, reason=source,
           changes={name: [None, getattr(project, name)] for name in PROJECT_FIELDS})
    return project


def update_project(project: Project, fields: ProjectFields, actor,
                   expected_version: int | None) -> dict:
    """Correct a project; return what changed."""
    if expected_version is not None and project.version != expected_version:
        raise Conflict(_("Ce projet a été modifié par quelqu'un d'autre entre-temps. "
                         "Rechargez la page."))
    check_project(fields)
    return record_edit(project, fields, PROJECT_FIELDS, "project.edited", "project",
                       actor=actor)


@dataclass
class BodyFields:
    label_fr: str
    label_en: str = ""
    code: str = ""
    parent: object = None  # a Body, or None for a body of its own
    objective: str | None = None
    meeting_qualifier: str | None = None
    phrase_fr: str = ""
    phrase_en: str = ""
    prints_total: bool = False
    names_events: bool = False
    active: bool = True


BODY_FIELDS = ("label_fr", "label_en", "parent", "objective", "meeting_qualifier", "phrase_fr",
               "phrase_en", "prints_total", "names_events", "active")
BODY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_PHRASE = 120


def _check_body(fields: BodyFields, body: Body | None) -> None:
    """Refuse a body the report could not word or place; the error names the field."""
    if not (fields.label_fr or "").strip() or len(fields.label_fr.strip()) > MAX_TITLE:
        raise DomainError(_("Donnez le nom de l'instance en français (200 caractères au plus)."),
                          "label_fr")
    if len((fields.label_en or "").strip()) > MAX_TITLE:
        raise DomainError(_("200 caractères au plus."), "label_en")
    for name in ("phrase_fr", "phrase_en"):
        if len((getattr(fields, name) or "").strip()) > MAX_PHRASE:
            raise DomainError(_("120 caractères au plus."), name)
    if fields.meeting_qualifier not in (None, *MEETING_QUALIFIERS):
        raise DomainError(_("Choisissez une manière de compter les rencontres."),
                          "meeting_qualifier")
    if fields.objective and plan.objective(fields.objective) is None:
        raise DomainError(_("Choisissez un objectif du plan d'action."), "objective")
    parent = fields.parent
    if parent is not None:
        # One level of committees: the report groups a committee under its body's line.
        if parent.parent_id is not None or (body is not None and parent.id == body.id):
            raise DomainError(_("Choisissez une instance qui n'est pas elle-même un comité."),
                              "parent")
        if body is not None and db.session.scalar(
                select(exists().where(Body.parent_id == body.id))):
            raise DomainError(_("Cette instance a ses propres comités : elle ne peut pas "
                                "devenir le comité d'une autre."), "parent")


def add_body(fields: BodyFields, actor) -> Body:
    """Add a body or committee the hub's activities may belong to."""
    _check_body(fields, None)
    code = (fields.code or "").strip() or _slug(fields.label_fr)
    if not BODY_CODE.match(code):
        raise DomainError(_("Le code prend des minuscules, des chiffres et des traits d'union."),
                          "code")
    if db.session.scalar(select(exists().where(Body.code == code))):
        raise DomainError(_("Ce code est déjà pris."), "code")
    body = Body(code=code, position=(db.session.scalar(select(func.max(Body.position))) or 0) + 1)
    for name in BODY_FIELDS:
        value = getattr(fields, name)
        setattr(body, name, value.strip() if isinstance(value, str) else value)
    body.label_en = body.label_en or body.label_fr
    db.session.add(body)
    db.session.flush()
    record("activity_body.added", "activity_body", body.id, actor=actor,
           changes={name: [None, _plain(getattr(body, name))] for name in ("code", *BODY_FIELDS)})
    return body


def update_body(body: Body, fields: BodyFields, actor, expected_version: int | None) -> dict:
    """Rename a body, move it under another, change how the report words it; return what
    changed."""
    if expected_version is not None and body.version != expected_version:
        raise Conflict(_("Cette instance a été modifiée par quelqu'un d'autre entre-temps. "
                         "Rechargez la page."))
    _check_body(fields, body)
    fields.label_en = (fields.label_en or "").strip() or fields.label_fr
    changes = {}
    for name in BODY_FIELDS:
        value = getattr(fields, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(body, name) != value:
            changes[name] = [_plain(getattr(body, name)), _plain(value)]
            setattr(body, name, value)
    if changes:
        body.version += 1
        db.session.flush()
        record("activity_body.edited", "activity_body", body.id, actor=actor, changes=changes)
    return changes


def _slug(label: str) -> str:
    """Return a code made from a label: "Comité de suivi" gives "comite-de-suivi"."""
    text = unicodedata.normalize("NFKD", label or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].rstrip("-")


def _plain(value):
    """Return a value as the audit log keeps it: a body by its code."""
    return value.code if isinstance(value, Body) else value
