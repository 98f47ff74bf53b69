"""Reading referrals: the hub's list with its filters, turnaround, and a partner's inbox."""

from datetime import UTC, datetime, timedelta
from statistics import median

from sqlalchemy import and_, exists, func, or_, select

from caseflow.database import utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation, Territory
from caseflow.referrals.lifecycle import (
    AWAITING_ANSWER,
    DOSSIER_STATES,
    INBOX_TABS,
    PARTNER_STATES,
)
from caseflow.referrals.models import Referral

PAGE = 50


def parse_cursor(text: str | None) -> tuple | None:
    """Read a page cursor from a URL (`2026-11-30T14:03:00+00:00~42`); ValueError if bad."""
    if not text:
        return None
    moment, _, number = text.rpartition("~")
    sent_at = datetime.fromisoformat(moment)
    if sent_at.tzinfo is None or not number.isdigit() or len(number) > 10:
        raise ValueError(text)
    return sent_at.astimezone(UTC), int(number)


def format_cursor(cursor: tuple | None) -> str | None:
    """Write a page cursor for a URL."""
    if cursor is None:
        return None
    sent_at, referral_id = cursor
    return f"{sent_at.isoformat()}~{referral_id}"


def _page(query, before: tuple | None, limit: int):
    """Apply a keyset page, newest first: the rows sent before the cursor (sent_at, id)."""
    if before is not None:
        sent_at, referral_id = before
        query = query.where(or_(Referral.sent_at < sent_at,
                                and_(Referral.sent_at == sent_at, Referral.id < referral_id)))
    return query.order_by(Referral.sent_at.desc(), Referral.id.desc()).limit(limit + 1)


def _rows(query, limit: int) -> tuple[list, tuple | None]:
    """Return a page's rows and the cursor of the next page (None on the last)."""
    rows = db.session.execute(query).all()
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, (rows[-1].sent_at, rows[-1].id)


def hub_list(organisation: str = "", state: str = "", waiting: int | None = None,
             before: tuple | None = None, limit: int = PAGE) -> tuple[list, tuple | None]:
    """Return a page of the hub's list, newest first, with only the columns it shows, and
    the cursor of the next page."""
    query = (select(Referral.id, Referral.dossier_id, Referral.state, Referral.sent_at,
                    Dossier.reference, Dossier.title, Organisation.name.label("organisation"))
             .join(Dossier, Dossier.id == Referral.dossier_id)
             .join(Organisation, Organisation.id == Referral.organisation_id))
    if organisation:
        query = query.where(Organisation.code == organisation)
    if state:
        query = query.where(Referral.state == state)
    if waiting is not None:
        query = query.where(Referral.state.in_(AWAITING_ANSWER),
                            Referral.sent_at <= utcnow() - timedelta(days=waiting))
    return _rows(_page(query, before, limit), limit)


TURNAROUND_DAYS = 365


def turnaround(days: int = TURNAROUND_DAYS) -> list[dict]:
    """Return, per organisation, the median days from sending to acknowledgement and to
    acceptance of the referrals sent in the last `days` days (the days counted by the
    database: no timestamp is read back)."""
    rows = db.session.execute(
        select(Organisation.name, days_between(Referral.acknowledged_at, Referral.sent_at),
               days_between(Referral.accepted_at, Referral.sent_at))
        .join(Referral.organisation)
        .where(Referral.sent_at >= utcnow() - timedelta(days=days))).all()
    by_organisation: dict[str, dict] = {}
    for name, acknowledged, accepted in rows:
        entry = by_organisation.setdefault(name, {"organisation": name, "count": 0,
                                                  "acknowledged": [], "accepted": []})
        entry["count"] += 1
        if acknowledged is not None:
            entry["acknowledged"].append(float(acknowledged))
        if accepted is not None:
            entry["accepted"].append(float(accepted))
    result = []
    for entry in sorted(by_organisation.values(), key=lambda e: e["organisation"]):
        result.append({**entry,
                       "acknowledged": median(entry["acknowledged"]) if entry["acknowledged"]
                       else None,
                       "accepted": median(entry["accepted"]) if entry["accepted"] else None})
    return result


def days_between(later, earlier):
    """Return the days from one timestamp to another, as a fraction, computed by the database
    (no timestamp is read back into Python); NULL when either is."""
    if db.engine.dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def inbox(organisation_id: int, tab: str, before: tuple | None = None,
          limit: int = PAGE) -> tuple[list, tuple | None]:
    """Return a page of the referrals to an organisation under one tab of its inbox, with
    the columns the inbox shows, and the cursor of the next page."""
    states = INBOX_TABS.get(tab, PARTNER_STATES)
    query = (select(Referral.id, Referral.state, Referral.sent_at, Referral.reason,
                    Dossier.reference, Dossier.title, Territory.label_fr, Territory.label_en)
             .join(Dossier, Dossier.id == Referral.dossier_id)
             .join(Territory, Territory.id == Dossier.territory_id)
             .where(Referral.organisation_id == organisation_id, Referral.state.in_(states)))
    return _rows(_page(query, before, limit), limit)


def inbox_counts(organisation_id: int) -> dict[str, int]:
    """Count an organisation's referrals under each tab."""
    per_state = dict(db.session.execute(
        select(Referral.state, func.count()).where(Referral.organisation_id == organisation_id)
        .group_by(Referral.state)).all())
    return {tab: sum(per_state.get(state, 0) for state in tab_states)
            for tab, tab_states in INBOX_TABS.items()}


def partner_may_see(user):
    """Return the SQL condition on Dossier that it was referred to the partner's organisation
    by a referral still open or accepted (after completion the partner keeps its referral
    record only; after return or withdrawal, nothing)."""
    return exists().where(Referral.dossier_id == Dossier.id,
                          Referral.organisation_id == user.organisation_id,
                          Referral.state.in_(DOSSIER_STATES))


def caseload_condition(organisation: str, waiting: int | None):
    """Return the SQL condition on Dossier: referred to this organisation (any, when blank),
    and, with `waiting`, still waiting for its answer for at least that many days."""
    conditions = [Referral.dossier_id == Dossier.id]
    if organisation:
        conditions.append(Referral.organisation_id == select(Organisation.id).where(
            Organisation.code == organisation).scalar_subquery())
    if waiting is not None:
        conditions += [Referral.state.in_(AWAITING_ANSWER),
                       Referral.sent_at <= utcnow() - timedelta(days=waiting)]
    return exists().where(*conditions)
