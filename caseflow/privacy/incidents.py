"""The register of confidentiality incidents, with the fields the regulation asks for."""

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.privacy.models import ConfidentialityIncident
from caseflow.reports.exports import safe_cell


@dataclass
class IncidentFields:
    description: str
    information: str
    people_count: int
    discovered_on: date
    occurred_on: date | None = None
    circumstances: str = ""
    risk_assessment: str = ""
    serious_risk: bool = False
    commission_notified_on: date | None = None
    people_notified_on: date | None = None
    measures: str = ""


COLUMNS = tuple(IncidentFields.__dataclass_fields__)


def record_incident(actor: User, fields: IncidentFields) -> ConfidentialityIncident:
    """Enter an incident in the register (the register itself is audited, not copied)."""
    if actor.role != "coordinator":
        raise DomainError(_("Seule la coordination tient le registre des incidents."))
    if not fields.description.strip():
        raise DomainError(_("Décrivez l'incident."), "description")
    if not fields.information.strip():
        raise DomainError(_("Indiquez les renseignements personnels visés."), "information")
    if fields.people_count is None or fields.people_count < 0:
        raise DomainError(_("Indiquez le nombre de personnes concernées."), "people_count")
    today = hub_today()
    for name in ("discovered_on", "occurred_on", "commission_notified_on",
                 "people_notified_on"):
        day = getattr(fields, name)
        if day is not None and day > today:
            raise DomainError(_("Une date du registre ne peut pas être dans le futur."), name)
    if fields.occurred_on and fields.occurred_on > fields.discovered_on:
        raise DomainError(_("L'incident ne peut pas avoir eu lieu après sa découverte."),
                          "occurred_on")
    values = asdict(fields)
    for name in ("description", "information", "circumstances", "risk_assessment",
                 "measures"):
        values[name] = values[name].strip()
    incident = ConfidentialityIncident(**values, recorded_by_id=actor.id)
    db.session.add(incident)
    db.session.flush()
    record("incident.recorded", "confidentiality_incident", incident.id, actor=actor,
           changes={"people_count": incident.people_count,
                    "discovered_on": incident.discovered_on,
                    "serious_risk": incident.serious_risk})
    return incident


def register() -> list[ConfidentialityIncident]:
    """Return the register, newest discovery first."""
    return list(db.session.scalars(select(ConfidentialityIncident).order_by(
        ConfidentialityIncident.discovered_on.desc(), ConfidentialityIncident.id.desc())))


def to_csv(actor: User) -> bytes:
    """Return the register as CSV (for the Commission on request), and audit the export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("id", *COLUMNS, "recorded_at"))
    incidents = register()
    for incident in incidents:
        writer.writerow([incident.id, *(safe_cell(getattr(incident, name)) for name in COLUMNS),
                         incident.recorded_at.isoformat()])
    record("incident.exported", "confidentiality_incident", None, actor=actor,
           changes={"count": len(incidents)})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
