"""The dashboard, the interventions list, the lists' exports and the saved filters."""

from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from caseflow.auth.access import allow
from caseflow.auth.models import STAFF
from caseflow.boundary import submit
from caseflow.database import hub_today
from caseflow.desk import dashboard as figures
from caseflow.desk import interventions as listing
from caseflow.desk.charts import linked_bars
from caseflow.desk.exports import download
from caseflow.desk.models import FILTERED_LISTS, SavedFilter
from caseflow.dossiers import queries
from caseflow.dossiers.models import INTERVENTION_KIND_LABELS
from caseflow.dossiers.views import read_filters
from caseflow.dossiers.workflows import definition
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.forms import Form
from caseflow.reports.periods import PeriodError, fiscal_year_of, parse_period
from caseflow.templating import label

EXPORT_LIMIT = 50_000


class DashboardForm(Form):
    class Meta:
        csrf = False

    period = StringField(_l("Période"), validators=[Optional(), Length(max=40)],
                         description=_l("Une année financière (2026-2027) ou deux dates "
                                        "(2026-04-01..2026-09-30)."))
    waiting = IntegerField(_l("Référencements sans réponse depuis (jours)"), default=14,
                           validators=[Optional(), NumberRange(1, 3650)])


class SaveFilterForm(Form):
    list_name = HiddenField(validators=[DataRequired()])
    query = HiddenField(validators=[Optional(), Length(max=2000)])
    name = StringField(_l("Nom du filtre"), validators=[
        DataRequired(_l("Donnez un nom au filtre.")), Length(max=80)])


@allow(*STAFF)
def dashboard():
    """Show the hub's figures for a period (an advisor: their own), each linked to its list."""
    form = DashboardForm(request.args)
    period = fiscal_year_of(hub_today())
    if form.validate() and form.period.data:
        try:
            period = parse_period(form.period.data)
        except PeriodError:
            form.period.errors = [_("Période non reconnue : entrez 2026-2027 ou "
                                    "2026-04-01..2026-09-30.")]
    if form.errors:
        return render_template("desk/dashboard.html", form=form, board=None), 400
    form.period.data = period.label
    board = figures.compute(current_user, period, form.waiting.data or 14)

    built: dict = {}

    def caseload_url(filters):
        # Each figure links twice (its bar and its row): build each link once.
        key = tuple(filters.items())
        found = built.get(key)
        if found is None:
            found = built[key] = url_for("dossiers.caseload", **filters)
        return found

    def chart(rows, title):
        return linked_bars([(f.label, f.count, caseload_url(f.filters)) for f in rows], title)

    return render_template("desk/dashboard.html", form=form, board=board,
                           caseload_url=caseload_url, chart=chart,
                           state_label=lambda row: label(definition(row.workflow).state(
                               row.state)) if row.state in definition(row.workflow).states
                           else row.state)


@allow(*STAFF)
def interventions():
    """List interventions with their time spent, filtered by advisor, kind, territory, date."""
    form, filters = listing.read_filters(request.args, _("Tous"))
    if filters is None:
        return render_template("desk/interventions.html", form=form, page=None), 400
    page = db.paginate(listing.listed(filters), page=filters.page,
                       per_page=current_app.config["CASELOAD_PAGE_SIZE"], error_out=False,
                       count=True)
    count, minutes = listing.totals(filters)
    return render_template("desk/interventions.html", form=form, page=page, count=count,
                           hours=round(minutes / 60, 1), saved=_saved("interventions"))


@allow(*STAFF)
def interventions_export(fmt: str):
    """Download the filtered interventions list as CSV or XLSX."""
    form, filters = listing.read_filters(request.args, _("Tous"))
    if filters is None or fmt not in ("csv", "xlsx"):
        abort(400)
    rows = db.session.scalars(listing.listed(filters).limit(EXPORT_LIMIT))
    header = [_("Date"), _("Référence"), _("Dossier"), _("Type"), _("Minutes"),
              _("Sujets"), _("Conseiller ou conseillère")]
    return download(fmt, "interventions", header, (
        [i.occurred_on.isoformat(), i.dossier.reference, i.dossier.title,
         str(INTERVENTION_KIND_LABELS.get(i.kind, i.kind)), i.minutes,
         ", ".join(s.label for s in i.subjects), i.author.full_name if i.author else ""]
        for i in rows))


