"""A referral of a dossier to an organisation, and the notes it carries; its lifecycle is
the table in `lifecycle.py`."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation
from caseflow.referrals.lifecycle import (
    DOSSIER_STATES,
    FINANCING_STATES,
    INITIAL,
    OPEN_STATES,
    PARTNER_STATES,
    STATES,
)

RESULTS = ("successful", "unsuccessful")


class Referral(db.Model):
    """The hub asks an organisation to take a dossier on; the organisation answers."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint(f"state IN {tuple(STATES)!r}", name="state"),
        CheckConstraint(f"result IS NULL OR result IN {RESULTS!r}", name="result"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text, default="")
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default=INITIAL, index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(String(20))
    result_note: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    dossier: Mapped[Dossier] = relationship(backref=backref(
        "referrals", lazy="selectin", order_by="Referral.id"))
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    sent_by: Mapped[User | None] = relationship(lazy="joined")
    notes: Mapped[list["ReferralNote"]] = relationship(
        back_populates="referral", lazy="selectin", order_by="ReferralNote.id")

    @property
    def is_open(self) -> bool:
        """Say whether the organisation still has the referral in hand."""
        return self.state in OPEN_STATES

    @property
    def partner_sees(self) -> bool:
        """Say whether the organisation still sees the referral and its dossier."""
        return self.state in PARTNER_STATES

    @property
    def dossier_shown(self) -> bool:
        """Say whether the organisation still sees the dossier's facts and people through it."""
        return self.state in DOSSIER_STATES

    @property
    def may_record_financing(self) -> bool:
        """Say whether the organisation may record a financing decision through it."""
        return self.state in FINANCING_STATES


class ReferralNote(db.Model):
    """A note on a referral, from the partner to the hub or the other way."""

    __tablename__ = "referral_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(lazy="joined")
