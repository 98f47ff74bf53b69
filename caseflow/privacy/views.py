"""The privacy pages: the public privacy page, the coordinator's settings, retention, access
requests and the incident register; recording and withdrawing a dossier's consents."""


from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.auth.access import allow, public
from caseflow.boundary import page_status, submit
from caseflow.database import hub_today
from caseflow.documents.views import upload_folder
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.pages import dossier_page
from caseflow.extensions import db
from caseflow.i18n import language
from caseflow.privacy import consents, export, incidents, requests, retention, settings
from caseflow.privacy.forms import (
    AccessRequestForm,
    ButtonForm,
    ConsentForm,
    IncidentForm,
    RetentionApplyForm,
    SettingsForm,
    WithdrawConsentForm,
)
from caseflow.privacy.models import AccessRequest, Consent
from caseflow.privacy.retention_form import outcomes, retention_form
from caseflow.privacy.sections import fill_consent_form
from caseflow.reference.models import Organisation

bp = Blueprint("privacy", __name__)


@bp.route("/confidentialite")
@public
def policy():
    """Show the privacy page: the person in charge and the hub's policy."""
    values = settings.values()
    text = values["policy_en"] if language() == "en" and values["policy_en"] \
        else values["policy_fr"]
    return render_template("privacy/policy.html", values=values, text=text)


@bp.route("/confidentialite/reglages", methods=["GET", "POST"])
@allow("coordinator")
def settings_page():
    """Name the person in charge, edit the policy and set the retention terms."""
    values = settings.values()
    form = SettingsForm(data={**values, "removed_files_days": int(values["removed_files_days"])})
    saved = None
    if form.validate_on_submit():
        new = {name: str(getattr(form, name).data or "").strip() for name in settings.DEFAULTS}
        saved = submit(form, lambda: settings.save(current_user, new))
        if saved.saved:
            flash(_("Réglages de confidentialité enregistrés."), "success")
            return redirect(url_for("privacy.settings_page"), 303)
    return render_template("privacy/settings.html", form=form,
                           rules_form=retention_form(settings.rules()),
                           outcomes=outcomes(), default_years=settings.DEFAULT_YEARS
                           ), page_status(form, saved)


@bp.route("/confidentialite/reglages/conservation", methods=["POST"])
@allow("coordinator")
def retention_rules():
    """Set how many years each closing outcome keeps a dossier."""
    form = retention_form(settings.rules())
    saved = None
    if form.validate_on_submit():
        years = {code: getattr(form, f"outcome_{index}").data
                 for index, (code, _label) in enumerate(outcomes())}
        saved = submit(form, lambda: settings.set_rules(current_user, years))
        if saved.saved:
            flash(_("Délais de conservation enregistrés."), "success")
            return redirect(url_for("privacy.settings_page"), 303)
    values = settings.values()
    return render_template("privacy/settings.html", form=SettingsForm(data={
        **values, "removed_files_days": int(values["removed_files_days"])}),
        rules_form=form, outcomes=outcomes(), default_years=settings.DEFAULT_YEARS
    ), page_status(form, saved)


@bp.route("/confidentialite/conservation")
@allow("coordinator")
def retention_page():
    """List the dossiers past their retention term and the removed files due (a dry run)."""
    return _retention_page(RetentionApplyForm())


def _retention_page(form, status=200):
    return render_template("privacy/retention.html", due=retention.due(),
                           removed_files=len(retention.removed_files_due()),
                           form=form), status


@bp.route("/confidentialite/conservation", methods=["POST"])
@allow("coordinator")
def retention_apply():
    """Anonymise the dossiers past their term and destroy the removed files due."""
    form = RetentionApplyForm()
    if not form.validate_on_submit():
        return _retention_page(form, 400)
    done = submit(form, lambda: retention.apply(upload_folder(), current_user))
    if done.saved:
        flash(_("Dossiers anonymisés : %(count)d; fichiers retirés détruits : %(files)d.",
                count=len(done.value.dossiers), files=done.value.removed_files), "success")
    return redirect(url_for("privacy.retention_page"), 303)


