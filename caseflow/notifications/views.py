"""The "À traiter" page of every user, and the coordinator's view of the e-mail outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import EVERYONE, allow
from caseflow.boundary import submit
from caseflow.extensions import db
from caseflow.notifications import messages, services
from caseflow.notifications.forms import ButtonForm
from caseflow.notifications.models import Notification, OutgoingEmail

bp = Blueprint("notifications", __name__)


def navbar_globals() -> dict:
    """Give templates the unread count, queried only when the navbar asks for it."""
    return {"unread_notifications": _unread_notifications}


#: The navbar's badge counts up to this, then reads "99+".
NAVBAR_CAP = 100


def _unread_notifications() -> str:
    """Return the current user's unread notifications as the navbar shows them ("3", "99+");
    empty for none and for anonymous visitors."""
    if not current_user.is_authenticated:
        return ""
    count = services.unread_count(current_user, cap=NAVBAR_CAP)
    if count >= NAVBAR_CAP:
        return f"{NAVBAR_CAP - 1}+"
    return str(count) if count else ""


@bp.route("/notifications")
@allow(*EVERYONE)
def index():
    """List overdue follow-ups (staff) and the user's notifications, unread in bold."""
    box = services.inbox(current_user)
    entries = [messages.entry(item, current_user.role) for item in box.notifications]
    # Counted apart: an unread notice on a dossier no longer visible still wants clearing.
    unread = services.unread_count(current_user) > 0
    return render_template("notifications/index.html", inbox=box, entries=entries,
                           unread=unread, form=ButtonForm())


@bp.route("/notifications/read", methods=["POST"])
@allow(*EVERYONE)
def read_all():
    """Mark every notification of the user read."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user)
    flash(_("Notifications marquées comme lues : %(count)d.", count=count), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@allow(*EVERYONE)
def read_one(notification_id: int):
    """Mark one of the user's notifications read; anyone else's is a 404."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.mark_read(notification)
    return redirect(url_for("notifications.index"), 303)


@bp.route("/admin/outbox")
@allow("coordinator")
def outbox():
    """List the e-mails pending or given up on, with their attempts and last error."""
    return render_template("notifications/outbox.html", emails=services.outbox(),
                           form=ButtonForm(), max_attempts=services.MAX_ATTEMPTS)


@bp.route("/admin/outbox/<int:email_id>/retry", methods=["POST"])
@allow("coordinator")
def retry(email_id: int):
    """Put a failed e-mail back in the queue, due now."""
    email = db.session.get(OutgoingEmail, email_id) or abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    retried = submit(form, lambda: services.retry(email))
    if not retried.saved:
        flash(retried.message, "warning")
    else:
        flash(_("Courriel remis dans la file d'envoi : %(address)s.",
                address=email.to_address), "success")
    return redirect(url_for("notifications.outbox"), 303)
