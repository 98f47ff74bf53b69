"""A published report: the figures of a period as the coordinator published them."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier, Intervention
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


#: The report counts a period's interventions by dossier from this index alone.
REPORT_INTERVENTIONS = Index("ix_intervention_period_dossier",
                             Intervention.__table__.c.occurred_on,
                             Intervention.__table__.c.dossier_id)
#: The protocols' dossiers, set apart from the main tables.
REPORT_WORKFLOWS = Index("ix_dossier_workflow", Dossier.__table__.c.workflow)
