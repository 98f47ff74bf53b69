"""Changing a dossier's checklist and its files; each change is audited and bumps the dossier."""

from datetime import date
from io import BytesIO
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import utcnow
from caseflow.documents import files, storage
from caseflow.documents.models import DOCUMENT_STATUSES, Attachment, DocumentKind, DossierDocument
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.services import check_version, flush_or_conflict
from caseflow.errors import DomainError
from caseflow.extensions import db


def _item(dossier: Dossier, kind: DocumentKind) -> DossierDocument:
    for item in dossier.documents:
        if item.kind_id == kind.id:
            return item
    item = DossierDocument(dossier_id=dossier.id, kind=kind, status="todo")
    dossier.documents.append(item)
    return item


def set_status(dossier: Dossier, actor: User, expected_version: int | None,
               kind: DocumentKind, status: str, due_on: date | None) -> dict:
    """Set a checklist item's status and due date."""
    check_version(dossier, expected_version)
    if status not in DOCUMENT_STATUSES:
        raise DomainError(_("Statut inconnu."), "status")
    item = _item(dossier, kind)
    before = {"status": item.status if item.id else None, "due_on": item.due_on}
    item.status, item.due_on = status, due_on
    after = {"status": status, "due_on": due_on}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        dossier.touch()
        flush_or_conflict(dossier)
        record("document.updated", "dossier_document", item.id, actor=actor,
               dossier_id=dossier.id, changes={"document": kind.code, **changes})
        flush_or_conflict(dossier)
    return changes


def attach(dossier: Dossier, actor: User, expected_version: int | None, kind: DocumentKind,
           filename: str, content: bytes, store: "storage.Storage | Path | None",
           limit: int) -> Attachment:
    """Keep an uploaded file on a checklist item, after checking what it really is.

    `store` is where the file goes: a storage, a local folder, or None for the configured one.
    """
    check_version(dossier, expected_version)
    if not content:
        raise DomainError(_("Le fichier est vide."), "file")
    if len(content) > limit:
        raise DomainError(_("Le fichier dépasse la taille permise (%(size)d Mo).",
                            size=limit // (1024 * 1024)), "file")
    detected = files.detect(content)
    if detected is None:
        raise DomainError(_("Type de fichier refusé. Formats acceptés : PDF, DOCX, XLSX, ODT, "
                            "ODS, PNG, JPEG, TXT et CSV."), "file")
    item = _item(dossier, kind)
    if item.status == "todo":
        item.status = "draft"
    if store is None:
        store = storage.configured()
    elif isinstance(store, Path):
        store = storage.LocalStorage(store)
    kept = store.save(BytesIO(content))
    stored_name, digest = kept.name, kept.sha256
    attachment = Attachment(dossier_id=dossier.id, document=item,
                            original_name=files.safe_name(filename, detected.extension),
                            stored_name=stored_name, content_type=detected.content_type,
                            size=len(content), sha256=digest, uploaded_by=actor)
    db.session.add(attachment)
    dossier.touch()
    flush_or_conflict(dossier)
    record("attachment.added", "attachment", attachment.id, actor=actor, dossier_id=dossier.id,
           changes={"document": kind.code, "name": attachment.original_name,
                    "type": detected.extension, "size": len(content), "sha256": digest,
                    "status": item.status})
    flush_or_conflict(dossier)
    return attachment


def remove(attachment: Attachment, actor: User, dossier: Dossier,
           expected_version: int | None) -> None:
    """Withdraw a file from the checklist; the file stays on disk until retention removes it."""
    check_version(dossier, expected_version)
    if attachment.removed_at is not None:
        raise DomainError(_("Ce fichier a déjà été retiré."))
    attachment.removed_at, attachment.removed_by_id = utcnow(), actor.id
    dossier.touch()
    flush_or_conflict(dossier)
    record("attachment.removed", "attachment", attachment.id, actor=actor,
           dossier_id=dossier.id, changes={"name": attachment.original_name,
                                           "sha256": attachment.sha256})
    flush_or_conflict(dossier)


def code_taken(code: str) -> bool:
    """Say whether a document kind already has this code."""
    return db.session.scalar(select(DocumentKind.id).where(DocumentKind.code == code)) is not None


def add_kind(actor: User, code: str, label_fr: str, label_en: str, active: bool,
             required_for: list[str]) -> DocumentKind:
    """Add a document kind to the checklists; a code is taken once."""
    code = code.strip()
    if code_taken(code):
        raise DomainError(_("Ce code existe déjà."), "code")
    position = (db.session.scalar(select(func.max(DocumentKind.position))) or 0) + 1
    kind = DocumentKind(code=code, label_fr=label_fr.strip(), label_en=label_en.strip(),
                        position=position, active=active, required_for=required_for)
    db.session.add(kind)
    db.session.flush()
    record("document_kind.created", "document_kind", kind.id, actor=actor,
           changes={"code": [None, code], "label_fr": [None, kind.label_fr],
                    "required_for": [None, kind.required_for]})
    return kind


def toggle_kind(kind: DocumentKind, actor: User) -> DocumentKind:
    """Retire a document kind from new checklists, or bring it back."""
    kind.active = not kind.active
    record("document_kind.updated", "document_kind", kind.id, actor=actor,
           changes={"active": [not kind.active, kind.active]})
    return kind
