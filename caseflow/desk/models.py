"""What the coordinator's desk keeps: saved filters per person, and the audit chain checks."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier, Intervention
from caseflow.extensions import db
from caseflow.referrals.models import Referral

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


# The dashboard's indexes, on the tables it counts (declared here, by the page that needs
# them; the migration perfdesk0001 creates them). Checked with EXPLAIN on SQLite and PostgreSQL.
_OPEN = Dossier.__table__.c.outcome.is_(None)
_DOSSIER = Dossier.__table__.c
#: Open dossiers only (a third of them at 100 000), in the order the dashboard groups them
#: per advisor and state: that grouped count reads this index alone, in order (no sort), and
#: an advisor's own dashboard reads only their part of it. `outcome` is there for SQLite to
#: see the index covering the query.
DASHBOARD_OPEN_DOSSIERS = Index(
    "ix_dossier_open_groups", _DOSSIER.advisor_id, _DOSSIER.state, _DOSSIER.territory_id,
    _DOSSIER.sector_id, _DOSSIER.opened_on, _DOSSIER.next_follow_up, _DOSSIER.state_entered_at,
    _DOSSIER.outcome, sqlite_where=_OPEN, postgresql_where=_OPEN)
#: Open dossiers per territory and sector, in that order, from the index alone.
DASHBOARD_OPEN_PLACES = Index(
    "ix_dossier_open_places", _DOSSIER.territory_id, _DOSSIER.sector_id, _DOSSIER.opened_on,
    _DOSSIER.advisor_id, _DOSSIER.outcome, sqlite_where=_OPEN, postgresql_where=_OPEN)
#: "The longest at the same step": walked in order, stopping at ten.
DASHBOARD_LONGEST = Index("ix_dossier_open_age", _DOSSIER.state_entered_at, _DOSSIER.id,
                          sqlite_where=_OPEN, postgresql_where=_OPEN)
#: Interventions and hours per author in a period, from the index alone.
DASHBOARD_INTERVENTIONS = Index(
    "ix_intervention_period_author", Intervention.__table__.c.occurred_on,
    Intervention.__table__.c.author_id, Intervention.__table__.c.minutes)
#: Referrals waiting for an answer, per organisation, from the index alone.
DASHBOARD_WAITING = Index(
    "ix_referral_waiting", Referral.__table__.c.state, Referral.__table__.c.sent_at,
    Referral.__table__.c.organisation_id, Referral.__table__.c.dossier_id)
