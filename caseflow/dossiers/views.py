"""The advisor's pages: caseload, new dossier, dossier page, edits, transitions, interventions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import EVERYONE, allow
from caseflow.documents.checklist import checklist
from caseflow.dossiers import choices, queries, services
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.forms import (
    CaseloadFilterForm,
    DossierForm,
    EditDossierForm,
    RemoveInterventionForm,
    TransitionForm,
)
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.saving import conflict_page, save, show_refusal
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW, definition, engine, label
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.financing.services import totals as financing_totals
from caseflow.forms import choices as options
from caseflow.i18n import language
from caseflow.reference.models import Sector, Territory
from caseflow.referrals.forms import ReferralActionForm

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")


def _dossier_or_404(dossier_id: int) -> Dossier:
    return visible_dossier(dossier_id, current_user)


@bp.route("/")
@allow(*STAFF)
def caseload():
    """List dossiers with filters, search, sort and pages; "Mes dossiers" by default."""
    form = CaseloadFilterForm(request.args)
    states = sorted({(name, label(s, language()))
                     for d in engine().definitions.values() for name, s in d.states.items()},
                    key=lambda pair: pair[1])
    form.state.choices = options([("", _("Toutes")), *states])
    form.territory.choices = options([("", _("Tous")), *((i.code, i.label)
                                      for i in choices.items(Territory))])
    form.sector.choices = options([("", _("Tous")), *((i.code, i.label)
                                   for i in choices.items(Sector))])
    if not form.validate():
        return render_template("dossiers/caseload.html", form=form, page=None), 400
    default_scope = "mine" if current_user.role == "advisor" else "all"
    filters = queries.CaseloadFilters(
        q=form.q.data or "", scope=form.scope.data or default_scope, state=form.state.data,
        territory=form.territory.data, sector=form.sector.data,
        follow_up=form.follow_up.data, sort=form.sort.data or "-updated",
        page=form.page.data or 1)
    form.scope.data = filters.scope
    page = queries.caseload(filters, current_user, current_app.config["CASELOAD_PAGE_SIZE"])
    return render_template("dossiers/caseload.html", form=form, page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@allow(*STAFF)
def new():
    """Open a dossier for a promoter group."""
    form = DossierForm()
    workflow = request.form.get("workflow") or request.args.get("workflow") or DEFAULT_WORKFLOW
    workflow = workflow if workflow in engine().definitions else DEFAULT_WORKFLOW
    choices.fill_dossier_form(form, workflow, language(), opening=True)
    if request.method == "GET":
        form.advisor.data = str(current_user.id)
        form.workflow.data = workflow
    if form.validate_on_submit():
        try:
            dossier = services.open_dossier(current_user, choices.dossier_fields(form),
                                            workflow)
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Dossier %(reference)s ouvert.", reference=dossier.reference), "success")
            return redirect(url_for("dossiers.show", dossier_id=dossier.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("dossiers/form.html", form=form, dossier=None), status


@bp.route("/<int:dossier_id>")
@allow(*EVERYONE)
def show(dossier_id: int):
    """Show a dossier: its facts, the actions open now, interventions and timeline."""
    dossier = _dossier_or_404(dossier_id)
    if current_user.role == "partner":  # a partner sees what the hub shares, through a referral
        from caseflow.referrals.portal import render_referral
        from caseflow.referrals.services import active_for

        return render_referral(active_for(current_user, dossier.id)[-1])
    workflow = definition(dossier.workflow)
    actions = engine().options(dossier, services.actor_of(current_user), language=language())
    lines = checklist(dossier)
    return render_template("dossiers/show.html", dossier=dossier, definition=workflow,
                           actions=actions, timeline=queries.timeline(dossier),
                           remove_form=RemoveInterventionForm(version=dossier.version),
                           checklist=lines,
                           kind_labels={line.kind.code: line.kind.label for line in lines},
                           withdraw_form=ReferralActionForm(),
                           organisation_names={r.organisation.code: r.organisation.name
                                               for r in dossier.referrals},
                           financing_totals=financing_totals(dossier.financing_lines))


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
@allow(*STAFF)
def edit(dossier_id: int):
    """Correct or complete a dossier's facts."""
    dossier = _dossier_or_404(dossier_id)
    form = EditDossierForm(obj=_form_values(dossier) if request.method == "GET" else None)
    choices.fill_dossier_form(form, dossier.workflow, language())
    if form.validate_on_submit():
        saved = save(form, dossier_id, lambda: services.update_dossier(
            dossier, current_user, form.version.data, choices.dossier_fields(form)),
            _("Dossier enregistré."), url_for("dossiers.show", dossier_id=dossier_id))
        if saved:
            return saved
    status = 400 if form.is_submitted() else 200
    return render_template("dossiers/form.html", form=form, dossier=dossier), status


def _form_values(dossier: Dossier):
    """Return an object whose attributes prefill the dossier form."""
    values = {name: getattr(getattr(dossier, name), "code", None)
              for name in choices.DOSSIER_LISTS}
    contacts = [{"name": c.name, "email": c.email, "phone": c.phone} for c in dossier.contacts]
    contacts += [{}] * (3 - len(contacts))
    return type("DossierValues", (), {
        **values, "title": dossier.title, "description": dossier.description,
        "promoter_name": dossier.promoter_name, "women_count": dossier.women_count,
        "men_count": dossier.men_count, "opened_on": dossier.opened_on,
        "advisor": str(dossier.advisor_id or ""), "version": dossier.version,
        "objectives": dossier.protocol_objectives, "contacts": contacts[:3]})


@bp.route("/<int:dossier_id>/actions/<trigger>", methods=["GET", "POST"])
@allow(*STAFF)
def transition(dossier_id: int, trigger: str):
    """Ask for what a transition needs, then apply it."""
    dossier = _dossier_or_404(dossier_id)
    workflow = definition(dossier.workflow)
    candidates = [t for t in workflow.transitions if t.trigger == trigger]
    if not candidates:
        abort(404)
    chosen = next((t for t in candidates if dossier.state in t.sources), candidates[0])
    if "referral" in chosen.fields and request.method == "GET":
        return redirect(url_for("referrals.new", dossier_id=dossier_id, through=trigger), 303)
    form = TransitionForm(version=dossier.version)
    choices.fill_transition_form(form, workflow, chosen, language())
    status = 200
    if form.validate_on_submit():
        try:
            locked = services.load_for_update(dossier_id)
            services.apply_transition(locked, current_user, trigger, form.version.data,
                                      comment=form.comment.data or "",
                                      outcome=(form.outcome.data if form.outcome is not None
                                               else None),
                                      language=language())
        except Conflict as error:
            return conflict_page(dossier_id, error)
        except DomainError as error:
            db.session.rollback()
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Le dossier est maintenant à l'étape « %(state)s ».",
                    state=label(workflow.state(dossier.state), language())), "success")
            return redirect(url_for("dossiers.show", dossier_id=dossier_id), 303)
    elif form.is_submitted():
        status = 400
    refusal = engine().refusal(dossier, services.actor_of(current_user), trigger,
                               language=language())
    return render_template("dossiers/transition.html", form=form, dossier=dossier,
                           definition=workflow, transition=chosen, refusal=refusal), status
