"""The `caseflow notifications` commands, for a cron job that retries the outbox."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.notifications.models import OutgoingEmail
from caseflow.notifications.services import send_pending


@click.group("notifications")
def notifications() -> None:
    """Send and check the e-mail outbox."""


@notifications.command("digest")
@click.option("--date", "day", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="Day to prepare (default: today).")
@click.option("--weekly/--no-weekly", default=None,
              help="Send the coordinators' weekly summary (default: on Mondays).")
@with_appcontext
def digest(day, weekly) -> None:
    """E-mail each advisor their follow-ups due today and overdue (run once a day by cron)."""
    from caseflow.notifications.digest import run_digest

    run = run_digest(day.date() if day else None, weekly)
    db.session.commit()
    sent, failed = send_pending()
    click.echo(f"Follow-up e-mails queued: {run.advisors}, weekly summaries: {run.summaries}; "
               f"sent now: {sent}, failed: {failed}.")


@notifications.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most e-mails to send in this run.")
@with_appcontext
def send(limit: int) -> None:
    """Send the e-mails that are due; failures are retried later with a growing delay."""
    sent, failed = send_pending(limit=limit)
    counts = dict(db.session.execute(
        select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)).all())
    db.session.commit()
    click.echo(f"E-mails sent: {sent}, failed: {failed}; "
               f"still pending: {counts.get('pending', 0)}, "
               f"given up: {counts.get('failed', 0)}.")
