"""Document kinds (a reference list), each dossier's checklist, and attached files."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import ReferenceItem

# Each status of a checklist item: its label and its badge.
STATUS_LABELS = {
    "todo": _l("À faire"),
    "draft": _l("Ébauche reçue"),
    "review": _l("En révision"),
    "validated": _l("Validé"),
    "not_applicable": _l("Sans objet"),
}
STATUS_CLASSES = {
    "todo": "text-bg-light border", "draft": "text-bg-info", "review": "text-bg-warning",
    "validated": "text-bg-success", "not_applicable": "text-bg-secondary",
}
DOCUMENT_STATUSES = tuple(STATUS_LABELS)
DONE_STATUSES = ("validated", "not_applicable")


class DocumentKind(ReferenceItem, db.Model):
    """A kind of constitution document; `required_for` lists the legal forms that need it."""

    __tablename__ = "document_kind"

    required_for: Mapped[list] = mapped_column(JSON, default=list)


class DossierDocument(db.Model):
    """One item of a dossier's checklist."""

    __tablename__ = "dossier_document"
    __table_args__ = (
        UniqueConstraint("dossier_id", "kind_id"),
        CheckConstraint(f"status IN {DOCUMENT_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("document_kind.id"))
    status: Mapped[str] = mapped_column(String(20), default="todo")
    due_on: Mapped[date | None] = mapped_column(Date)

    kind: Mapped[DocumentKind] = relationship(lazy="joined", innerjoin=True)
    dossier: Mapped[Dossier] = relationship(backref=backref(
        "documents", lazy="selectin", order_by="DossierDocument.id"))
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="document", lazy="selectin",
        order_by="Attachment.uploaded_at.desc(), Attachment.id.desc()")


class Attachment(db.Model):
    """A file uploaded to a checklist item; kept on disk under a generated name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("dossier_document.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    document: Mapped[DossierDocument] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id],
                                                    lazy="joined")
