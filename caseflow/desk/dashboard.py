"""The hub's dashboard: each figure is a count of a list the caseload (or the interventions
list) shows with the same filters, so the figure and its list always agree.

Definitions: open dossiers are those without an outcome opened on or before the period's end;
follow-ups and waiting referrals are as of today; interventions and hours count what was
logged with a date in the period, by its author; turnaround counts referrals sent in it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from sqlalchemy import and_, case, func, select

from caseflow.auth.models import User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers.models import Dossier, Intervention
from caseflow.dossiers.workflows import engine
from caseflow.extensions import db
from caseflow.reference.models import Organisation, Sector, Territory
from caseflow.referrals.lifecycle import AWAITING_ANSWER
from caseflow.referrals.models import Referral
from caseflow.referrals.queries import days_between
from caseflow.reports.periods import Period
from caseflow.templating import label

#: Days at the current step, as the aging table groups them: (first day, last day or None).
AGE_BANDS = ((0, 30), (31, 90), (91, 180), (181, None))
LONGEST_STUCK = 10


@dataclass
class Figure:
    """One count and the caseload (or interventions) filters of the list behind it."""

    label: str
    count: int
    filters: dict
    extra: dict = field(default_factory=dict)


@dataclass
class Dashboard:
    period: Period
    waiting_days: int
    scope: dict  # the filters every caseload link carries (the advisor's own, or all)
    open_total: Figure
    by_advisor: list[Figure]
    by_state: list[Figure]
    by_territory: list[Figure]
    by_sector: list[Figure]
    by_age: list[Figure]
    longest_stuck: list
    follow_ups: list[Figure]  # per advisor: count = overdue, extra["week"] = due this week
    waiting: list[Figure]
    turnaround: list[dict]
    interventions: list[Figure]  # per author: count, extra["hours"]


def _names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def compute(user: User, period: Period, waiting_days: int = 14,
            today: date | None = None) -> Dashboard:
    """Return the dashboard of a coordinator (whole hub) or an advisor (their own dossiers).

    The open dossiers are read by two grouped statements (per advisor and state, with the age
    bands and follow-ups summed in it; per territory and sector), both served by the partial
    index of open dossiers alone; the page's tables are added up from those few groups.
    """
    today = today or hub_today()
    now = utcnow()
    own = user.role != "coordinator"
    scope = {"scope": "mine"} if own else {"scope": "all"}
    mine = [Dossier.advisor_id == user.id] if own else []
    opened = {**scope, "status": "open", "opened_to": period.end.isoformat()}
    open_where = [Dossier.outcome.is_(None), Dossier.opened_on <= period.end, *mine]

    bands = []
    for first, last in AGE_BANDS:
        conditions = [Dossier.state_entered_at <= now - timedelta(days=first)]
        filters = {**opened, "state_days_min": first}
        if last is not None:
            conditions.append(Dossier.state_entered_at > now - timedelta(days=last + 1))
            filters["state_days_max"] = last
        bands.append((first, last, conditions, filters))

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    in_period = Dossier.opened_on <= period.end
    per_advisor: dict = {}
    per_state: dict = {}
    follow: dict = {}
    age_counts = [0] * len(bands)
    for advisor_id, state, count, *sums in db.session.execute(
            select(Dossier.advisor_id, Dossier.state, counted(in_period),
                   *(counted(and_(in_period, *conditions)) for _f, _l, conditions, _x in bands),
                   counted(Dossier.next_follow_up < today),
                   counted(and_(Dossier.next_follow_up >= today,
                                Dossier.next_follow_up <= today + timedelta(days=7))))
            .where(Dossier.outcome.is_(None), *mine)
            .group_by(Dossier.advisor_id, Dossier.state)):
        due = follow.setdefault(advisor_id, [0, 0])
        due[0] += sums[-2]
        due[1] += sums[-1]
        if count:
            per_advisor[advisor_id] = per_advisor.get(advisor_id, 0) + count
            per_state[state] = per_state.get(state, 0) + count
            for index in range(len(bands)):
                age_counts[index] += sums[index]
    per_territory: dict = {}
    per_sector: dict = {}
    for territory_id, sector_id, count in db.session.execute(
            select(Dossier.territory_id, Dossier.sector_id, func.count())
            .where(*open_where).group_by(Dossier.territory_id, Dossier.sector_id)):
        per_territory[territory_id] = per_territory.get(territory_id, 0) + count
        per_sector[sector_id] = per_sector.get(sector_id, 0) + count
    start, end = period.utc_bounds()
    worked = db.session.execute(
        select(Intervention.author_id, func.count(),
               func.coalesce(func.sum(Intervention.minutes), 0))
        .where(Intervention.occurred_on >= period.start, Intervention.occurred_on <= period.end,
               *([Intervention.author_id == user.id] if own else []))
        .group_by(Intervention.author_id)).all()
    names = _names([*per_advisor, *follow, *(a for a, *_ in worked)])
    nobody = "—"

    def advisor_filter(advisor_id):
        return {"advisor": advisor_id} if advisor_id is not None else {}

    by_advisor = sorted((Figure(names.get(a, nobody), n, {**opened, **advisor_filter(a)})
                         for a, n in per_advisor.items() if a is not None),
                        key=lambda f: f.label)
    states = {}
    for definition in engine().definitions.values():
        for name, state in definition.states.items():
            states.setdefault(name, label(state))
    by_state = sorted((Figure(states.get(s, s), n, {**opened, "state": s})
                       for s, n in sorted(per_state.items())), key=lambda f: -f.count)
    territories = db.session.scalars(select(Territory).where(
        Territory.id.in_(per_territory)).order_by(Territory.position)).all() \
        if per_territory else []
    sectors = db.session.scalars(select(Sector).where(
        Sector.id.in_(per_sector)).order_by(Sector.position)).all() if per_sector else []
    by_age = [Figure(f"{first}–{last}" if last is not None else f"{first}+", int(count),
                     filters) for (first, last, _c, filters), count in zip(bands, age_counts,
                                                                         strict=True)]
    longest = db.session.execute(
        select(Dossier.id, Dossier.reference, Dossier.title, Dossier.workflow, Dossier.state,
               Dossier.state_entered_at, Dossier.advisor_id)
        .where(*open_where).order_by(Dossier.state_entered_at, Dossier.id)
        .limit(LONGEST_STUCK)).all()
    follow_ups = sorted((Figure(names.get(a, nobody), int(overdue),
                                {**scope, "status": "open", **advisor_filter(a)},
                                {"week": int(week)})
                         for a, (overdue, week) in follow.items() if a is not None),
                        key=lambda f: f.label)
    return Dashboard(
        period=period, waiting_days=waiting_days, scope=scope,
        open_total=Figure("", sum(per_advisor.values()), opened),
        by_advisor=by_advisor, by_state=by_state,
        by_territory=[Figure(t.label, per_territory[t.id], {**opened, "territory": t.code})
                      for t in territories],
        by_sector=[Figure(s.label, per_sector[s.id], {**opened, "sector": s.code})
                   for s in sectors],
        by_age=by_age,
        longest_stuck=[(row, names.get(row.advisor_id) if row.advisor_id in names else None)
                       for row in longest],
        follow_ups=follow_ups,
        waiting=_waiting(scope, own and user.id, waiting_days, now),
        turnaround=_turnaround(own and user.id, start, end),
        interventions=sorted((Figure(names.get(a, nobody), n, {
            **({"author": a} if a is not None else {}), "occurred_from": period.start.isoformat(),
            "occurred_to": period.end.isoformat()}, {"hours": round(minutes / 60, 1)})
            for a, n, minutes in worked if a is not None), key=lambda f: f.label))


def _of_advisor(query, advisor_id):
    """Keep the referrals of one advisor's dossiers (the dossier joined only then)."""
    if not advisor_id:
        return query
    return query.join(Dossier, Dossier.id == Referral.dossier_id).where(
        Dossier.advisor_id == advisor_id)


