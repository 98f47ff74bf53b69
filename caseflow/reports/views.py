"""The annual report: chosen period, figures in the report's wording, downloads, publishing."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from caseflow.auth.access import allow
from caseflow.boundary import submit
from caseflow.database import hub_today
from caseflow.dossiers.models import Intervention
from caseflow.extensions import db
from caseflow.forms import Form
from caseflow.reports import exports, services
from caseflow.reports.figures import change
from caseflow.reports.labels import tables
from caseflow.reports.periods import Period, PeriodError, fiscal_year, fiscal_year_of, parse_period

bp = Blueprint("reports", __name__, url_prefix="/rapports")
FORMATS = {
    "json": ("application/json", exports.to_json),
    "csv": ("text/csv", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             exports.to_xlsx),
}


def _fiscal_years() -> list[Period]:
    first = db.session.scalar(select(func.min(Intervention.occurred_on))) or hub_today()
    # Offer a few past years even before they are imported: the empty report says how.
    first = max(min(first, date(hub_today().year - 5, 4, 1)), date(1990, 4, 1))
    current = fiscal_year_of(hub_today())
    return [fiscal_year(year) for year in range(current.start.year,
                                                fiscal_year_of(first).start.year - 1, -1)]


def _period() -> Period:
    text = request.args.get("periode") or request.form.get("periode")
    if not text and request.args.get("debut") and request.args.get("fin"):
        text = f"{request.args['debut']}..{request.args['fin']}"
    if not text:
        return fiscal_year_of(hub_today()).previous()
    try:
        return parse_period(text)
    except PeriodError:
        abort(400, description=_("Période invalide : choisissez une année financière "
                                 "(2017-2018) ou deux dates, la seconde après la première."))


def _figures(period: Period) -> tuple[dict, object]:
    report = services.published(period)
    return (report.figures if report else services.current(period)), report


@bp.route("/")
@allow("coordinator")
def show():
    """Show the report of a period as the hub publishes it."""
    period = _period()
    figures, report = _figures(period)
    return render_template("reports/show.html", period=period, figures=figures,
                           report=report, drift=services.drift(report) if report else [],
                           tables=tables(figures), years=_fiscal_years(), change=change,
                           publish_form=Form(), today=hub_today())


@bp.route("/export.<fmt>")
@allow("coordinator")
def export(fmt: str):
    """Download the report as JSON, CSV or XLSX."""
    if fmt not in FORMATS:
        abort(404)
    period = _period()
    figures, _report = _figures(period)
    mimetype, write = FORMATS[fmt]
    name = f"bilan-{period.label.replace('..', '_')}.{fmt}"
    return Response(write(figures), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/publier", methods=["POST"])
@allow("coordinator")
def publish():
    """Publish a period's figures: they are frozen as they are today."""
    form = Form()
    if not form.validate():
        abort(400)
    period = _period()
    published = submit(form, lambda: services.publish(period, current_user))
    if published.saved:
        flash(_("Bilan %(period)s publié.", period=period.label), "success")
    else:
        flash(published.message, "warning")
    return redirect(url_for("reports.show", periode=period.label), 303)
