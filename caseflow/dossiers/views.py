"""The advisor's pages: caseload, new dossier, dossier page, edits, transitions, interventions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
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
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW, definition, engine, label
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.financing.services import totals as financing_totals
from caseflow.forms import choices as options
from caseflow.http import request_id
from caseflow.reference.models import Sector, Territory
from caseflow.referrals.forms import ReferralActionForm

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")


def _language() -> str | None:
    locale = get_locale()
    return locale.language if locale is not None else None


def _dossier_or_404(dossier_id: int) -> Dossier:
    return visible_dossier(dossier_id, current_user)


def _conflict(dossier_id: int, error: Conflict):
    db.session.rollback()
    dossier = db.session.get(Dossier, dossier_id)
    body = render_template("dossiers/conflict.html", dossier=dossier, status=409,
                           title=_("Conflit de modification"), explanation=error.message,
                           definition=definition(dossier.workflow) if dossier else None,
                           request_id=request_id())
    return body, 409


def _form_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/")
@allow(*STAFF)
def caseload():
    """List dossiers with filters, search, sort and pages; "Mes dossiers" by default."""
    form = CaseloadFilterForm(request.args)
    states = sorted({(name, s.label_fr if _language() != "en" else s.label_en)
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
    choices.fill_dossier_form(form, workflow, _language(), opening=True)
    if request.method == "GET":
        form.advisor.data = str(current_user.id)
        form.workflow.data = workflow
    if form.validate_on_submit():
        try:
            dossier = services.open_dossier(current_user, choices.dossier_fields(form),
                                            workflow)
        except DomainError as error:
            _form_error(form, error)
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
    actions = engine().options(dossier, services.actor_of(current_user), language=_language())
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
    choices.fill_dossier_form(form, dossier.workflow, _language())
    if form.validate_on_submit():
        try:
            services.update_dossier(dossier, current_user, form.version.data,
                                    choices.dossier_fields(form))
        except Conflict as error:
            return _conflict(dossier_id, error)
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Dossier enregistré."), "success")
            return redirect(url_for("dossiers.show", dossier_id=dossier.id), 303)
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
    choices.fill_transition_form(form, workflow, chosen, _language())
    status = 200
    if form.validate_on_submit():
        try:
            locked = services.load_for_update(dossier_id)
            services.apply_transition(locked, current_user, trigger, form.version.data,
                                      comment=form.comment.data or "",
                                      outcome=(form.outcome.data if form.outcome is not None
                                               else None),
                                      language=_language())
        except Conflict as error:
            return _conflict(dossier_id, error)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Le dossier est maintenant à l'étape « %(state)s ».",
                    state=label(workflow.state(dossier.state), _language())), "success")
            return redirect(url_for("dossiers.show", dossier_id=dossier_id), 303)
    elif form.is_submitted():
        status = 400
    refusal = engine().refusal(dossier, services.actor_of(current_user), trigger,
                               language=_language())
    return render_template("dossiers/transition.html", form=form, dossier=dossier,
                           definition=workflow, transition=chosen, refusal=refusal), status
