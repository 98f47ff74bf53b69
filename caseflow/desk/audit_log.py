"""The audit log, as the coordinator reads it."""

from flask import render_template, request
from sqlalchemy import select

from caseflow.audit.models import AuditEvent
from caseflow.auth.access import allow
from caseflow.auth.models import User
from caseflow.extensions import db

PAGE_SIZE = 50


@allow("coordinator")
def audit_log():
    """List audit events, newest first, with their actor and hash."""
    page_number = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    page = db.paginate(select(AuditEvent).order_by(AuditEvent.seq.desc()),
                       page=max(page_number, 1), per_page=PAGE_SIZE, error_out=False)
    actor_ids = {event.actor_id for event in page.items if event.actor_id}
    actors = {user.id: user.full_name for user in db.session.scalars(
        select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    return render_template("desk/audit_log.html", page=page, actors=actors)
