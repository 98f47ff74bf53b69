"""A dossier's financing lines: add, correct, record a decision, remove."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import allow
from caseflow.boundary import page_status, submit
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.extensions import db
from caseflow.financing import choices, services
from caseflow.financing.forms import FinancingForm, RemoveFinancingForm
from caseflow.financing.models import FinancingLine

bp = Blueprint("financing", __name__, url_prefix="/dossiers")


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
    form = _line_form(dossier, existing if request.method == "GET" else None)
    saved = None
    if form.validate_on_submit():
        def change():
            if existing is None:
                return services.add_line(dossier, current_user, form.version.data,
                                         choices.financing_fields(form))
            return services.update_line(existing, dossier, current_user, form.version.data,
                                        choices.financing_fields(form))

        saved = submit(form, change, current=dossier)
        if saved.saved:
            flash(_("Financement enregistré."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#financement", 303)
    return _line_page(form, dossier, existing, page_status(form, saved))


def _line_form(dossier, existing=None) -> FinancingForm:
    """Return the line's form, filled with the line as it is when one is given."""
    form = FinancingForm(obj=existing, version=dossier.version)
    choices.fill_financing_form(form)
    if existing is not None:
        form.fund.data = existing.fund.code
        form.organisation.data = existing.organisation.code if existing.organisation else ""
    return form


def _line_page(form, dossier, existing, status, remove_form=None):
    return render_template("financing/line.html", form=form, dossier=dossier, line=existing,
                           remove_form=remove_form or RemoveFinancingForm(
                               version=dossier.version)), status


@bp.route("/<int:dossier_id>/financing/<int:line_id>/remove", methods=["POST"])
@allow(*STAFF)
def remove(dossier_id: int, line_id: int):
    """Remove a financing line entered by mistake."""
    dossier = visible_dossier(dossier_id, current_user)
    existing = _line_or_404(dossier_id, line_id)
    form = RemoveFinancingForm()
    if not form.validate():
        abort(400)
    removed = submit(form, lambda: services.remove_line(existing, dossier, current_user,
                                                        form.version.data), current=dossier)
    if not removed.saved:
        return _line_page(_line_form(dossier, existing), dossier, existing, removed.status,
                          remove_form=form)
    flash(_("Ligne de financement retirée."), "success")
    return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#financement", 303)
