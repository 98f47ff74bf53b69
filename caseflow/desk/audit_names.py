"""How each object of the audit log reads to a person: the dossier's reference and title, the
document's kind, the referral's organisation, the account's name. One query per kind of
object on a page, whatever the number of events."""

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.activities.models import Activity, Body, Project
from caseflow.auth.models import User
from caseflow.documents.models import Attachment, DocumentKind, DossierDocument
from caseflow.dossiers.models import Dossier
from caseflow.enterprises.models import Enterprise
from caseflow.extensions import db
from caseflow.financing.models import FinancingLine
from caseflow.reference.models import REFERENCE_LISTS, Fund, Organisation
from caseflow.referrals.models import Referral, ReferralNote
from caseflow.templating import label


def _dossiers(ids) -> dict:
    return {i: f"{reference} — {title}" for i, reference, title in db.session.execute(
        select(Dossier.id, Dossier.reference, Dossier.title).where(Dossier.id.in_(ids)))}


def _documents(ids) -> dict:
    return {i: _("Document : %(kind)s", kind=label(kind)) for i, kind in db.session.execute(
        select(DossierDocument.id, DocumentKind).join(DocumentKind, DocumentKind.id ==
                                                      DossierDocument.kind_id)
        .where(DossierDocument.id.in_(ids)))}


def _attachments(ids) -> dict:
    return {i: _("Pièce jointe : %(kind)s", kind=label(kind)) for i, kind in db.session.execute(
        select(Attachment.id, DocumentKind)
        .join(DossierDocument, DossierDocument.id == Attachment.document_id)
        .join(DocumentKind, DocumentKind.id == DossierDocument.kind_id)
        .where(Attachment.id.in_(ids)))}


def _financing(ids) -> dict:
    rows = db.session.execute(
        select(FinancingLine.id, Fund, Organisation.name)
        .join(Fund, Fund.id == FinancingLine.fund_id)
        .outerjoin(Organisation, Organisation.id == FinancingLine.organisation_id)
        .where(FinancingLine.id.in_(ids)))
    return {i: _("Financement : %(fund)s", fund=label(fund)) + (f" ({name})" if name else "")
            for i, fund, name in rows}


def _referrals(ids) -> dict:
    return {i: _("Référencement à %(organisation)s", organisation=name)
            for i, name in db.session.execute(
                select(Referral.id, Organisation.name)
                .join(Organisation, Organisation.id == Referral.organisation_id)
                .where(Referral.id.in_(ids)))}


def _referral_notes(ids) -> dict:
    return {i: _("Note au référencement à %(organisation)s", organisation=name)
            for i, name in db.session.execute(
                select(ReferralNote.id, Organisation.name)
                .join(Referral, Referral.id == ReferralNote.referral_id)
                .join(Organisation, Organisation.id == Referral.organisation_id)
                .where(ReferralNote.id.in_(ids)))}


def _users(ids) -> dict:
    return {user.id: _("Compte : %(name)s", name=user.display_name)
            for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _kinds(ids) -> dict:
    return {kind.id: _("Type de document : %(kind)s", kind=label(kind))
            for kind in db.session.scalars(select(DocumentKind).where(DocumentKind.id.in_(ids)))}


def _organisations(ids) -> dict:
    return {i: _("Organisation : %(name)s", name=name) for i, name in db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))}


def _reference_list(model):
    def names(ids) -> dict:
        return {item.id: f"{label(item)} ({item.code})"
                for item in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return names


def _activities(ids) -> dict:
    return {i: _("Activité : %(title)s (%(day)s)", title=title, day=day.isoformat())
            for i, title, day in db.session.execute(
                select(Activity.id, Activity.title, Activity.occurred_on)
                .where(Activity.id.in_(ids)))}


def _projects(ids) -> dict:
    return {i: _("Projet : %(name)s", name=name) for i, name in db.session.execute(
        select(Project.id, Project.name).where(Project.id.in_(ids)))}


def _enterprises(ids) -> dict:
    return {i: _("Entreprise : %(name)s", name=name) for i, name in db.session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids)))}


NAMERS = {
    "dossier_document": _documents, "attachment": _attachments,
    "financing_line": _financing, "referral": _referrals, "referral_note": _referral_notes,
    "user": _users, "document_kind": _kinds, "organisation": _organisations,
    **{name: _reference_list(model) for name, model in REFERENCE_LISTS.items()},
    "activity_body": _reference_list(Body), "activity": _activities, "project": _projects,
    "enterprise": _enterprises,
}
ENTITY_LABELS = {"intervention": lambda: _("Intervention"),
                 "published_report": lambda: _("Bilan publié")}


def object_names(events) -> dict[int, tuple[str | None, str | None]]:
    """Return, per event id, (the dossier as read, the object as read) for a page of events."""
    dossier_ids = {e.dossier_id for e in events if e.dossier_id}
    dossiers = _dossiers(dossier_ids) if dossier_ids else {}
    wanted: dict[str, set] = {}
    for event in events:
        if event.entity_type in NAMERS and event.entity_id is not None:
            wanted.setdefault(event.entity_type, set()).add(event.entity_id)
    found = {kind: NAMERS[kind](ids) for kind, ids in wanted.items()}
    names = {}
    for event in events:
        dossier = dossiers.get(event.dossier_id) if event.dossier_id else None
        if event.entity_type == "dossier":
            thing = None
        elif event.entity_type in found:
            thing = found[event.entity_type].get(event.entity_id) or \
                f"{event.entity_type} {event.entity_id} ({_('supprimé')})"
        elif event.entity_type in ENTITY_LABELS:
            thing = ENTITY_LABELS[event.entity_type]()
        else:
            thing = f"{event.entity_type} {event.entity_id or ''}".strip()
        names[event.id] = (dossier, thing)
    return names


def actor_names(events) -> dict[int, str]:
    """Return each actor's name with their organisation, for a page of events."""
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    return {user.id: user.display_name
            for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
