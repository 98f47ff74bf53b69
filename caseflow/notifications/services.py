"""Notify users, list what they have to deal with, and send the outbox.

``notify`` and friends add and flush in the caller's transaction and never commit or
send: the e-mails wait in the outbox and leave after the request committed. Only
``send_pending`` commits, because it runs on its own (CLI, background thread) and must
not hold a database write lock while it talks to the mail server.
"""

import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from caseflow.auth.models import User
from caseflow.database import hub_today, utcnow
from caseflow.dossiers import access
from caseflow.dossiers.models import Dossier
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.notifications import messages
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.reference.models import Organisation

QUEUED_FLAG = "outbox_queued"
SMTP_TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 5
#: Delay before the next try after the 1st, 2nd, 3rd and 4th failure.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(minutes=120))
#: How long a sender owns an e-mail it claimed; a crashed sender's claim expires.
CLAIM_LEASE = timedelta(minutes=10)


def notify(users: Iterable[User], kind: str, *, dossier: Dossier | None = None,
           referral_id: int | None = None, params: dict | None = None) -> list[Notification]:
    """Add a notification per active user and queue an e-mail per address (flushes)."""
    if kind not in messages.KINDS:
        raise ValueError(f"unknown notification kind: {kind!r}")
    values = _params(dossier, params)
    created, seen = [], set()
    for user in users:
        if not user.active or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(user=user, kind=kind, dossier=dossier,
                                    referral_id=referral_id, params=values)
        db.session.add(notification)
        created.append(notification)
        if user.email:
            path = messages.link_path(user.role, dossier.id if dossier else None, referral_id)
            subject, body = messages.email(user, kind, values, path)
            db.session.add(OutgoingEmail(notification=notification, to_address=user.email,
                                         subject=subject, body=body, status="pending",
                                         attempts=0, next_attempt_at=utcnow()))
    if created:
        db.session.flush()
        if has_request_context():
            setattr(g, QUEUED_FLAG, True)  # send once the request has committed
    return created


def queue_email(to_address: str, subject: str, body: str) -> OutgoingEmail:
    """Queue one e-mail that is no notification (a link, a digest); it leaves after commit."""
    email = OutgoingEmail(to_address=to_address, subject=subject[:300], body=body,
                          status="pending", attempts=0, next_attempt_at=utcnow())
    db.session.add(email)
    db.session.flush()
    if has_request_context():
        setattr(g, QUEUED_FLAG, True)
    return email


def notify_organisation(organisation: Organisation, kind: str, **options) -> list[Notification]:
    """Notify every active partner user of an organisation (same options as ``notify``)."""
    users = db.session.scalars(
        select(User).where(User.organisation_id == organisation.id, User.role == "partner",
                           User.active.is_(True)).order_by(User.id)).all()
    return notify(users, kind, **options)


def _params(dossier: Dossier | None, params: dict | None) -> dict:
    """Return the stored params: the dossier's reference and title, then the caller's, as text."""
    values = {}
    if dossier is not None:
        values = {"reference": dossier.reference, "title": dossier.title}
    values.update({str(key): str(value) for key, value in (params or {}).items()
                   if value is not None})
    return values


def unread_count(user: User, cap: int | None = None) -> int:
    """Count the user's unread notifications (one query), stopping at `cap` when given."""
    unread = select(Notification.id).where(Notification.user_id == user.id,
                                           Notification.read_at.is_(None))
    if cap is not None:
        unread = unread.limit(cap)
    return db.session.scalar(select(func.count()).select_from(unread.subquery()))


@dataclass
class Inbox:
    """What a user has to deal with: overdue follow-ups (staff) and notifications."""

    staff: bool
    overdue: list = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def inbox(user: User, limit: int = 200) -> Inbox:
    """Return the user's overdue follow-ups and visible notifications, newest first."""
    staff = user.role in access.STAFF
    overdue = []
    if staff:
        overdue = db.session.execute(
            select(Dossier.id, Dossier.reference, Dossier.title, Dossier.next_follow_up)
            .where(Dossier.advisor_id == user.id, Dossier.next_follow_up < hub_today())
            .order_by(Dossier.next_follow_up, Dossier.id)).all()
    # The dossier's own collections load only if the access check asks for them.
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.dossier).lazyload("*"))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    visible = [n for n in notifications
               if n.dossier is None or access.can_see(user, n.dossier)]
    return Inbox(staff, list(overdue), visible)


