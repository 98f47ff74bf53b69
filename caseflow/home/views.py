"""Home page: who you are, your organisation, and where to go from here."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from caseflow.auth.access import EVERYONE, allow
from caseflow.auth.models import User
from caseflow.extensions import db
from caseflow.reference.models import Organisation

bp = Blueprint("home", __name__)


@bp.route("/")
@allow(*EVERYONE)
def index():
    """Show the home page of the current user's role."""
    organisations = []
    if current_user.role == "coordinator":
        accounts = (select(User.organisation_id, func.count().label("accounts"))
                    .where(User.active.is_(True)).group_by(User.organisation_id).subquery())
        organisations = db.session.execute(
            select(Organisation, func.coalesce(accounts.c.accounts, 0))
            .outerjoin(accounts, accounts.c.organisation_id == Organisation.id)
            .order_by(Organisation.kind, Organisation.name)).all()
    return render_template(f"home/{current_user.role}.html", organisations=organisations)
