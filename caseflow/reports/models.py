"""A published report: the figures of a period as the coordinator published them."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.extensions import db


class PublishedReport(db.Model):
    """Figures frozen at publication; today's data may since have moved."""

    __tablename__ = "published_report"
    __table_args__ = (UniqueConstraint("start", "end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    published_by: Mapped[User | None] = relationship(lazy="joined")
