"""A dossier's financing lines: add, correct, record a decision, remove."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.auth.access import allow
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.choices import BLANK, items
from caseflow.dossiers.saving import conflict_page, save
from caseflow.errors import Conflict
from caseflow.extensions import db
from caseflow.financing import services
from caseflow.financing.forms import FinancingForm, RemoveFinancingForm
from caseflow.financing.models import FinancingLine
from caseflow.forms import choices
from caseflow.reference.models import Fund, Organisation

bp = Blueprint("financing", __name__, url_prefix="/dossiers")


def _fill(form: FinancingForm) -> None:
    form.fund.choices = choices([BLANK, *((f.code, f.label) for f in items(Fund))])
    organisations = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                       .order_by(Organisation.kind, Organisation.name))
    form.organisation.choices = choices([("", _("— Aucune —")),
                                         *((o.code, o.name) for o in organisations)])


def _fields(form: FinancingForm, organisation=None) -> services.FinancingFields:
    """Return what a valid financing form says; a partner's form names no organisation."""
    def by_code(model, code):
        return db.session.scalar(select(model).where(model.code == code)) if code else None

    if form.organisation is not None:
        organisation = by_code(Organisation, form.organisation.data)
    return services.FinancingFields(
        fund=by_code(Fund, form.fund.data), organisation=organisation,
        decision=form.decision.data, amount_requested=form.amount_requested.data or 0,
        amount_authorised=form.amount_authorised.data, decided_on=form.decided_on.data,
        investment=form.investment.data or 0, jobs_created=form.jobs_created.data or 0,
        jobs_maintained=form.jobs_maintained.data or 0, notes=form.notes.data or "")


def _line_or_404(dossier_id: int, line_id: int) -> FinancingLine:
    line = db.session.get(FinancingLine, line_id)
    if line is None or line.dossier_id != dossier_id:
        abort(404)
    return line


@bp.route("/<int:dossier_id>/financing/new", methods=["GET", "POST"])
@bp.route("/<int:dossier_id>/financing/<int:line_id>", methods=["GET", "POST"])
@allow(*STAFF)
def line(dossier_id: int, line_id: int | None = None):
    """Add a financing line, or correct one and record its decision."""
    dossier = visible_dossier(dossier_id, current_user)
    existing = _line_or_404(dossier_id, line_id) if line_id else None
    form = FinancingForm(obj=existing if request.method == "GET" else None,
                         version=dossier.version)
    _fill(form)
    if existing is not None and request.method == "GET":
        form.fund.data = existing.fund.code
        form.organisation.data = existing.organisation.code if existing.organisation else ""
    if form.validate_on_submit():
        def change():
            if existing is None:
                return services.add_line(dossier, current_user, form.version.data, _fields(form))
            return services.update_line(existing, dossier, current_user, form.version.data,
                                        _fields(form))

        saved = save(form, dossier_id, change, _("Financement enregistré."),
                     url_for("dossiers.show", dossier_id=dossier_id) + "#financement")
        if saved:
            return saved
    status = 400 if form.is_submitted() else 200
    return render_template("financing/line.html", form=form, dossier=dossier, line=existing,
                           remove_form=RemoveFinancingForm(version=dossier.version)), status


@bp.route("/<int:dossier_id>/financing/<int:line_id>/remove", methods=["POST"])
@allow(*STAFF)
def remove(dossier_id: int, line_id: int):
    """Remove a financing line entered by mistake."""
    dossier = visible_dossier(dossier_id, current_user)
    existing = _line_or_404(dossier_id, line_id)
    form = RemoveFinancingForm()
    if not form.validate():
        abort(400)
    try:
        services.remove_line(existing, dossier, current_user, form.version.data)
    except Conflict as error:
        return conflict_page(dossier_id, error)
    db.session.commit()
    flash(_("Ligne de financement retirée."), "success")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id) + "#financement", 303)
