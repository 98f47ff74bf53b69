"""What the coordinator's desk keeps: saved filters per person, and the audit chain checks."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.database import UTCDateTime, utcnow
from caseflow.extensions import db

#: The lists whose filters a person may save, by the name their page uses.
FILTERED_LISTS = ("caseload", "interventions", "audit")


class SavedFilter(db.Model):
    """A named set of filters of one list, saved by one person (the query string as typed)."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("user_id", "list_name", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditCheck(db.Model):
    """One walk of the audit chain asked from the audit viewer, with its progress and result."""

    __tablename__ = "audit_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    ok: Mapped[bool | None] = mapped_column(Boolean)
    first_bad_seq: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(Text)
