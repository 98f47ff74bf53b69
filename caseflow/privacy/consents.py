"""Consents: recorded per purpose, withdrawn at once, and the rule the partner's view obeys."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from caseflow.audit.services import record
from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.services import check_version, flush_or_conflict
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.privacy.models import (
    METHODS,
    PURPOSE_DATA,
    PURPOSES,
    WITH_ORGANISATION,
    Consent,
)
from caseflow.reference.models import Organisation


@dataclass
class ConsentFields:
    purpose: str
    organisation: Organisation | None
    method: str
    starts_on: date | None = None
    ends_on: date | None = None


def _snapshot(consent: Consent) -> dict:
    return {"purpose": consent.purpose, "status": consent.status,
            "organisation": consent.organisation.code if consent.organisation else None,
            "method": consent.method, "starts_on": consent.starts_on,
            "ends_on": consent.ends_on}


def record_consent(dossier: Dossier, actor: User, expected_version: int | None,
                   fields: ConsentFields) -> Consent:
    """Record the promoter group's consent for one purpose, as of its first day."""
    if actor.role not in STAFF:
        raise DomainError(_("Seul le Pôle consigne les consentements."))
    check_version(dossier, expected_version)
    if fields.purpose not in PURPOSES:
        raise DomainError(_("Choisissez la fin à laquelle le groupe consent."), "purpose")
    if fields.method not in METHODS:
        raise DomainError(_("Indiquez comment le consentement a été obtenu."), "method")
    if fields.purpose in WITH_ORGANISATION and fields.organisation is None:
        raise DomainError(_("Choisissez l'organisation à qui le groupe permet de transmettre "
                            "ses renseignements."), "organisation")
    starts_on = fields.starts_on or hub_today()
    if fields.ends_on is not None and fields.ends_on < starts_on:
        raise DomainError(_("La fin de la période précède son début."), "ends_on")
    organisation_id = fields.organisation.id if fields.purpose in WITH_ORGANISATION else None
    if fields.ends_on is None and starts_on <= hub_today() and in_force(
            dossier.id, fields.purpose, organisation_id, exact=True):
        raise DomainError(_("Ce consentement est déjà consigné et en vigueur."), "purpose")
    consent = Consent(dossier_id=dossier.id, purpose=fields.purpose,
                      organisation=fields.organisation
                      if fields.purpose in WITH_ORGANISATION else None,
                      status="active", starts_on=starts_on, ends_on=fields.ends_on,
                      method=fields.method, recorded_by=actor)
    db.session.add(consent)
    dossier.touch()
    flush_or_conflict(dossier)
    record("consent.given", "consent", consent.id, actor=actor, dossier_id=dossier.id,
           changes={name: [None, value] for name, value in _snapshot(consent).items()})
    return consent


def withdraw_consent(consent: Consent, actor: User, expected_version: int | None) -> Consent:
    """Withdraw a consent: from this moment the partner's view loses what it covered."""
    if actor.role not in STAFF:
        raise DomainError(_("Seul le Pôle consigne les consentements."))
    dossier = consent.dossier
    check_version(dossier, expected_version)
    if consent.status == "withdrawn":
        raise DomainError(_("Ce consentement est déjà retiré."))
    consent.status, consent.withdrawn_at, consent.withdrawn_by = "withdrawn", utcnow(), actor
    dossier.touch()
    flush_or_conflict(dossier)
    record("consent.withdrawn", "consent", consent.id, actor=actor, dossier_id=dossier.id,
           changes={"purpose": consent.purpose, "status": ["active", "withdrawn"],
                    "organisation": consent.organisation.code if consent.organisation
                    else None})
    return consent


def from_referral(referral, actor: User) -> None:
    """Turn the consent declared when sending a referral into a consent record."""
    if not referral.consent_to_share:
        return
    consent = Consent(dossier_id=referral.dossier_id, purpose="share_contacts",
                      organisation_id=referral.organisation_id, status="active",
                      starts_on=hub_today(), method="referral", recorded_by=actor)
    db.session.add(consent)
    db.session.flush()
    record("consent.given", "consent", consent.id, actor=actor,
           dossier_id=referral.dossier_id,
           changes={"purpose": [None, "share_contacts"], "status": [None, "active"],
                    "organisation": [None, referral.organisation.code],
                    "method": [None, "referral"]})


def of_dossier(dossier: Dossier) -> list[Consent]:
    """Return a dossier's consents, in force first, newest first."""
    return list(db.session.scalars(
        select(Consent).where(Consent.dossier_id == dossier.id)
        .order_by(Consent.status, Consent.recorded_at.desc(), Consent.id.desc())))


def in_force(dossier_id: int, purpose: str, organisation_id: int | None = None,
             on: date | None = None, exact: bool = False) -> bool:
    """Say whether a consent for a purpose (with that organisation) is in force on a day;
    `exact` asks for one without an end, with exactly that organisation (or none)."""
    on = on or hub_today()
    query = select(Consent.id).where(
        Consent.dossier_id == dossier_id, Consent.purpose == purpose,
        Consent.status == "active", Consent.starts_on <= on,
        or_(Consent.ends_on.is_(None), Consent.ends_on >= on))
    if exact:
        query = query.where(Consent.ends_on.is_(None), Consent.organisation_id.is_(None)
                            if organisation_id is None
                            else Consent.organisation_id == organisation_id)
    elif organisation_id is not None:
        query = query.where(Consent.organisation_id == organisation_id)
    return db.session.scalar(query.limit(1)) is not None


def partner_shares(user: User, dossier: Dossier) -> frozenset:
    """Return the personal data of a dossier the partner's organisation may be given now."""
    return frozenset(data for purpose, data in PURPOSE_DATA.items()
                     if in_force(dossier.id, purpose, user.organisation_id))
