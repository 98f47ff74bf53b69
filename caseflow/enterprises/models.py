"""The directory of the region's social-economy enterprises: records that outlive a dossier."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import LegalForm, Sector, Territory

STATUS_LABELS = {
    "active": _l("Active"),
    "project": _l("En démarrage (groupe promoteur)"),
    "closed": _l("Fermée"),
}
STATUSES = tuple(STATUS_LABELS)

# A dossier belongs to at most one enterprise; an enterprise may have many dossiers.
enterprise_dossier = Table(
    "enterprise_dossier", db.metadata,
    Column("dossier_id", ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True),
    Column("enterprise_id", ForeignKey("enterprise.id", ondelete="CASCADE"), index=True,
           nullable=False),
)


class Enterprise(db.Model):
    """A social-economy enterprise of the region (or a promoter group before it exists)."""

    __tablename__ = "enterprise"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint("founded_year IS NULL OR (founded_year >= 1800 AND "
                        "founded_year <= 2100)", name="founded_year"),
        CheckConstraint("(board_women IS NULL OR board_women >= 0) AND "
                        "(board_men IS NULL OR board_men >= 0) AND "
                        "(team_women IS NULL OR team_women >= 0) AND "
                        "(team_men IS NULL OR team_men >= 0)", name="composition"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # The Québec enterprise number (NEQ), ten digits, when known.
    neq: Mapped[str | None] = mapped_column(String(10), unique=True)
    legal_form_id: Mapped[int | None] = mapped_column(ForeignKey("legal_form.id"))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"), index=True)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The group's composition, women and men, on the board and in the team (None: unknown).
    board_women: Mapped[int | None] = mapped_column(Integer)
    board_men: Mapped[int | None] = mapped_column(Integer)
    team_women: Mapped[int | None] = mapped_column(Integer)
    team_men: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    legal_form: Mapped[LegalForm | None] = relationship(lazy="joined")
    territory: Mapped[Territory | None] = relationship(lazy="joined")
    sector: Mapped[Sector | None] = relationship(lazy="joined")
    dossiers: Mapped[list[Dossier]] = relationship(secondary=enterprise_dossier,
                                                   lazy="selectin", order_by=Dossier.id)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Enterprise {self.id} {self.name}>"
