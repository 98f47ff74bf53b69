"""The access and portability export: everything held about a person or a promoter group, as
JSON and CSV with their files, in one ZIP."""

import csv
import io
import json
import zipfile

from sqlalchemy import func, select

from caseflow.audit import personal
from caseflow.audit.services import jsonable
from caseflow.database import hub_today
from caseflow.documents import storage
from caseflow.documents.models import Attachment
from caseflow.dossiers.models import Dossier, PromoterContact
from caseflow.extensions import db
from caseflow.privacy.consents import of_dossier
from caseflow.privacy.models import AccessRequest
from caseflow.reports.exports import safe_cell


def dossiers_of_person(email: str) -> list[Dossier]:
    """Return the dossiers naming a person among their contacts, by e-mail (any case)."""
    email = email.strip().lower()
    if not email:
        return []
    ids = select(PromoterContact.dossier_id).where(func.lower(PromoterContact.email) == email)
    return list(db.session.scalars(select(Dossier).where(Dossier.id.in_(ids))
                                   .order_by(Dossier.id)))


def _dossier_record(dossier: Dossier, email: str | None) -> dict:
    """Return what a dossier holds; for one person, only their own contact line."""
    contacts = [c for c in dossier.contacts
                if email is None or c.email.strip().lower() == email]
    return {
        "reference": dossier.reference,
        "title": dossier.title,
        "description": dossier.description,
        "promoter_name": dossier.promoter_name if email is None else "",
        "territory": dossier.territory.code, "sector": dossier.sector.code,
        "stage": dossier.stage.code, "legal_form": dossier.legal_form.code,
        "state": dossier.state, "outcome": dossier.outcome, "opened_on": dossier.opened_on,
        "contacts": [{"name": c.name, "email": c.email, "phone": c.phone} for c in contacts],
        "interventions": [{"occurred_on": i.occurred_on, "kind": i.kind, "minutes": i.minutes,
                           "subjects": [s.code for s in i.subjects], "notes": i.notes}
                          for i in dossier.interventions],
        "referrals": [{"organisation": r.organisation.code, "state": r.state,
                       "reason": r.reason, "request": r.request, "sent_at": r.sent_at,
                       "notes": [n.body for n in r.notes]} for r in dossier.referrals],
        "financing": [{"fund": line.fund.code, "decision": line.decision,
                       "amount_requested": line.amount_requested,
                       "amount_authorised": line.amount_authorised,
                       "decided_on": line.decided_on, "notes": line.notes}
                      for line in dossier.financing_lines],
        "consents": [{"purpose": c.purpose, "status": c.status,
                      "organisation": c.organisation.code if c.organisation else None,
                      "starts_on": c.starts_on, "ends_on": c.ends_on, "method": c.method,
                      "recorded_at": c.recorded_at, "withdrawn_at": c.withdrawn_at}
                     for c in of_dossier(dossier)],
        # For a group, what the audit log keeps aside of its past values (earlier names,
        # phones, notes); for one person these may name others, so they stay out.
        "history": personal.values_of(dossier.id) if email is None else [],
        "files": [{"name": a.original_name, "type": a.content_type, "size": a.size,
                   "uploaded_at": a.uploaded_at, "path": f"fichiers/{dossier.reference}/"
                   f"{a.id}-{a.original_name}"}
                  for a in _attachments(dossier)],
    }


def _attachments(dossier: Dossier) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(
        Attachment.dossier_id == dossier.id, Attachment.removed_at.is_(None))
        .order_by(Attachment.id)))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({key: safe_cell(_flat(value)) for key, value in row.items()})
    return out.getvalue()


def _flat(value):
    value = jsonable(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def build(dossiers: list[Dossier], folder, email: str | None = None,
          subject: str = "") -> bytes:
    """Return the ZIP of everything about a person (by e-mail) or a whole group."""
    email = email.strip().lower() if email else None
    records = [_dossier_record(dossier, email) for dossier in dossiers]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", json.dumps(
            jsonable({"subject": subject, "exported_on": hub_today(), "dossiers": records}),
            ensure_ascii=False, indent=2))
        archive.writestr("dossiers.csv", _csv([
            {key: value for key, value in record.items()
             if key not in ("contacts", "interventions", "referrals", "financing",
                            "consents", "files", "history")} for record in records]))
        for table in ("contacts", "interventions", "referrals", "financing", "consents",
                      "files"):
            archive.writestr(f"{table}.csv", _csv([
                {"dossier": record["reference"], **row}
                for record in records for row in record[table]]))
        for dossier in dossiers:
            for attachment in _attachments(dossier):
                try:
                    with storage.open_file(attachment.stored_name) as stream:
                        content = stream.read()
                except storage.MissingFile:
                    continue
                archive.writestr(f"fichiers/{dossier.reference}/{attachment.id}-"
                                 f"{attachment.original_name}", content)
    return buffer.getvalue()


def pending_requests() -> list[AccessRequest]:
    """Return the access requests, unanswered first by due date."""
    return list(db.session.scalars(select(AccessRequest).order_by(
        AccessRequest.answered_on.is_not(None), AccessRequest.due_on, AccessRequest.id)))
