"""Access and portability requests: logged when received, answered with the export within
the 30 days the Act gives."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.privacy import export
from caseflow.privacy.models import ANSWER_DAYS, REQUEST_KINDS, AccessRequest


@dataclass
class RequestFields:
    kind: str
    requester: str
    email: str = ""
    dossier: Dossier | None = None
    received_on: date | None = None


def log_request(actor: User, fields: RequestFields) -> AccessRequest:
    """Log a person's request, with the day it is due (30 days after receipt)."""
    if fields.kind not in REQUEST_KINDS:
        raise DomainError(_("Choisissez le type de demande."), "kind")
    if not fields.requester.strip():
        raise DomainError(_("Indiquez qui fait la demande."), "requester")
    if not fields.email.strip() and fields.dossier is None:
        raise DomainError(_("Indiquez le courriel de la personne ou le dossier du groupe."),
                          "email")
    received_on = fields.received_on or hub_today()
    if received_on > hub_today():
        raise DomainError(_("La date de réception ne peut pas être dans le futur."),
                          "received_on")
    request = AccessRequest(kind=fields.kind, requester=fields.requester.strip(),
                            email=fields.email.strip(), dossier=fields.dossier,
                            received_on=received_on,
                            due_on=received_on + timedelta(days=ANSWER_DAYS),
                            recorded_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    record("access_request.received", "access_request", request.id, actor=actor,
           dossier_id=request.dossier_id,
           changes={"kind": request.kind, "received_on": received_on,
                    "due_on": request.due_on})
    return request


def subject_dossiers(request: AccessRequest) -> list[Dossier]:
    """Return the dossiers a request is about: the group's, or those naming the person."""
    if request.dossier is not None:
        return [request.dossier]
    return export.dossiers_of_person(request.email)


def answer(request: AccessRequest, actor: User, folder) -> bytes:
    """Build the request's export, log the day it was answered and audit it."""
    dossiers = subject_dossiers(request)
    content = export.build(dossiers, folder,
                           email=None if request.dossier is not None else request.email,
                           subject=request.requester)
    first = request.answered_on is None
    if first:
        request.answered_on = hub_today()
    db.session.flush()
    record("access_request.exported", "access_request", request.id, actor=actor,
           dossier_id=request.dossier_id,
           changes={"dossiers": [d.reference for d in dossiers],
                    "answered_on": request.answered_on, "first_answer": first})
    return content
