"""In-app notifications and the outbox of e-mails waiting to be sent."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db

# "held": no mail server is configured; the e-mail stays in the outbox for the coordinator.
EMAIL_STATUSES = ("pending", "sent", "failed", "held")


class Notification(db.Model):
    """One notice for one user: what happened (kind), on which dossier or referral."""

    __tablename__ = "notification"
    # The navbar counts a user's unread notices on every page: from these entries alone, however
    # many the user has read.
    __table_args__ = (
        Index("ix_notification_unread", "user_id", sqlite_where=text("read_at IS NULL"),
              postgresql_where=text("read_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    # No foreign key: the referral table belongs to another slice and may come later.
    referral_id: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    dossier: Mapped[Dossier | None] = relationship()

    @property
    def unread(self) -> bool:
        """Say whether the user has not marked this notification read yet."""
        return self.read_at is None

    def __repr__(self) -> str:
        return f"<Notification {self.kind} user={self.user_id}>"


class OutgoingEmail(db.Model):
    """An e-mail in the outbox: queued in the request's transaction, sent after it."""

    __tablename__ = "outgoing_email"
    __table_args__ = (
        CheckConstraint(f"status IN {EMAIL_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notification: Mapped[Notification | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutgoingEmail {self.id} {self.status} to={self.to_address}>"
