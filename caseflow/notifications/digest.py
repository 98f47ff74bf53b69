"""The follow-up e-mails: each morning, every advisor's follow-ups due today and overdue; on
Mondays, the coordinator's weekly summary. Each person may turn them off."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.i18n import colon
from caseflow.notifications.messages import DEFAULT_BASE_URL
from caseflow.notifications.services import queue_email

WEEKLY_DAY = 0  # Monday


@dataclass
class DigestRun:
    advisors: int = 0
    summaries: int = 0


def _base_url() -> str:
    return str(current_app.config.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def due_follow_ups(user: User, today: date) -> tuple[list[Dossier], list[Dossier]]:
    """Return the person's open dossiers whose follow-up is overdue, and those due today."""
    rows = db.session.scalars(
        select(Dossier).where(Dossier.advisor_id == user.id, Dossier.outcome.is_(None),
                              Dossier.next_follow_up <= today)
        .order_by(Dossier.next_follow_up, Dossier.reference)).unique().all()
    return ([d for d in rows if d.next_follow_up < today],
            [d for d in rows if d.next_follow_up == today])


def _line(dossier: Dossier) -> str:
    note = f" — {dossier.follow_up_note}" if dossier.follow_up_note else ""
    return (f"- {dossier.next_follow_up.isoformat()} · {dossier.reference} · {dossier.title}"
            f"{note}\n  {_base_url()}/dossiers/{dossier.id}")


def advisor_email(user: User, overdue: list, today_list: list) -> tuple[str, str]:
    """Return the subject and body of an advisor's daily follow-up e-mail."""
    with force_locale("en" if user.locale == "en" else "fr_CA"):
        subject = _("Vos suivis : %(overdue)d en retard, %(today)d aujourd'hui",
                    overdue=len(overdue), today=len(today_list))
        lines = [_("Bonjour %(name)s,", name=user.full_name), ""]
        if overdue:
            lines += [_("Suivis en retard :"), *(_line(d) for d in overdue), ""]
        if today_list:
            lines += [_("Suivis prévus aujourd'hui :"), *(_line(d) for d in today_list), ""]
        lines += ["-- ", _("Pour ne plus recevoir ces courriels : %(link)s",
                           link=_base_url() + "/account/emails")]
    return subject, "\n".join(lines) + "\n"


def summary_email(user: User, today: date) -> tuple[str, str]:
    """Return the coordinator's weekly summary: open dossiers and follow-ups per advisor."""
    rows = db.session.execute(
        select(User.full_name, func.count(),
               func.sum(case((Dossier.next_follow_up < today, 1), else_=0)),
               func.sum(case((and_(Dossier.next_follow_up >= today,
                                   Dossier.next_follow_up <= today + timedelta(days=7)), 1),
                             else_=0)))
        .join(User, User.id == Dossier.advisor_id).where(Dossier.outcome.is_(None))
        .group_by(User.full_name).order_by(User.full_name)).all()
    with force_locale("en" if user.locale == "en" else "fr_CA"):
        subject = _("Sommaire de la semaine du %(date)s", date=today.isoformat())
        lines = [_("Bonjour %(name)s,", name=user.full_name), "",
                 _("Dossiers en cours, suivis en retard et dus cette semaine, par personne :"),
                 ""]
        lines += [f"- {name}{colon()}{count} · {int(overdue or 0)} · {int(week or 0)}"
                  for name, count, overdue, week in rows] or [_("Aucun dossier en cours.")]
        lines += ["", _("Tableau de bord : %(link)s", link=_base_url() + "/desk/dashboard"),
                  "-- ", _("Pour ne plus recevoir ces courriels : %(link)s",
                           link=_base_url() + "/account/emails")]
    return subject, "\n".join(lines) + "\n"


def run_digest(today: date | None = None, weekly: bool | None = None) -> DigestRun:
    """Queue today's follow-up e-mails (and, on Mondays or when asked, the weekly summary)."""
    today = today or hub_today()
    weekly = today.weekday() == WEEKLY_DAY if weekly is None else weekly
    run = DigestRun()
    people = db.session.scalars(select(User).where(
        User.role.in_(STAFF), User.active.is_(True), User.digest_enabled.is_(True))
        .order_by(User.id)).all()
    for user in people:
        overdue, today_list = due_follow_ups(user, today)
        if overdue or today_list:
            queue_email(user.email, *advisor_email(user, overdue, today_list))
            run.advisors += 1
        if weekly and user.role == "coordinator":
            queue_email(user.email, *summary_email(user, today))
            run.summaries += 1
    return run