@allow(*STAFF)
def caseload_export(fmt: str):
    """Download the filtered caseload, as the list shows it, as CSV or XLSX."""
    form, filters = read_filters(request.args)
    if filters is None or fmt not in ("csv", "xlsx"):
        abort(400)
    rows = db.session.scalars(queries.filtered(filters, current_user).limit(EXPORT_LIMIT))
    header = [_("Référence"), _("Dossier"), _("Groupe promoteur"), _("Étape"),
              _("Territoire"), _("Secteur"), _("Conseiller ou conseillère"), _("Ouvert le"),
              _("Prochain suivi")]

    def state(dossier):
        workflow = definition(dossier.workflow)
        found = workflow.states.get(dossier.state)
        return label(found) if found else dossier.state

    return download(fmt, "dossiers", header, (
        [d.reference, d.title, d.promoter_name, state(d), d.territory.label, d.sector.label,
         d.advisor.full_name if d.advisor else "", d.opened_on.isoformat(),
         d.next_follow_up.isoformat() if d.next_follow_up else ""] for d in rows.unique()))


def _saved(list_name: str) -> list[SavedFilter]:
    return db.session.scalars(select(SavedFilter).where(
        SavedFilter.user_id == current_user.id, SavedFilter.list_name == list_name)
        .order_by(SavedFilter.name)).all()


def saved_filters(list_name: str) -> list[SavedFilter]:
    """Return the current person's saved filters of a list (for the lists' toolbars)."""
    return _saved(list_name)


def save_filter_form(list_name: str, args) -> SaveFilterForm:
    """Return the form that saves the current filters of a list."""
    query = urlencode([(k, v) for k, v in args.items(multi=True) if k != "page" and v])
    return SaveFilterForm(formdata=None, list_name=list_name, query=query)


def _save(user, list_name: str, name: str, query: str) -> SavedFilter:
    if list_name not in FILTERED_LISTS:
        raise DomainError(_("Liste inconnue."))
    existing = db.session.scalar(select(SavedFilter).where(
        SavedFilter.user_id == user.id, SavedFilter.list_name == list_name,
        SavedFilter.name == name.strip()))
    saved = existing or SavedFilter(user_id=user.id, list_name=list_name, name=name.strip())
    saved.query = query or ""
    db.session.add(saved)
    db.session.flush()
    return saved


LIST_ENDPOINTS = {"caseload": "dossiers.caseload", "interventions": "desk.interventions",
                  "audit": "desk.audit_log"}


@allow(*STAFF)
def save_filter():
    """Save the filters of a list under a name, for the current person only."""
    form = SaveFilterForm()
    if not form.validate_on_submit() or form.list_name.data not in FILTERED_LISTS:
        abort(400)
    saved = submit(form, lambda: _save(current_user, form.list_name.data, form.name.data,
                                       form.query.data))
    if saved.saved:
        flash(_("Filtre enregistré : %(name)s.", name=saved.value.name), "success")
    target = url_for(LIST_ENDPOINTS[form.list_name.data])
    return redirect(f"{target}?{form.query.data}" if form.query.data else target, 303)


@allow(*STAFF)
def delete_filter(filter_number: int):
    """Forget one of the current person's saved filters."""
    saved = db.session.get(SavedFilter, filter_number)
    if saved is None or saved.user_id != current_user.id or not Form().validate_on_submit():
        abort(404)
    db.session.delete(saved)
    flash(_("Filtre supprimé : %(name)s.", name=saved.name), "success")
    return redirect(url_for(LIST_ENDPOINTS.get(saved.list_name, "desk.home_page")), 303)


RULES = [
    ("/desk/dashboard", dashboard, ["GET"]),
    ("/desk/interventions", interventions, ["GET"]),
    ("/desk/interventions.<fmt>", interventions_export, ["GET"]),
    ("/desk/dossiers.<fmt>", caseload_export, ["GET"]),
    ("/desk/filters", save_filter, ["POST"]),
    ("/desk/filters/<int:filter_number>/delete", delete_filter, ["POST"]),
]