def mark_read(notification: Notification, now: datetime | None = None) -> None:
    """Mark one notification read (kept as first read)."""
    if notification.read_at is None:
        notification.read_at = now or utcnow()


def mark_all_read(user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def outbox(limit: int = 500) -> list[OutgoingEmail]:
    """Return the e-mails still pending, given up on, or held for want of a mail server."""
    return db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.status.in_(("pending", "failed", "held")))
        .order_by(OutgoingEmail.status, OutgoingEmail.created_at.desc(),
                  OutgoingEmail.id.desc()).limit(limit)).all()


def retry(email: OutgoingEmail) -> None:
    """Put a failed e-mail back in the queue, due now, with a fresh count of attempts."""
    if email.status != "failed":
        raise DomainError(_("Seul un courriel en échec peut être relancé."))
    email.status, email.attempts, email.next_attempt_at = "pending", 0, utcnow()
    db.session.flush()
    if has_request_context():
        setattr(g, QUEUED_FLAG, True)


def send_pending(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the pending e-mails that are due; return (sent, failed). Never raises on a send."""
    now = now or utcnow()
    due = db.session.scalars(
        select(OutgoingEmail.id)
        .where(OutgoingEmail.status == "pending", OutgoingEmail.next_attempt_at <= now)
        .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id).limit(limit)).all()
    db.session.commit()  # end the read: each claim and each result is its own transaction
    sent = failed = 0
    for email_id in due:
        if not _claim(email_id, now):
            continue  # another sender took it
        email = db.session.get(OutgoingEmail, email_id)
        try:
            _deliver(email)
        except HeldInOutbox:
            email.status, email.last_error = "held", None
            email.attempts += 1
        except Exception as error:  # noqa: BLE001 (any failure is recorded and retried)
            _record_failure(email, error, now)
            failed += 1
        else:
            email.status, email.sent_at, email.last_error = "sent", utcnow(), None
            email.attempts += 1
            sent += 1
        db.session.commit()
    return sent, failed


class HeldInOutbox(Exception):
    """No mail server is configured: the e-mail stays in the outbox, unsent."""


def _claim(email_id: int, now: datetime) -> bool:
    """Take an e-mail for this sender, so two senders never send it twice."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, OutgoingEmail.status == "pending",
               OutgoingEmail.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM_LEASE).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _record_failure(email: OutgoingEmail, error: Exception, now: datetime) -> None:
    """Count a failed attempt, keep its error and schedule the next one or give up."""
    email.attempts += 1
    email.last_error = _error_text(error)
    if email.attempts >= MAX_ATTEMPTS:
        email.status = "failed"
    else:
        email.next_attempt_at = now + RETRY_DELAYS[min(email.attempts, len(RETRY_DELAYS)) - 1]
    current_app.logger.warning("outbox: e-mail %s failed (attempt %s): %s", email.id,
                               email.attempts, email.last_error)


def _error_text(error: Exception) -> str:
    """Describe an error for the outbox page, with the SMTP password blotted out."""
    text = f"{type(error).__name__}: {error}"
    password = current_app.config.get("SMTP_PASSWORD")
    if password:
        text = text.replace(str(password), "********")
    return text[:2000]


def _flag(value) -> bool:
    """Read a yes/no setting given as a bool or as text."""
    return value if isinstance(value, bool) else str(value).strip().lower() in {
        "1", "true", "yes", "on"}


def _deliver(email: OutgoingEmail) -> None:
    """Hand one e-mail to the SMTP server, or to the log when none is configured."""
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        # Names, titles and reasons stay out of the log: the coordinator reads the e-mail in
        # the outbox page.
        current_app.logger.info("outbox: no SMTP server configured; e-mail %s held in the "
                                "outbox.", email.id)
        raise HeldInOutbox
    sender = str(config.get("SMTP_FROM") or config.get("SMTP_USER") or "caseflow@localhost")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(email.body)
    with smtplib.SMTP(str(host), int(config.get("SMTP_PORT") or 587),
                      timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if _flag(config.get("SMTP_TLS", True)):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(str(config["SMTP_USER"]), str(config.get("SMTP_PASSWORD") or ""))
        smtp.send_message(message)
