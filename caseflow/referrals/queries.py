"""Reading referrals: the hub's list with its filters, turnaround, and a partner's inbox."""

from datetime import timedelta
from statistics import median

from sqlalchemy import exists, select

from caseflow.database import utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation
from caseflow.referrals.lifecycle import (
    AWAITING_ANSWER,
    DOSSIER_STATES,
    INBOX_TABS,
    PARTNER_STATES,
)
from caseflow.referrals.models import Referral


def hub_list(organisation: str = "", state: str = "", waiting: int | None = None,
             limit: int = 500) -> list[Referral]:
    """Return referrals for the hub's list, newest first."""
    query = select(Referral).order_by(Referral.sent_at.desc(), Referral.id.desc())
    if organisation:
        query = query.join(Referral.organisation).where(Organisation.code == organisation)
    if state:
        query = query.where(Referral.state == state)
    if waiting is not None:
        query = query.where(Referral.state.in_(AWAITING_ANSWER),
                            Referral.sent_at <= utcnow() - timedelta(days=waiting))
    return list(db.session.scalars(query.limit(limit)))


def turnaround() -> list[dict]:
    """Return, per organisation, the median days from sending to acknowledgement and to
    acceptance."""
    rows = db.session.execute(select(Organisation.name, Referral.sent_at,
                                     Referral.acknowledged_at, Referral.accepted_at)
                              .join(Referral.organisation)).all()
    by_organisation: dict[str, dict] = {}
    for name, sent_at, acknowledged_at, accepted_at in rows:
        entry = by_organisation.setdefault(name, {"organisation": name, "count": 0,
                                                  "acknowledged": [], "accepted": []})
        entry["count"] += 1
        if acknowledged_at:
            entry["acknowledged"].append((acknowledged_at - sent_at).total_seconds() / 86400)
        if accepted_at:
            entry["accepted"].append((accepted_at - sent_at).total_seconds() / 86400)
    result = []
    for entry in sorted(by_organisation.values(), key=lambda e: e["organisation"]):
        result.append({**entry,
                       "acknowledged": median(entry["acknowledged"]) if entry["acknowledged"]
                       else None,
                       "accepted": median(entry["accepted"]) if entry["accepted"] else None})
    return result


def inbox(organisation_id: int, tab: str) -> list[Referral]:
    """Return the referrals to an organisation under one tab of its inbox."""
    states = INBOX_TABS.get(tab, PARTNER_STATES)
    return list(db.session.scalars(
        select(Referral).where(Referral.organisation_id == organisation_id,
                               Referral.state.in_(states))
        .order_by(Referral.sent_at.desc(), Referral.id.desc())))


def inbox_counts(organisation_id: int) -> dict[str, int]:
    """Count an organisation's referrals under each tab."""
    states = list(db.session.scalars(select(Referral.state).where(
        Referral.organisation_id == organisation_id)))
    return {tab: sum(1 for state in states if state in tab_states)
            for tab, tab_states in INBOX_TABS.items()}


def partner_may_see(user):
    """Return the SQL condition on Dossier that it was referred to the partner's organisation
    by a referral still open or accepted (after completion the partner keeps its referral
    record only; after return or withdrawal, nothing)."""
    return exists().where(Referral.dossier_id == Dossier.id,
                          Referral.organisation_id == user.organisation_id,
                          Referral.state.in_(DOSSIER_STATES))
