"""Retention: dossiers past their term are anonymised, files destroyed, statistics kept.

A closed dossier is kept the years its outcome's rule says (the default term otherwise),
counted from the day it was closed, unless the group consented to a longer keeping. What
identifies people goes: names, e-mails, phones, free-text notes and reasons, files (on disk
too) and the personal values the audit log kept aside; what the annual report counts stays:
territory, sector, stage, legal form, gender, interventions and their subjects and minutes,
referrals and their dates, financing amounts, jobs.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select

from caseflow.audit import personal
from caseflow.audit.services import record
from caseflow.database import hub_today, utcnow
from caseflow.documents import storage
from caseflow.documents.models import Attachment
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.workflows import definition
from caseflow.extensions import db
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.privacy import consents, settings
from caseflow.privacy.models import AccessRequest, AnonymisedDossier
from caseflow.referrals.models import ReferralNote
from caseflow.workflow.engine import UnknownWorkflow

ANONYMOUS_TITLE = "Dossier anonymisé"


@dataclass(frozen=True)
class Due:
    """A dossier past its retention term."""

    dossier: Dossier
    closed_on: date
    years: int
    due_on: date


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29th
        return day.replace(year=day.year + years, day=28)


def _is_final(dossier: Dossier) -> bool:
    try:
        state = definition(dossier.workflow).states.get(dossier.state)
    except UnknownWorkflow:
        return False
    return bool(state and state.final)


def due(today: date | None = None) -> list[Due]:
    """List the closed dossiers past their term, not yet anonymised, oldest first."""
    today = today or hub_today()
    rules = settings.rules()
    done = select(AnonymisedDossier.dossier_id)
    found = []
    for dossier in db.session.scalars(select(Dossier).where(Dossier.id.not_in(done))
                                      .order_by(Dossier.state_entered_at, Dossier.id)):
        if not _is_final(dossier):
            continue
        years = rules.get(dossier.outcome or "", settings.DEFAULT_YEARS)
        closed_on = dossier.state_entered_at.date()
        due_on = _add_years(closed_on, years)
        if due_on > today or consents.in_force(dossier.id, "keep_beyond_term", on=today):
            continue
        found.append(Due(dossier, closed_on, years, due_on))
    return found


def removed_files_due(now: datetime | None = None) -> list[Attachment]:
    """List the files withdrawn from checklists longer ago than the setting allows."""
    days = int(settings.values()["removed_files_days"])
    limit = (now or utcnow()) - timedelta(days=days)
    return list(db.session.scalars(select(Attachment).where(
        Attachment.removed_at.is_not(None), Attachment.removed_at <= limit)))


def _erase_attachment(attachment: Attachment, folder) -> None:
    # Through the documents slice's storage: the file goes from disk and from the database.
    storage.delete_file(attachment.stored_name)
    db.session.delete(attachment)


def anonymise(dossier: Dossier, folder, actor=None) -> dict:
    """Destroy a dossier's personal information and files; keep what statistics count."""
    counts = {"contacts": len(dossier.contacts), "files": 0, "notes": 0}
    dossier.title = ANONYMOUS_TITLE
    dossier.description = ""
    dossier.promoter_name = ""
    dossier.contacts.clear()
    for intervention in dossier.interventions:
        if intervention.notes:
            counts["notes"] += 1
        intervention.notes = ""
    for line in dossier.financing_lines:
        line.notes = ""
    referral_ids = []
    for referral in dossier.referrals:
        referral_ids.append(referral.id)
        referral.reason, referral.request = "", ""
        for column in ("return_reason", "result_note", "withdraw_reason"):
            if getattr(referral, column):
                setattr(referral, column, "")
    if referral_ids:
        counts["notes"] += db.session.execute(delete(ReferralNote).where(
            ReferralNote.referral_id.in_(referral_ids))).rowcount or 0
    for attachment in db.session.scalars(select(Attachment).where(
            Attachment.dossier_id == dossier.id)):
        _erase_attachment(attachment, folder)
        counts["files"] += 1
    notices = select(Notification.id).where(or_(
        Notification.dossier_id == dossier.id,
        Notification.referral_id.in_(referral_ids or [-1])))
    db.session.execute(delete(OutgoingEmail).where(OutgoingEmail.notification_id.in_(notices)))
    db.session.execute(delete(Notification).where(Notification.id.in_(notices)))
    db.session.execute(delete(AccessRequest).where(AccessRequest.dossier_id == dossier.id))
    counts["audit_values"] = personal.purge(dossier.id)
    db.session.add(AnonymisedDossier(dossier_id=dossier.id))
    dossier.touch()
    db.session.flush()
    record("dossier.anonymised", "dossier", dossier.id, actor=actor, dossier_id=dossier.id,
           changes=counts)
    return counts


@dataclass
class Outcome:
    """What one run of the retention rules did (or would do, in a dry run)."""

    dossiers: list[Due]
    removed_files: int


def apply(folder, actor=None, today: date | None = None, dry_run: bool = False) -> Outcome:
    """Anonymise every dossier past its term and destroy old removed files (flushes)."""
    dossiers = due(today)
    old_files = removed_files_due()
    if not dry_run:
        for entry in dossiers:
            anonymise(entry.dossier, folder, actor)
        for attachment in old_files:
            dossier_id = attachment.dossier_id
            _erase_attachment(attachment, folder)
            db.session.flush()
            record("attachment.destroyed", "attachment", attachment.id, actor=actor,
                   dossier_id=dossier_id, changes={"reason": "retention"})
        db.session.flush()
    return Outcome(dossiers, len(old_files))


def anonymised_ids() -> set[int]:
    """Return the ids of the dossiers already anonymised."""
    return set(db.session.scalars(select(AnonymisedDossier.dossier_id)))
