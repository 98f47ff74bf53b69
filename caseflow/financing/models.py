"""A dossier's financing lines: what was asked of which fund, and what was decided."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Fund, Organisation

# Each decision on a financing line, with its label.
DECISION_LABELS = {
    "pending": _l("En attente"),
    "authorised": _l("Autorisé"),
    "refused": _l("Refusé"),
    "withdrawn": _l("Retiré"),
}
DECISIONS = tuple(DECISION_LABELS)
# How far an application to a programme went (a ministry's call for projects counts them).
STAGE_LABELS = {
    "information": _l("Demande d'information"),
    "eligibility": _l("Demande d'admissibilité"),
    "filed": _l("Dossier déposé"),
    "recommended": _l("Recommandé"),
    "retained": _l("Retenu"),
    "refused": _l("Refusé après dépôt"),
}
STAGES = tuple(STAGE_LABELS)
MONEY = Numeric(12, 2)


class FinancingLine(db.Model):
    """One application to a fund or programme, and its decision."""

    __tablename__ = "financing_line"
    __table_args__ = (
        CheckConstraint(f"decision IN {DECISIONS!r}", name="decision"),
        CheckConstraint("amount_requested >= 0 AND (amount_authorised IS NULL OR "
                        "amount_authorised >= 0) AND investment >= 0", name="amounts"),
        CheckConstraint("jobs_created >= 0 AND jobs_maintained >= 0", name="jobs"),
        CheckConstraint(f"stage IS NULL OR stage IN {STAGES!r}", name="stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    amount_requested: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    amount_authorised: Mapped[Decimal | None] = mapped_column(MONEY)
    decision: Mapped[str] = mapped_column(String(20), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)
    investment: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    jobs_maintained: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    fund: Mapped[Fund] = relationship(lazy="joined", innerjoin=True)
    dossier: Mapped[Dossier] = relationship(backref=backref(
        "financing_lines", lazy="selectin", order_by="FinancingLine.id"))
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
