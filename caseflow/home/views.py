"""Home page: who you are, your organisation, and where to go from here."""

from datetime import date, timedelta

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from caseflow.auth.access import EVERYONE, allow
from caseflow.auth.models import User
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation

bp = Blueprint("home", __name__)


def _follow_up_counts(user: User) -> dict:
    """Count the user's open dossiers and their follow-ups overdue or due this week."""
    today = date.today()
    mine = select(func.count()).select_from(Dossier).where(Dossier.advisor_id == user.id)
    return {
        "open": db.session.scalar(mine.where(Dossier.outcome.is_(None))),
        "overdue": db.session.scalar(mine.where(Dossier.next_follow_up < today)),
        "week": db.session.scalar(mine.where(
            Dossier.next_follow_up >= today,
            Dossier.next_follow_up <= today + timedelta(days=7))),
    }


def _organisations():
    accounts = (select(User.organisation_id, func.count().label("accounts"))
                .where(User.active.is_(True)).group_by(User.organisation_id).subquery())
    return db.session.execute(
        select(Organisation, func.coalesce(accounts.c.accounts, 0))
        .outerjoin(accounts, accounts.c.organisation_id == Organisation.id)
        .order_by(Organisation.kind, Organisation.name)).all()


@bp.route("/")
@allow(*EVERYONE)
def index():
    """Show the home page of the current user's role."""
    if current_user.role == "partner":
        from caseflow.referrals.queries import inbox_counts

        counts = inbox_counts(current_user.organisation_id)
    else:
        counts = _follow_up_counts(current_user)
    organisations = _organisations() if current_user.role == "coordinator" else []
    return render_template(f"home/{current_user.role}.html", counts=counts,
                           organisations=organisations)