def _waiting(scope: dict, advisor_id, days: int, now) -> list[Figure]:
    """Count, per organisation, the dossiers with a referral unanswered for `days` or more."""
    counts = _of_advisor(
        select(Referral.organisation_id.label("organisation_id"),
               func.count(func.distinct(Referral.dossier_id)).label("count"))
        .where(Referral.state.in_(AWAITING_ANSWER),
               Referral.sent_at <= now - timedelta(days=days)), advisor_id
    ).group_by(Referral.organisation_id).subquery()
    rows = db.session.execute(
        select(Organisation.code, Organisation.name, counts.c.count)
        .join(counts, counts.c.organisation_id == Organisation.id)
        .order_by(Organisation.name)).all()
    return [Figure(name, count, {**scope, "organisation": code, "waiting": days})
            for code, name, count in rows]


def _turnaround(advisor_id, start, end) -> list[dict]:
    """Return, per organisation, the median days to acknowledge and to answer the referrals
    sent in the period (answered: accepted or returned)."""
    rows = db.session.execute(_of_advisor(
        select(Organisation.code, Organisation.name,
               days_between(Referral.acknowledged_at, Referral.sent_at),
               days_between(func.coalesce(Referral.accepted_at, Referral.returned_at),
                             Referral.sent_at))
        .join(Referral, Referral.organisation_id == Organisation.id)
        .where(Referral.sent_at >= start, Referral.sent_at < end), advisor_id)).all()
    found: dict[str, dict] = {}
    for code, name, acknowledged, answered in rows:
        entry = found.get(code)
        if entry is None:
            entry = found[code] = {"code": code, "organisation": name, "sent": 0,
                                   "acknowledged": [], "answered": []}
        entry["sent"] += 1
        if acknowledged is not None:
            entry["acknowledged"].append(float(acknowledged))
        if answered is not None:
            entry["answered"].append(float(answered))
    return [{**entry, "acknowledged": _median(entry["acknowledged"]),
             "answered": _median(entry["answered"])}
            for entry in sorted(found.values(), key=lambda e: e["organisation"])]


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None
