"""Logging, correcting and removing the interventions of a dossier."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import allow
from caseflow.dossiers import choices, services
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.forms import InterventionForm, RemoveInterventionForm
from caseflow.dossiers.models import Intervention
from caseflow.dossiers.saving import conflict_page, save
from caseflow.dossiers.views import bp
from caseflow.errors import Conflict
from caseflow.extensions import db


def _intervention_or_404(dossier_id: int, intervention_id: int) -> Intervention:
    intervention = db.session.get(Intervention, intervention_id)
    if intervention is None or intervention.dossier_id != dossier_id:
        abort(404)
    return intervention


@bp.route("/<int:dossier_id>/interventions/new", methods=["GET", "POST"])
@allow(*STAFF)
def new_intervention(dossier_id: int):
    """Log a meeting, call, e-mail or workshop with the promoter group."""
    dossier = visible_dossier(dossier_id, current_user)
    form = InterventionForm(version=dossier.version, occurred_on=date.today())
    choices.fill_intervention_form(form)
    if form.validate_on_submit():
        saved = save(form, dossier_id, lambda: services.add_intervention(
            dossier, current_user, form.version.data, choices.intervention_fields(form)),
            _("Intervention enregistrée."), url_for("dossiers.show", dossier_id=dossier_id))
        if saved:
            return saved
    status = 400 if form.is_submitted() else 200
    return render_template("dossiers/intervention.html", form=form, dossier=dossier,
                           intervention=None), status


@bp.route("/<int:dossier_id>/interventions/<int:intervention_id>/edit",
          methods=["GET", "POST"])
@allow(*STAFF)
def edit_intervention(dossier_id: int, intervention_id: int):
    """Correct an intervention."""
    intervention = _intervention_or_404(dossier_id, intervention_id)
    dossier = intervention.dossier
    form = InterventionForm(obj=intervention, version=dossier.version)
    choices.fill_intervention_form(form)
    if request.method == "GET":  # the form shows codes, the intervention holds subjects
        form.subjects.data = [subject.code for subject in intervention.subjects]
    if form.validate_on_submit():
        saved = save(form, dossier_id, lambda: services.update_intervention(
            intervention, current_user, form.version.data, choices.intervention_fields(form)),
            _("Intervention corrigée."), url_for("dossiers.show", dossier_id=dossier_id))
        if saved:
            return saved
    status = 400 if form.is_submitted() else 200
    return render_template("dossiers/intervention.html", form=form, dossier=dossier,
                           intervention=intervention), status


@bp.route("/<int:dossier_id>/interventions/<int:intervention_id>/remove", methods=["POST"])
@allow(*STAFF)
def remove_intervention(dossier_id: int, intervention_id: int):
    """Remove an intervention logged by mistake (the audit log keeps it)."""
    intervention = _intervention_or_404(dossier_id, intervention_id)
    form = RemoveInterventionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove_intervention(intervention, current_user, form.version.data,
                                     form.reason.data or "")
    except Conflict as error:
        return conflict_page(dossier_id, error)
    db.session.commit()
    flash(_("Intervention retirée; le journal en garde la trace."), "success")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id), 303)
