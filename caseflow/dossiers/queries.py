"""Reading dossiers: the caseload with its filters, and the dossier page's timeline."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import joinedload, lazyload

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.audit.timeline import action_label
from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers.models import Dossier, PromoterContact
from caseflow.extensions import db
from caseflow.reference.models import Organisation, Sector, Territory

# The references the list shows beside each dossier; it loads no collection of a dossier.
LIST_COLUMNS = ("territory", "sector", "advisor")

SORTS = {
    "-updated": (Dossier.updated_at.desc(), Dossier.id.desc()),
    "reference": (Dossier.reference.asc(),),
    "-reference": (Dossier.reference.desc(),),
    "follow_up": (Dossier.next_follow_up.is_(None), Dossier.next_follow_up.asc(),
                  Dossier.id.asc()),
    "-follow_up": (Dossier.next_follow_up.is_(None), Dossier.next_follow_up.desc(),
                   Dossier.id.desc()),
    "title": (Dossier.title.asc(), Dossier.id.asc()),
    "-title": (Dossier.title.desc(), Dossier.id.desc()),
    "state": (Dossier.state.asc(), Dossier.id.asc()),
    "-state_age": (Dossier.state_entered_at.asc(), Dossier.id.asc()),
    "state_age": (Dossier.state_entered_at.desc(), Dossier.id.desc()),
    "opened": (Dossier.opened_on.asc(), Dossier.id.asc()),
    "-opened": (Dossier.opened_on.desc(), Dossier.id.desc()),
    "advisor": (Dossier.advisor_id.is_(None), Dossier.advisor_id.asc(), Dossier.id.asc()),
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


def filter_by_referrals(app, condition) -> None:
    """Set how the caseload filters on referrals: condition(organisation code, waiting days)."""
    app.extensions[REFERRAL_FILTER] = condition


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(filters: CaseloadFilters, user: User, today: date | None = None):
    """Return the SELECT of the dossiers matching the filters, without order or page."""
    today = today or hub_today()
    # The list shows no collection of a dossier: load none of them, whatever the page size.
    query = select(Dossier).options(lazyload("*"), *(joinedload(getattr(Dossier, name))
                                                      for name in LIST_COLUMNS))
    if filters.scope == "mine":
        query = query.where(Dossier.advisor_id == user.id)
    if filters.advisor is not None:
        query = query.where(Dossier.advisor_id == filters.advisor)
    if filters.status == "open":
        query = query.where(Dossier.outcome.is_(None))
    elif filters.status == "closed":
        query = query.where(Dossier.outcome.is_not(None))
    if filters.state:
        query = query.where(Dossier.state == filters.state)
    if filters.territory:
        query = query.join(Dossier.territory).where(Territory.code == filters.territory)
    if filters.sector:
        query = query.join(Dossier.sector).where(Sector.code == filters.sector)
    if filters.follow_up == "overdue":
        query = query.where(Dossier.next_follow_up < today)
    elif filters.follow_up == "week":
        query = query.where(Dossier.next_follow_up >= today,
                            Dossier.next_follow_up <= today + timedelta(days=7))
    if filters.opened_from is not None:
        query = query.where(Dossier.opened_on >= filters.opened_from)
    if filters.opened_to is not None:
        query = query.where(Dossier.opened_on <= filters.opened_to)
    now = utcnow()
    if filters.state_days_min is not None:  # at this step for at least N whole days
        query = query.where(Dossier.state_entered_at <= now - timedelta(
            days=filters.state_days_min))
    if filters.state_days_max is not None:  # ... and fewer than N + 1
        query = query.where(Dossier.state_entered_at > now - timedelta(
            days=filters.state_days_max + 1))
    if filters.organisation or filters.waiting is not None:
        condition = current_app.extensions.get(REFERRAL_FILTER)
        query = query.where(condition(filters.organisation, filters.waiting)
                            if condition is not None else false())
    if filters.q.strip():
        pattern = f"%{_escape_like(filters.q.strip().lower())}%"
        contact = exists().where(PromoterContact.dossier_id == Dossier.id,
                                 PromoterContact.name.ilike(pattern, escape="\\"))
        query = query.where(or_(Dossier.reference.ilike(pattern, escape="\\"),
                                Dossier.title.ilike(pattern, escape="\\"),
                                Dossier.promoter_name.ilike(pattern, escape="\\"),
                                contact))
    return query.order_by(*SORTS.get(filters.sort, SORTS["-updated"]))


def caseload(filters: CaseloadFilters, user: User, per_page: int, today: date | None = None):
    """Return one page of the dossiers matching the filters."""
    return db.paginate(filtered(filters, user, today), page=filters.page, per_page=per_page,
                       error_out=False, count=True)


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
