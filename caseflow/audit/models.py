"""Audit events, chained by HMAC, and the head of the chain that serialises appends."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.database import UTCDateTime
from caseflow.extensions import db


class AuditEvent(db.Model):
    """One change, as it was recorded in the same transaction as the change itself."""

    __tablename__ = "audit_event"
    # The audit viewer filters by action, organisation and date, newest first (keyset on seq).
    __table_args__ = (
        Index("ix_audit_event_action_seq", "action", "seq"),
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_actor_organisation_id", "actor_organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_organisation_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    dossier_id: Mapped[int | None] = mapped_column(Integer, index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


    def __repr__(self) -> str:
        return f"<AuditEvent {self.seq} {self.action} {self.entity_type}:{self.entity_id}>"


class AuditHead(db.Model):
    """The single row holding the last sequence number and hash of the chain.

    Every append updates it first, which makes concurrent appends wait for each other
    (a row lock on PostgreSQL, the write lock on SQLite) so the chain stays linear.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


class AuditPersonal(db.Model):
    """A personal value an audit event names by a sealed token instead of holding it.

    The chain hashes the token, never the value: retention deletes these rows for a dossier
    and every event stays exactly as it was hashed.
    """

    __tablename__ = "audit_personal"

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[object] = mapped_column(JSON)
