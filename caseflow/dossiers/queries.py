"""Reading dossiers: the caseload with its filters, and the dossier page's timeline."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.audit.timeline import action_label
from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers import search
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.i18n import language
from caseflow.reference.models import Organisation, Sector, Territory

# The references the list shows beside each dossier; it loads no collection of a dossier.
LIST_COLUMNS = ("territory", "sector", "advisor")
# Beyond this many, the caseload says "more than" instead of counting every dossier.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Sort:
    """An order of the caseload: one column (nulls last), then the id, in one direction."""

    column: object
    descending: bool = False
    kind: str = "text"  # how a cursor's value is read back: text, int, date or datetime
    nullable: bool = False

    def order(self) -> tuple:
        direction = (lambda c: c.desc()) if self.descending else (lambda c: c.asc())
        first = (self.column.is_(None),) if self.nullable else ()
        return (*first, direction(self.column), direction(Dossier.id))

    def after(self, value, last_id: int):
        """Return the condition: after the row (value, last_id) in this order (keyset)."""
        column, ident = self.column, Dossier.id
        beyond = (lambda a, b: a < b) if self.descending else (lambda a, b: a > b)
        if value is None:  # nulls come last: only nulls with a further id are left
            return and_(column.is_(None), beyond(ident, last_id))
        # The bound alone lets an index on (column, id) start the page where it begins.
        bound = column <= value if self.descending else column >= value
        condition = and_(bound, or_(beyond(column, value),
                                    and_(column == value, beyond(ident, last_id))))
        return or_(condition, column.is_(None)) if self.nullable else condition


SORTS = {
    "-updated": Sort(Dossier.updated_at, True, "datetime"),
    "reference": Sort(Dossier.reference),
    "-reference": Sort(Dossier.reference, True),
    "follow_up": Sort(Dossier.next_follow_up, False, "date", nullable=True),
    "-follow_up": Sort(Dossier.next_follow_up, True, "date", nullable=True),
    "title": Sort(Dossier.title),
    "-title": Sort(Dossier.title, True),
    "state": Sort(Dossier.state),
    "-state_age": Sort(Dossier.state_entered_at, False, "datetime"),
    "state_age": Sort(Dossier.state_entered_at, True, "datetime"),
    "opened": Sort(Dossier.opened_on, False, "date"),
    "-opened": Sort(Dossier.opened_on, True, "date"),
    "advisor": Sort(Dossier.advisor_id, False, "int", nullable=True),
}
#: Where a slice that refers dossiers registers the condition "referred to this organisation
#: (and waiting for its answer for at least N days)": dossiers do not know referrals.
REFERRAL_FILTER = "caseflow.caseload_referral_filter"


@dataclass
class CaseloadFilters:
    q: str = ""
    scope: str = "mine"
    state: str = ""
    territory: str = ""
    sector: str = ""
    follow_up: str = ""
    sort: str = "-updated"
    page: int = 1
    status: str = ""
    advisor: int | None = None
    organisation: str = ""
    waiting: int | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    state_days_min: int | None = None
    state_days_max: int | None = None
    after: tuple | None = None  # the (value, id) of the last row of the previous page


@dataclass
class CaseloadPage:
    """One page of the caseload: its rows, the count (capped) and the next page's cursor."""

    items: list
    total: int
    more: bool  # more dossiers match than `total` says (the count stopped at its cap)
    next_cursor: str | None
    first: bool


def filter_by_referrals(app, condition) -> None:
    """Set how the caseload filters on referrals: condition(organisation code, waiting days)."""
    app.extensions[REFERRAL_FILTER] = condition


def sort_of(filters: CaseloadFilters) -> Sort:
    return SORTS.get(filters.sort, SORTS["-updated"])


