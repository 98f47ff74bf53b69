"""Publishing a period's report, and telling what today's data would change in it."""


from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.reports.figures import compute, flatten
from caseflow.reports.models import PublishedReport
from caseflow.reports.periods import Period


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
    today = flatten(compute(Period(report.start, report.end), with_previous=False))
    then = flatten(report.figures)
    return [(key, then.get(key), today.get(key)) for key in sorted(set(then) | set(today))
            if then.get(key) != today.get(key)]
