"""Publishing a period's report, telling what today's data would change in it, and the
figures of today's data, remembered while nothing changes."""

import copy
from collections import OrderedDict

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.audit.models import AuditHead
from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.reports.figures import compute, flatten
from caseflow.reports.models import PublishedReport
from caseflow.reports.periods import Period

FIGURES = "caseflow.report_figures"
REMEMBERED = 16  # periods (with or without the previous one) a worker keeps


def current(period: Period, with_previous: bool = True) -> dict:
    """Return today's figures of a period, as `compute` does.

    Every change to what the report counts appends to the audit chain in its transaction, so
    figures computed at one head of the chain (its number and hash: a restored database has
    another history) hold until the head moves: a worker keeps the last few and computes
    again once anything was written."""
    head = tuple(db.session.execute(select(AuditHead.seq, AuditHead.hash)
                                    .where(AuditHead.id == 1)).one_or_none() or ())
    remembered = current_app.extensions.setdefault(FIGURES, OrderedDict())
    key = (period.start, period.end, with_previous, head)
    figures = remembered.get(key)
    if figures is None:
        figures = remembered[key] = compute(period, with_previous)
        while len(remembered) > REMEMBERED:
            remembered.popitem(last=False)
    else:
        remembered.move_to_end(key)
    return copy.deepcopy(figures)


def published(period: Period) -> PublishedReport | None:
    """Return the published report of a period, if there is one."""
    return db.session.scalar(select(PublishedReport).where(
        PublishedReport.start == period.start, PublishedReport.end == period.end))


def publish(period: Period, actor: User) -> PublishedReport:
    """Freeze today's figures of a period as its published report."""
    if period.end >= hub_today():
        raise DomainError(_("Seule une période terminée peut être publiée."))
    if published(period) is not None:
        raise DomainError(_("Le bilan de cette période est déjà publié."))
    figures = compute(period)
    report = PublishedReport(start=period.start, end=period.end, figures=figures,
                             published_by=actor)
    db.session.add(report)
    db.session.flush()
    record("report.published", "published_report", report.id, actor=actor,
           changes={"period": period.label, "dossiers": figures["dossiers"],
                    "interventions": figures["interventions"]})
    return report


def drift(report: PublishedReport) -> list[tuple[str, object, object]]:
    """Return each figure that today's data would change: (key, published, today)."""
    today = flatten(current(Period(report.start, report.end), with_previous=False))
    then = flatten(report.figures)
    return [(key, then.get(key), today.get(key)) for key in sorted(set(then) | set(today))
            if then.get(key) != today.get(key)]