def format_cursor(sort: Sort, value, last_id: int) -> str:
    """Write the cursor of the row (value, id) for a URL."""
    if value is None:
        written = ""
    elif sort.kind in ("date", "datetime"):
        written = value.isoformat()
    else:
        written = str(value)
    return json.dumps([None if value is None else written, last_id], ensure_ascii=False,
                      separators=(",", ":"))


def parse_cursor(sort: Sort, text_: str | None) -> tuple | None:
    """Read a cursor written by format_cursor for this sort; ValueError when it is not one."""
    if not text_:
        return None
    try:
        value, last_id = json.loads(text_)
    except (ValueError, TypeError):
        raise ValueError(text_) from None
    if not isinstance(last_id, int) or isinstance(last_id, bool) or not 0 < last_id < 2**31:
        raise ValueError(text_)
    if value is None:
        if not sort.nullable:
            raise ValueError(text_)
        return None, last_id
    if not isinstance(value, str) or len(value) > 300:
        raise ValueError(text_)
    if sort.kind == "int":
        if not value.isdigit() or len(value) > 10:
            raise ValueError(text_)
        return int(value), last_id
    if sort.kind == "date":
        return date.fromisoformat(value), last_id
    if sort.kind == "datetime":
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(text_)
        return moment.astimezone(UTC), last_id
    return value, last_id


def conditions(filters: CaseloadFilters, user: User, today: date | None = None) -> list:
    """Return the WHERE conditions on Dossier of the filters but the search (see search.py)."""
    today = today or hub_today()
    where = []
    if filters.scope == "mine":
        where.append(Dossier.advisor_id == user.id)
    if filters.advisor is not None:
        where.append(Dossier.advisor_id == filters.advisor)
    if filters.status == "open":
        where.append(Dossier.outcome.is_(None))
    elif filters.status == "closed":
        where.append(Dossier.outcome.is_not(None))
    if filters.state:
        where.append(Dossier.state == filters.state)
    # By id, not through a join: the dossier's own index on the column can serve it.
    if filters.territory:
        where.append(Dossier.territory_id == select(Territory.id).where(
            Territory.code == filters.territory).scalar_subquery())
    if filters.sector:
        where.append(Dossier.sector_id == select(Sector.id).where(
            Sector.code == filters.sector).scalar_subquery())
    if filters.follow_up == "overdue":
        where.append(Dossier.next_follow_up < today)
    elif filters.follow_up == "week":
        where += [Dossier.next_follow_up >= today,
                  Dossier.next_follow_up <= today + timedelta(days=7)]
    if filters.opened_from is not None:
        where.append(Dossier.opened_on >= filters.opened_from)
    if filters.opened_to is not None:
        where.append(Dossier.opened_on <= filters.opened_to)
    now = utcnow()
    if filters.state_days_min is not None:  # at this step for at least N whole days
        where.append(Dossier.state_entered_at <= now - timedelta(days=filters.state_days_min))
    if filters.state_days_max is not None:  # ... and fewer than N + 1
        where.append(Dossier.state_entered_at > now - timedelta(
            days=filters.state_days_max + 1))
    if filters.organisation or filters.waiting is not None:
        condition = current_app.extensions.get(REFERRAL_FILTER)
        where.append(condition(filters.organisation, filters.waiting)
                     if condition is not None else false())
    return where


def filtered(filters: CaseloadFilters, user: User, today: date | None = None):
    """Return the SELECT of the dossiers matching the filters, in their order, as objects
    with the references the list shows (for the export and the API)."""
    # The list shows no collection of a dossier: load none of them, whatever the page size.
    query = select(Dossier).options(lazyload("*"), *(joinedload(getattr(Dossier, name))
                                                      for name in LIST_COLUMNS))
    where = conditions(filters, user, today)
    if filters.q.strip():
        where.append(search.matching(filters.q))
    return query.where(*where).order_by(*sort_of(filters).order())


