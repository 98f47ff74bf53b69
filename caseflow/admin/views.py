"""User accounts, as the coordinator sees and manages them."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.admin import lists, people, reference
from caseflow.admin.forms import ActivationForm
from caseflow.auth import services
from caseflow.auth.access import allow
from caseflow.auth.models import User
from caseflow.boundary import submit
from caseflow.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")
for module in (lists, people, reference):
    for rule, view, methods in module.RULES:
        bp.add_url_rule(rule, view_func=view, methods=methods)


@bp.route("/users")
@allow("coordinator")
def users():
    """List every account with its role, organisation and status."""
    accounts = db.session.scalars(select(User).order_by(User.role, User.full_name)).all()
    return render_template("admin/users.html", accounts=accounts, form=ActivationForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allow("coordinator")
def toggle_active(user_id: int):
    """Deactivate an active account (ending its sessions) or reactivate an inactive one."""
    user = db.session.get(User, user_id) or abort(404)
    form = ActivationForm()
    if not form.validate_on_submit():
        abort(400)
    changed = submit(form, lambda: services.set_active(user, not user.active, current_user))
    if not changed.saved:
        flash(changed.message, "danger")
    elif user.active:
        flash(_("Compte réactivé : %(email)s.", email=user.email), "success")
    else:
        flash(_("Compte désactivé : %(email)s. Ses sessions ouvertes sont fermées.",
                email=user.email), "success")
    return redirect(url_for("admin.users"), 303)