@bp.route("/dossiers/<int:dossier_id>/consentements", methods=["POST"])
@allow(*STAFF)
def give_consent(dossier_id: int):
    """Record a promoter group's consent for one purpose."""
    dossier = visible_dossier(dossier_id, current_user)
    form = fill_consent_form(ConsentForm())
    recorded = None
    if form.validate():
        organisation = db.session.scalar(select(Organisation).where(
            Organisation.code == form.organisation.data)) if form.organisation.data else None
        fields = consents.ConsentFields(form.purpose.data, organisation, form.method.data,
                                        form.starts_on.data, form.ends_on.data)
        recorded = submit(form, lambda: consents.record_consent(
            dossier, current_user, form.version.data, fields), current=dossier)
        if recorded.saved:
            flash(_("Consentement consigné."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#consentements",
                            303)
    return dossier_page(dossier, page_status(form, recorded), consent_form=form)


@bp.route("/dossiers/<int:dossier_id>/consentements/<int:consent_id>/retrait",
          methods=["POST"])
@allow(*STAFF)
def withdraw_consent(dossier_id: int, consent_id: int):
    """Withdraw a consent; the partner's view loses what it covered at once."""
    dossier = visible_dossier(dossier_id, current_user)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.dossier_id != dossier.id:
        abort(404)
    form = WithdrawConsentForm()
    if not form.validate():
        abort(400)
    withdrawn = submit(form, lambda: consents.withdraw_consent(
        consent, current_user, form.version.data), current=dossier)
    if not withdrawn.saved:
        flash(withdrawn.message, "warning")
    else:
        flash(_("Consentement retiré : la transmission cesse dès maintenant."), "success")
    return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#consentements", 303)


@bp.route("/confidentialite/demandes", methods=["GET", "POST"])
@allow("coordinator")
def access_requests():
    """Log access and portability requests, and answer them with the person's export."""
    form = AccessRequestForm()
    logged = None
    if form.validate_on_submit():
        dossier = None
        reference = (form.dossier.data or "").strip()
        if reference:
            dossier = db.session.scalar(select(Dossier).where(Dossier.reference == reference))
            if dossier is None:
                form.dossier.errors = [_("Aucun dossier ne porte ce numéro.")]
        if not form.dossier.errors:
            fields = requests.RequestFields(form.kind.data, form.requester.data or "",
                                            form.email.data or "", dossier,
                                            form.received_on.data)
            logged = submit(form, lambda: requests.log_request(current_user, fields))
            if logged.saved:
                flash(_("Demande consignée; réponse attendue au plus tard le %(day)s.",
                        day=logged.value.due_on.isoformat()), "success")
                return redirect(url_for("privacy.access_requests"), 303)
        else:
            logged = submit(form, lambda: None)
            logged.status = 400
    status = page_status(form, logged) if form.is_submitted() else 200
    return render_template("privacy/requests.html", form=form,
                           access_requests=export.pending_requests(), today=hub_today(),
                           button=ButtonForm()), status


@bp.route("/confidentialite/demandes/<int:request_id>/export", methods=["POST"])
@allow("coordinator")
def export_request(request_id: int):
    """Answer a request with the ZIP of everything held about the person or group."""
    access_request = db.session.get(AccessRequest, request_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    content = requests.answer(access_request, current_user, upload_folder())
    name = f"renseignements-{access_request.id}-{hub_today().isoformat()}.zip"
    return Response(content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


@bp.route("/confidentialite/incidents", methods=["GET", "POST"])
@allow("coordinator")
def incidents_page():
    """Keep the register of confidentiality incidents."""
    form = IncidentForm()
    recorded = None
    if form.validate_on_submit():
        fields = incidents.IncidentFields(**{name: getattr(form, name).data
                                             for name in incidents.COLUMNS})
        recorded = submit(form, lambda: incidents.record_incident(current_user, fields))
        if recorded.saved:
            flash(_("Incident inscrit au registre."), "success")
            return redirect(url_for("privacy.incidents_page"), 303)
    return render_template("privacy/incidents.html", form=form,
                           incidents=incidents.register()), page_status(form, recorded)


@bp.route("/confidentialite/incidents.csv")
@allow("coordinator")
def incidents_csv():
    """Download the incident register as CSV (audited)."""
    return Response(incidents.to_csv(current_user), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="registre-incidents.csv"',
        "Cache-Control": "no-store"})