# The references of the listed dossiers, joined under names of their own: a filter's
# subquery on Territory or Sector stays apart from them.
_TERRITORY = aliased(Territory, name="listed_territory")
_SECTOR = aliased(Sector, name="listed_sector")
_ADVISOR = aliased(User, name="listed_advisor")
_LISTED = (Dossier.id, Dossier.reference, Dossier.title, Dossier.promoter_name, Dossier.state,
           Dossier.workflow, Dossier.state_entered_at, Dossier.next_follow_up,
           Dossier.updated_at, Dossier.opened_on, Dossier.advisor_id)


def caseload(filters: CaseloadFilters, user: User, per_page: int,
             today: date | None = None) -> CaseloadPage:
    """Return one page of the dossiers matching the filters, with only the columns the list
    shows: a keyset page after `filters.after` (or, for an old link, the numbered page)."""
    sort = sort_of(filters)
    where = conditions(filters, user, today)
    # Counted up to the cap: past it, "more than" is all a person reads, and it costs no scan.
    if filters.q.strip():
        total = db.session.scalar(select(func.count()).select_from(
            search.counted(filters.q, where, COUNT_CAP).subquery()))
        where.append(search.matching(filters.q, many=total > COUNT_CAP))
    else:
        total = db.session.scalar(select(func.count()).select_from(
            select(Dossier.id).where(*where).limit(COUNT_CAP + 1).subquery()))
    english = language() == "en"
    # Outer joins only: the dossier stays the first table read, so the index of the order
    # serves it and the page stops at its last row; the references are read for those rows.
    query = (select(*_LISTED,
                    (_TERRITORY.label_en if english else _TERRITORY.label_fr)
                    .label("territory_label"),
                    (_SECTOR.label_en if english else _SECTOR.label_fr).label("sector_label"),
                    _ADVISOR.full_name.label("advisor_name"))
             .outerjoin(_TERRITORY, _TERRITORY.id == Dossier.territory_id)
             .outerjoin(_SECTOR, _SECTOR.id == Dossier.sector_id)
             .outerjoin(_ADVISOR, _ADVISOR.id == Dossier.advisor_id)
             .where(*where))
    if filters.after is not None:
        query = query.where(sort.after(*filters.after))
    elif filters.page > 1:
        query = query.offset((filters.page - 1) * per_page)
    rows = db.session.execute(query.order_by(*sort.order()).limit(per_page + 1)).all()
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = format_cursor(sort, getattr(last, sort.column.key), last.id)
    return CaseloadPage(items=rows, total=min(total, COUNT_CAP), more=total > COUNT_CAP,
                        next_cursor=next_cursor,
                        first=filters.after is None and filters.page <= 1)


def timeline(dossier: Dossier) -> list[tuple[AuditEvent, str | None]]:
    """Return the dossier's audit events, newest first, with the actor's name; personal
    values sealed out of the log are read back (or shown erased after retention)."""
    rows = db.session.execute(
        select(AuditEvent, User.full_name, Organisation.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(AuditEvent.dossier_id == dossier.id)
        .order_by(AuditEvent.seq.desc())).all()
    shown = reveal(event for event, _name, _organisation in rows)
    # A person acting for an organisation is named with it: five MRC accounts may share a name.
    return [(event, f"{name} ({organisation})" if name and organisation else name)
            for event, (_event, name, organisation) in zip(shown, rows, strict=True)]


def changes_meanwhile(conflict, limit: int = 3) -> list[str]:
    """Describe the latest changes to the dossier of a conflict, newest first.

    Only the hub's staff read them: a dossier's log names other organisations' answers.
    """
    if getattr(conflict, "dossier_id", None) is None or not (
            current_user.is_authenticated and current_user.role in STAFF):
        return []
    rows = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.action, User.full_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.dossier_id == conflict.dossier_id)
        .order_by(AuditEvent.seq.desc()).limit(limit))
    return [f"{format_datetime(moment, 'yyyy-MM-dd HH:mm')} · {name or _('Système')} · "
            f"{action_label(action)}" for moment, action, name in rows]
