"""What the home pages count: my follow-ups, and the organisations with their accounts."""

from datetime import timedelta

from sqlalchemy import func, select

from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation


def follow_up_counts(user: User) -> dict:
    """Count the user's open dossiers and their follow-ups overdue or due this week."""
    today = hub_today()
    # Each count is the list its tile opens: the caseload, mine, open, with the same filter.
    mine = select(func.count()).select_from(Dossier).where(Dossier.advisor_id == user.id,
                                                           Dossier.outcome.is_(None))
    return {
        "open": db.session.scalar(mine),
        "overdue": db.session.scalar(mine.where(Dossier.next_follow_up < today)),
        "week": db.session.scalar(mine.where(
            Dossier.next_follow_up >= today,
            Dossier.next_follow_up <= today + timedelta(days=7))),
    }


def organisations():
    accounts = (select(User.organisation_id, func.count().label("accounts"))
                .where(User.active.is_(True)).group_by(User.organisation_id).subquery())
    return db.session.execute(
        select(Organisation, func.coalesce(accounts.c.accounts, 0))
        .outerjoin(accounts, accounts.c.organisation_id == Organisation.id)
        .order_by(Organisation.kind, Organisation.name)).all()
