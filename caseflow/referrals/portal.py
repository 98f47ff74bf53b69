"""The partner portal: the referrals to my organisation, and my answers to the hub."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import EVERYONE, allow
from caseflow.boundary import page_status, submit
from caseflow.documents.sections import checklist_section
from caseflow.dossiers.access import record_partner_view, shared_with
from caseflow.financing import choices
from caseflow.financing.forms import FinancingForm
from caseflow.referrals import queries, services
from caseflow.referrals.forms import NoteForm, ReferralActionForm
from caseflow.referrals.lifecycle import PARTNER, PARTNER_ACTIONS, TABS, actions_from
from caseflow.referrals.models import Referral

bp = Blueprint("partners", __name__, url_prefix="/partenaires")


def _referral_or_404(referral_id: int) -> Referral:
    referral = services.visible_referral(referral_id, current_user)
    if referral is None:
        abort(404)
    return referral


@bp.route("/")
@allow("partner")
def inbox():
    """Show the referrals to my organisation, by what they need from me."""
    tab = request.args.get("onglet", "waiting")
    if tab not in queries.INBOX_TABS and tab != "all":
        abort(404)
    try:
        before = queries.parse_cursor(request.args.get("avant"))
    except ValueError:
        abort(404)
    organisation_id = current_user.organisation_id
    referrals, after = queries.inbox(organisation_id, tab, before)
    return render_template("referrals/inbox.html", tab=tab, tabs=TABS.values(),
                           referrals=referrals, next_page=queries.format_cursor(after),
                           first_page=before is None,
                           counts=queries.inbox_counts(organisation_id))


def render_referral(referral: Referral, action_form=None, note_form=None, status=200):
    """Render a referral with the dossier facts the hub shares with its organisation.

    A partner sees the dossier while the referral is open or accepted, its people and files
    only under a consent in force, and only its own organisation's financing decisions;
    after completion, its own record of the referral alone. What it is shown is audited.
    """
    dossier = referral.dossier
    partner = current_user.role == "partner"
    shown = referral.dossier_shown or not partner
    shares = shared_with(current_user, dossier) if shown else frozenset()
    lines = [line for line in dossier.financing_lines
             if not partner or line.organisation_id == current_user.organisation_id]
    if partner and shown:
        record_partner_view(current_user, dossier.id, ["facts", *shares],
                            entity_type="referral", entity_id=referral.id)
    return render_template(
        "referrals/referral.html", referral=referral, dossier=dossier, dossier_shown=shown,
        consent="contacts" in shares, documents_shared="documents" in shares,
        financing_lines=lines, **checklist_section(dossier),
        action_form=action_form or ReferralActionForm(version=referral.version),
        note_form=note_form or NoteForm(),
        actions=actions_from(referral.state, PARTNER)), status


@bp.route("/referencements/<int:referral_id>")
@allow(*EVERYONE)
def referral(referral_id: int):
    """Show one referral and what may be done with it now."""
    return render_referral(_referral_or_404(referral_id))


@bp.route("/referencements/<int:referral_id>/<action>", methods=["POST"])
@allow("partner")
def answer(referral_id: int, action: str):
    """Acknowledge, accept, return or complete a referral to my organisation."""
    referral = _referral_or_404(referral_id)
    if action not in PARTNER_ACTIONS:
        abort(404)
    form = ReferralActionForm()
    answered = None
    if form.validate():
        answered = submit(form, lambda: services.act(
            referral, current_user, action, form.version.data, form.text.data or "",
            form.result.data or None), current=referral, refused=422)
        if answered.saved:
            flash(_("Réponse transmise au Pôle."), "success")
            return redirect(url_for("partners.referral", referral_id=referral_id), 303)
    # Like a refused answer, a form that does not hold answers 422 on the referral page.
    return render_referral(referral, action_form=form,
                           status=answered.status if answered else 422)


@bp.route("/referencements/<int:referral_id>/notes", methods=["POST"])
@allow(*EVERYONE)
def note(referral_id: int):
    """Leave a note on a referral for the other side."""
    referral = _referral_or_404(referral_id)
    form = NoteForm()
    noted = None
    if form.validate():
        noted = submit(form, lambda: services.add_note(referral, current_user, form.body.data))
        if noted.saved:
            flash(_("Note ajoutée."), "success")
            return redirect(url_for("partners.referral", referral_id=referral_id), 303)
    return render_referral(referral, note_form=form, status=page_status(form, noted))


@bp.route("/referencements/<int:referral_id>/financement", methods=["GET", "POST"])
@allow("partner")
def financing_decision(referral_id: int):
    """Record my organisation's financing decision on a referred dossier."""
    referral = _referral_or_404(referral_id)
    if not referral.may_record_financing:
        flash(_("Acceptez d'abord le référencement pour consigner une décision de "
                "financement."), "warning")
        return redirect(url_for("partners.referral", referral_id=referral_id), 303)
    dossier = referral.dossier
    form = FinancingForm(version=dossier.version, decision="authorised")
    choices.fill_financing_form(form)
    del form.organisation
    recorded = None
    if form.validate_on_submit():
        fields = choices.financing_fields(form, organisation=current_user.organisation)
        recorded = submit(form, lambda: services.record_financing_decision(
            referral, current_user, form.version.data, fields), current=dossier)
        if recorded.saved:
            flash(_("Décision de financement consignée."), "success")
            return redirect(url_for("partners.referral", referral_id=referral_id), 303)
    return render_template("referrals/financing.html", form=form, referral=referral,
                           dossier=dossier), page_status(form, recorded)
