"""Logging, correcting and removing the interventions of a dossier."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import allow
from caseflow.boundary import page_status, submit
from caseflow.database import hub_today
from caseflow.dossiers import choices, services
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.forms import InterventionForm, RemoveInterventionForm
from caseflow.dossiers.models import Intervention
from caseflow.dossiers.pages import dossier_page
from caseflow.extensions import db


def _intervention_or_404(dossier_id: int, intervention_id: int) -> Intervention:
    visible_dossier(dossier_id, current_user)
    intervention = db.session.get(Intervention, intervention_id)
    if intervention is None or intervention.dossier_id != dossier_id:
        abort(404)
    return intervention


@allow(*STAFF)
def new_intervention(dossier_id: int):
    """Log a meeting, call, e-mail or workshop with the promoter group."""
    dossier = visible_dossier(dossier_id, current_user)
    form = InterventionForm(version=dossier.version, occurred_on=hub_today())
    choices.fill_intervention_form(form)
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_intervention(
            dossier, current_user, form.version.data, choices.intervention_fields(form)),
            current=dossier)
        if added.saved:
            flash(_("Intervention enregistrée."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)
    return render_template("dossiers/intervention.html", form=form, dossier=dossier,
                           intervention=None), page_status(form, added)


@allow(*STAFF)
def edit_intervention(dossier_id: int, intervention_id: int):
    """Correct an intervention."""
    intervention = _intervention_or_404(dossier_id, intervention_id)
    dossier = intervention.dossier
    form = InterventionForm(obj=intervention, version=dossier.version)
    choices.fill_intervention_form(form)
    if request.method == "GET":  # the form shows codes, the intervention holds subjects
        form.subjects.data = [subject.code for subject in intervention.subjects]
    corrected = None
    if form.validate_on_submit():
        corrected = submit(form, lambda: services.update_intervention(
            intervention, current_user, form.version.data, choices.intervention_fields(form)),
            current=dossier)
        if corrected.saved:
            flash(_("Intervention corrigée."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)
    return render_template("dossiers/intervention.html", form=form, dossier=dossier,
                           intervention=intervention), page_status(form, corrected)


@allow(*STAFF)
def remove_intervention(dossier_id: int, intervention_id: int):
    """Remove an intervention logged by mistake (the audit log keeps it)."""
    intervention = _intervention_or_404(dossier_id, intervention_id)
    dossier = intervention.dossier
    form = RemoveInterventionForm()
    if not form.validate_on_submit():
        abort(400)
    removed = submit(form, lambda: services.remove_intervention(
        intervention, current_user, form.version.data, form.reason.data or ""), current=dossier)
    if not removed.saved:
        return dossier_page(dossier, removed.status, remove_form=form)
    flash(_("Intervention retirée; le journal en garde la trace."), "success")
    return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)


# (rule, view, methods), added to the dossiers blueprint
RULES = [
    ("/<int:dossier_id>/interventions/new", new_intervention, ["GET", "POST"]),
    ("/<int:dossier_id>/interventions/<int:intervention_id>/edit", edit_intervention,
     ["GET", "POST"]),
    ("/<int:dossier_id>/interventions/<int:intervention_id>/remove", remove_intervention,
     ["POST"]),
]
