"""Reading a dossier's checklist: every active kind, with the dossier's item when it has one."""

from dataclasses import dataclass

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import object_session

from caseflow.documents.models import DONE_STATUSES, DocumentKind, DossierDocument
from caseflow.extensions import db


@dataclass
class ChecklistLine:
    kind: DocumentKind
    item: DossierDocument | None
    required: bool

    @property
    def status(self) -> str:
        return self.item.status if self.item else "todo"

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES


def kinds(session) -> list[DocumentKind]:
    """Return the active document kinds, in display order."""
    return list(session.scalars(select(DocumentKind).where(DocumentKind.active.is_(True))
                                .order_by(DocumentKind.position, DocumentKind.code)))


def checklist(dossier) -> list[ChecklistLine]:
    """Return the dossier's checklist: one line per active kind, plus retired kinds in use."""
    items = {item.kind_id: item for item in dossier.documents}
    legal_form = dossier.legal_form.code
    lines = [ChecklistLine(kind, items.pop(kind.id, None), legal_form in kind.required_for)
             for kind in kinds(object_session(dossier))]
    lines += [ChecklistLine(item.kind, item, legal_form in item.kind.required_for)
              for item in items.values()]
    return lines


def missing_required(dossier) -> list[str]:
    """Return the labels of required documents neither validated nor marked not applicable."""
    return [line.kind.label for line in checklist(dossier) if line.required and not line.done]


def kind_label(code: str | None) -> str:
    """Return a document kind's label by its code (read once per request), else the code."""
    if "document_kind_labels" not in g:
        g.document_kind_labels = {kind.code: kind.label for kind in db.session.scalars(
            select(DocumentKind))}
    return g.document_kind_labels.get(code, code or "")
