"""The hub's side of referrals: refer a dossier, withdraw a referral, follow them all."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.auth.access import allow
from caseflow.boundary import page_status, submit
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.pages import dossier_page
from caseflow.dossiers.workflows import definition
from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.i18n import language
from caseflow.reference.models import Organisation
from caseflow.referrals import queries, services
from caseflow.referrals.forms import ReferralActionForm, ReferralFilterForm, ReferralForm
from caseflow.referrals.models import Referral

bp = Blueprint("referrals", __name__)


def _organisations():
    return db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                              .order_by(Organisation.kind, Organisation.name)).all()


@bp.route("/dossiers/<int:dossier_id>/referrals/new", methods=["GET", "POST"])
@allow(*STAFF)
def new(dossier_id: int):
    """Refer a dossier to an MRC or partner, through the workflow step or on its own."""
    dossier = visible_dossier(dossier_id, current_user)
    through = request.args.get("through") or None
    workflow = definition(dossier.workflow)
    if through and not any(t.trigger == through and "referral" in t.fields
                           for t in workflow.transitions):
        abort(404)
    form = ReferralForm(version=dossier.version)
    form.organisation.choices = choices([("", _("— Choisir —")),
                                         *((o.code, o.name) for o in _organisations())])
    if request.method == "GET" and dossier.territory:
        mrc = next((o for o in _organisations() if o.kind == "mrc"
                    and o.territory_id == dossier.territory_id), None)
        form.organisation.data = mrc.code if mrc else ""
    sent = None
    if form.validate_on_submit():
        organisation = db.session.scalar(select(Organisation).where(
            Organisation.code == form.organisation.data))
        fields = services.ReferralFields(organisation, form.reason.data or "",
                                         form.request.data or "", form.consent_to_share.data)
        def refer():
            if through:
                return services.refer_through_workflow(dossier, current_user, form.version.data,
                                                       fields, through, language=language())
            return services.send(dossier, current_user, form.version.data, fields)

        sent = submit(form, refer, current=dossier)
        if sent.saved:
            flash(_("Dossier référé à %(organisation)s.", organisation=organisation.name),
                  "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#referencements",
                            303)
    return render_template("referrals/new.html", form=form, dossier=dossier, through=through,
                           definition=workflow), page_status(form, sent)


@bp.route("/dossiers/<int:dossier_id>/referrals/<int:referral_id>/withdraw", methods=["POST"])
@allow(*STAFF)
def withdraw(dossier_id: int, referral_id: int):
    """Withdraw a referral the hub no longer needs (a reason is required)."""
    dossier = visible_dossier(dossier_id, current_user)
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.dossier_id != dossier_id:
        abort(404)
    form = ReferralActionForm()
    if not form.validate():
        abort(400)
    withdrawn = submit(form, lambda: services.act(referral, current_user, "withdraw",
                                                  form.version.data, form.text.data))
    if withdrawn.status == 409:
        return dossier_page(dossier, 409, withdraw_form=form, withdrawing=referral_id)
    if withdrawn.saved:
        flash(_("Référencement retiré."), "success")
    else:
        flash(withdrawn.message, "danger")
    return redirect(url_for("desk.dossier", dossier_id=dossier_id) + "#referencements", 303)


@bp.route("/referencements/")
@allow(*STAFF)
def hub_list():
    """List every referral, with filters and each organisation's turnaround."""
    form = ReferralFilterForm(request.args)
    form.organisation.choices = choices([("", _("Toutes")),
                                         *((o.code, o.name) for o in _organisations())])
    valid = form.validate()
    try:
        before = queries.parse_cursor(request.args.get("avant"))
    except ValueError:
        valid, before = False, None
    if not valid:
        return render_template("referrals/list.html", form=form, referrals=None,
                               turnaround=queries.turnaround()), 400
    referrals, after = queries.hub_list(form.organisation.data or "", form.state.data or "",
                                        form.waiting.data, before)
    return render_template("referrals/list.html", form=form, referrals=referrals,
                           next_page=queries.format_cursor(after), first_page=before is None,
                           turnaround=queries.turnaround())
