"""The dossier, its promoter contacts, its interventions and protocol objectives."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.extensions import db
from caseflow.reference.models import (
    LegalForm,
    Origin,
    PromoterGender,
    Sector,
    Stage,
    Subject,
    Territory,
)

# Each kind of intervention, with its label.
INTERVENTION_KIND_LABELS = {
    "meeting": _l("Rencontre"),
    "call": _l("Appel"),
    "email": _l("Courriel"),
    "workshop": _l("Atelier"),
    "other": _l("Autre"),
}
INTERVENTION_KINDS = tuple(INTERVENTION_KIND_LABELS)


class Counter(db.Model):
    """A named sequence (e.g. dossier references of a year), incremented under a row lock."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Dossier(db.Model):
    """One promoter group's request for accompaniment, moving through a workflow."""

    __tablename__ = "dossier"
    __table_args__ = (
        CheckConstraint("women_count >= 0 AND men_count >= 0", name="group_counts"),
        # The caseload's default order (newest change first), alone, after the advisor
        # ("Mes dossiers") and after the state: a page is read from the index, in order.
        Index("ix_dossier_updated", "updated_at", "id"),
        Index("ix_dossier_advisor_updated", "advisor_id", "updated_at", "id"),
        Index("ix_dossier_state_updated", "state", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    promoter_name: Mapped[str] = mapped_column(String(200), default="")
    promoter_gender_id: Mapped[int] = mapped_column(ForeignKey("promoter_gender.id"))
    women_count: Mapped[int] = mapped_column(Integer, default=0)
    men_count: Mapped[int] = mapped_column(Integer, default=0)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    legal_form_id: Mapped[int] = mapped_column(ForeignKey("legal_form.id"))
    origin_id: Mapped[int] = mapped_column(ForeignKey("origin.id"))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    workflow: Mapped[str] = mapped_column(String(64))
    workflow_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(64))
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    # What the advisor expects at the next follow-up ("un retour est attendu...").
    follow_up_note: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str | None] = mapped_column(String(64))
    opened_on: Mapped[date] = mapped_column(Date, default=date.today)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    promoter_gender: Mapped[PromoterGender] = relationship(lazy="joined", innerjoin=True)
    territory: Mapped[Territory] = relationship(lazy="joined", innerjoin=True)
    sector: Mapped[Sector] = relationship(lazy="joined", innerjoin=True)
    stage: Mapped[Stage] = relationship(lazy="joined", innerjoin=True)
    legal_form: Mapped[LegalForm] = relationship(lazy="joined", innerjoin=True)
    origin: Mapped[Origin] = relationship(lazy="joined", innerjoin=True)
    advisor: Mapped[User | None] = relationship(lazy="joined")
    contacts: Mapped[list["PromoterContact"]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", lazy="selectin",
        order_by="PromoterContact.position")
    interventions: Mapped[list["Intervention"]] = relationship(
        back_populates="dossier", lazy="selectin",
        order_by="(Intervention.occurred_on.desc(), Intervention.id.desc())")
    objectives: Mapped[list["DossierObjective"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DossierObjective.code")
    # The slices built on dossiers add their own collections (documents, financing_lines,
    # referrals) from their models, as backrefs: a dossier does not know them.

    @property
    def protocol_objectives(self) -> list[str]:
        """Codes of the protocol objectives this dossier served."""
        return [objective.code for objective in self.objectives]

    def touch(self) -> None:
        """Mark the dossier changed, so its version moves when a part of it is written."""
        self.updated_at = utcnow()

    def __repr__(self) -> str:
        return f"<Dossier {self.reference} {self.state}>"


class PromoterContact(db.Model):
    """A contact person of the promoter group."""

    __tablename__ = "promoter_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    dossier: Mapped[Dossier] = relationship(back_populates="contacts")


class DossierObjective(db.Model):
    """A protocol objective a dossier served (codes come from its workflow definition)."""

    __tablename__ = "dossier_objective"
    __table_args__ = (UniqueConstraint("dossier_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))


intervention_subject = Table(
    "intervention_subject",
    db.metadata,
    Column("intervention_id", ForeignKey("intervention.id", ondelete="CASCADE"),
           primary_key=True),
    Column("subject_id", ForeignKey("subject.id"), primary_key=True),
)


class Intervention(db.Model):
    """One service episode on a dossier: a meeting, a call, an e-mail..."""

    __tablename__ = "intervention"
    __table_args__ = (
        CheckConstraint(f"kind IN {INTERVENTION_KINDS!r}", name="kind"),
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Internal notes stay with the hub; partners see the intervention without them.
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="interventions")
    author: Mapped[User | None] = relationship(lazy="joined")
    subjects: Mapped[list[Subject]] = relationship(
        secondary=intervention_subject, lazy="selectin", order_by=Subject.position)


# The audit actions that may carry a dossier's change of state: a transition, or a migration
# to a new version of its workflow.
STATE_CHANGES = ("dossier.transition", "dossier.migrated")


class UnauditedStateChange(RuntimeError):
    """A dossier's state was about to change without its audit event: a programming error."""


@event.listens_for(Session, "before_flush")
def _refuse_unaudited_state_change(session, _flush_context, _instances) -> None:
    """Refuse to write a dossier's new state unless its transition event is written with it."""
    from caseflow.audit.models import AuditEvent

    for dossier in session.dirty:
        if not isinstance(dossier, Dossier):
            continue
        if not inspect(dossier).attrs.state.history.has_changes():
            continue
        audited = any(isinstance(item, AuditEvent) and item.dossier_id == dossier.id
                      and item.action in STATE_CHANGES for item in session.new)
        if not audited:
            raise UnauditedStateChange(
                f"dossier {dossier.reference}: state changed without its audit event")
