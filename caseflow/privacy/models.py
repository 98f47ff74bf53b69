"""What the hub keeps to meet Québec's privacy law (Law 25): consents, its privacy settings,
retention rules, access requests and the confidentiality-incident register."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation

# What a consent permits (FHIR Consent: provision.purpose with its data classes), written once.
PURPOSE_LABELS = {
    "share_contacts": _l("Transmettre les coordonnées du groupe à une organisation"),
    "share_documents": _l("Transmettre les documents et fichiers à une organisation"),
    "keep_beyond_term": _l("Conserver le dossier au-delà du délai de conservation"),
}
PURPOSES = tuple(PURPOSE_LABELS)
# The data each purpose covers, as the partner's view asks for it.
PURPOSE_DATA = {"share_contacts": "contacts", "share_documents": "documents"}
DATA_LABELS = {
    "share_contacts": _l("Noms, courriels et téléphones des personnes du groupe"),
    "share_documents": _l("Documents constitutifs et fichiers joints"),
    "keep_beyond_term": _l("Tout le dossier"),
}
# Purposes that need the organisation they permit.
WITH_ORGANISATION = ("share_contacts", "share_documents")

METHOD_LABELS = {
    "written": _l("Par écrit (formulaire signé)"),
    "email": _l("Par courriel"),
    "verbal": _l("De vive voix (rencontre ou appel)"),
    "referral": _l("Déclaré à l'envoi d'un référencement"),
    "migrated": _l("Repris de l'ancienne case « consentement »"),
}
METHODS = tuple(METHOD_LABELS)

STATUS_LABELS = {"active": _l("Donné"), "withdrawn": _l("Retiré")}
STATUSES = tuple(STATUS_LABELS)

REQUEST_KIND_LABELS = {
    "access": _l("Accès"),
    "portability": _l("Portabilité"),
    "rectification": _l("Rectification"),
}
REQUEST_KINDS = tuple(REQUEST_KIND_LABELS)
ANSWER_DAYS = 30  # the Act gives 30 days to answer


class Consent(db.Model):
    """A promoter group's consent for one purpose, shaped like a FHIR Consent resource."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(f"purpose IN {PURPOSES!r}", name="purpose"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint(f"method IN {METHODS!r}", name="method"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[str] = mapped_column(String(20), default="active")
    starts_on: Mapped[date] = mapped_column(Date, default=date.today)
    ends_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    dossier: Mapped[Dossier] = relationship()
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id],
                                                    lazy="joined")
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id],
                                                     lazy="joined")

    def covers(self, on: date) -> bool:
        """Say whether the consent is in force on a day."""
        return (self.status == "active" and self.starts_on <= on
                and (self.ends_on is None or on <= self.ends_on))


class PrivacySetting(db.Model):
    """One privacy setting of the hub (person in charge, policy text), by name."""

    __tablename__ = "privacy_setting"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class RetentionRule(db.Model):
    """How long a closed dossier with an outcome is kept before it is anonymised."""

    __tablename__ = "retention_rule"
    __table_args__ = (CheckConstraint("years >= 0 AND years <= 100", name="years"),)

    outcome: Mapped[str] = mapped_column(String(64), primary_key=True)
    years: Mapped[int] = mapped_column(Integer)


class AnonymisedDossier(db.Model):
    """A dossier whose personal information retention destroyed, and when."""

    __tablename__ = "anonymised_dossier"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), primary_key=True)
    anonymised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessRequest(db.Model):
    """A person's request to access or carry away their information, and its answer date."""

    __tablename__ = "access_request"
    __table_args__ = (CheckConstraint(f"kind IN {REQUEST_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    requester: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier | None] = relationship()


class ConfidentialityIncident(db.Model):
    """An entry of the register of confidentiality incidents the regulation requires."""

    __tablename__ = "confidentiality_incident"
    __table_args__ = (CheckConstraint("people_count >= 0", name="people_count"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    information: Mapped[str] = mapped_column(Text)  # the personal information concerned
    people_count: Mapped[int] = mapped_column(Integer, default=0)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    discovered_on: Mapped[date] = mapped_column(Date)
    circumstances: Mapped[str] = mapped_column(Text, default="")
    risk_assessment: Mapped[str] = mapped_column(Text, default="")
    serious_risk: Mapped[bool] = mapped_column(default=False)
    commission_notified_on: Mapped[date | None] = mapped_column(Date)
    people_notified_on: Mapped[date | None] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship(lazy="joined")
