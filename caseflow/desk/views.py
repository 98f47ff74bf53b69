"""The pages that show several slices: the home pages and the dossier page."""

from flask import Blueprint, render_template
from flask_login import current_user

from caseflow.auth.access import EVERYONE, allow
from caseflow.desk import audit_log, home, lists, reassign
from caseflow.desk.dossier_page import render_dossier_page
from caseflow.dossiers.access import visible_dossier
from caseflow.referrals.portal import render_referral
from caseflow.referrals.queries import inbox_counts
from caseflow.referrals.services import active_for

bp = Blueprint("desk", __name__)
for module in (audit_log, lists, reassign):
    for rule, view, methods in module.RULES:
        bp.add_url_rule(rule, view_func=view, methods=methods)


@bp.route("/")
@allow(*EVERYONE)
def home_page():
    """Show the home page of the current user's role."""
    if current_user.role == "partner":
        counts = inbox_counts(current_user.organisation_id)
    else:
        counts = home.follow_up_counts(current_user)
    organisations = home.organisations() if current_user.role == "coordinator" else []
    return render_template(f"desk/{current_user.role}.html", counts=counts,
                           organisations=organisations)


@bp.route("/dossiers/<int:dossier_id>")
@allow(*EVERYONE)
def dossier(dossier_id: int):
    """Show a dossier: its facts, the actions open now, each slice's part and the timeline."""
    found = visible_dossier(dossier_id, current_user)
    if current_user.role == "partner":  # a partner sees what the hub shares, through a referral
        return render_referral(active_for(current_user, found.id)[-1])
    return render_dossier_page(found)
