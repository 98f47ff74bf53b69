"""The advisor's pages: caseload, new dossier, edits, transitions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.auth.access import allow
from caseflow.auth.models import User
from caseflow.boundary import page_status, submit
from caseflow.dossiers import choices, interventions, queries, services
from caseflow.dossiers.access import STAFF, visible_dossier
from caseflow.dossiers.forms import (
    CaseloadFilterForm,
    DossierForm,
    EditDossierForm,
    FollowUpForm,
    TransitionForm,
)
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW, definition, engine, label
from caseflow.extensions import db
from caseflow.forms import choices as options
from caseflow.i18n import language
from caseflow.reference.models import Organisation, Sector, Territory

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
for rule, view, methods in interventions.RULES:
    bp.add_url_rule(rule, view_func=view, methods=methods)


def read_filters(args) -> tuple[CaseloadFilterForm, queries.CaseloadFilters | None]:
    """Read the caseload's filters from a query string; None when they are not valid."""
    form = CaseloadFilterForm(args)
    states = sorted({(name, label(s, language()))
                     for d in engine().definitions.values() for name, s in d.states.items()},
                    key=lambda pair: pair[1])
    form.state.choices = options([("", _("Toutes")), *states])
    # The options are read as plain columns: the form needs no object of any of them.
    form.territory.choices = options([("", _("Tous")), *_labels(Territory)])
    form.sector.choices = options([("", _("Tous")), *_labels(Sector)])
    form.advisor.choices = options([("", _("Tous")), *(
        (str(user_id), name) for user_id, name in db.session.execute(
            select(User.id, User.full_name).where(User.role.in_(STAFF))
            .order_by(User.full_name)))])
    form.organisation.choices = options([("", _("Toutes")), *db.session.execute(
        select(Organisation.code, Organisation.name)
        .order_by(Organisation.kind, Organisation.name)).all()])
    if not form.validate():
        return form, None
    default_scope = "mine" if current_user.role == "advisor" else "all"
    filters = queries.CaseloadFilters(
        q=form.q.data or "", scope=form.scope.data or default_scope, state=form.state.data,
        territory=form.territory.data, sector=form.sector.data,
        follow_up=form.follow_up.data, sort=form.sort.data or "-updated",
        page=form.page.data or 1, status=form.status.data or "",
        advisor=int(form.advisor.data) if form.advisor.data else None,
        organisation=form.organisation.data or "", waiting=form.waiting.data,
        opened_from=form.opened_from.data, opened_to=form.opened_to.data,
        state_days_min=form.state_days_min.data, state_days_max=form.state_days_max.data)
    try:
        filters.after = queries.parse_cursor(queries.sort_of(filters), form.apres.data)
    except ValueError:
        form.apres.errors = [_("Ce lien de page n'est plus valide : revenez au début de la "
                               "liste.")]
        return form, None
    form.scope.data = filters.scope
    return form, filters


def _labels(model) -> list[tuple[str, str]]:
    """Return the active items of a reference list, (code, label), in display order."""
    column = model.label_en if language() == "en" else model.label_fr
    return list(db.session.execute(select(model.code, column).where(model.active.is_(True))
                                   .order_by(model.position, model.code)).all())


@bp.route("/")
@allow(*STAFF)
def caseload():
    """List dossiers with filters, search, sort and pages; "Mes dossiers" by default."""
    form, filters = read_filters(request.args)
    if filters is None:
        return render_template("dossiers/caseload.html", form=form, page=None), 400
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
    opened = None
    if form.validate_on_submit():
        opened = submit(form, lambda: services.open_dossier(
            current_user, choices.dossier_fields(form), workflow))
        if opened.saved:
            flash(_("Dossier %(reference)s ouvert.", reference=opened.value.reference),
                  "success")
            return redirect(url_for("desk.dossier", dossier_id=opened.value.id), 303)
    return render_template("dossiers/form.html", form=form, dossier=None), \
        page_status(form, opened)


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
@allow(*STAFF)
def edit(dossier_id: int):
    """Correct or complete a dossier's facts."""
    dossier = visible_dossier(dossier_id, current_user)
    form = EditDossierForm(obj=_form_values(dossier) if request.method == "GET" else None)
    choices.fill_dossier_form(form, dossier.workflow, language())
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: services.update_dossier(
            dossier, current_user, form.version.data, choices.dossier_fields(form)),
            current=dossier)
        if saved.saved:
            flash(_("Dossier enregistré."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)
    return render_template("dossiers/form.html", form=form, dossier=dossier), \
        page_status(form, saved)


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
    # A transition loads its dossier once, locked until the request's transaction ends.
    dossier = visible_dossier(dossier_id, current_user, lock=request.method == "POST")
    workflow = definition(dossier.workflow)
    chosen = workflow.transition(trigger, dossier.state) or next(
        iter(workflow.transitions_named(trigger)), None)
    if chosen is None:
        abort(404)
    if "referral" in chosen.fields and request.method == "GET":
        return redirect(url_for("referrals.new", dossier_id=dossier_id, through=trigger), 303)
    form = TransitionForm(version=dossier.version)
    choices.fill_transition_form(form, workflow, chosen, language())
    moved = None
    if form.validate_on_submit():
        moved = submit(form, lambda: services.apply_transition(
            dossier, current_user, trigger, form.version.data, comment=form.comment.data or "",
            outcome=form.outcome.data if form.outcome is not None else None,
            language=language()), current=dossier, refused=422)
        if moved.saved:
            flash(_("Le dossier est maintenant à l'étape « %(state)s ».",
                    state=label(workflow.state(dossier.state), language())), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)
    # A refusal already on the form was the engine's answer: it is not asked again.
    refusal = None if form.form_errors else engine().refusal(
        dossier, services.actor_of(current_user), trigger, language=language())
    return render_template("dossiers/transition.html", form=form, dossier=dossier,
                           definition=workflow, transition=chosen, refusal=refusal), \
        page_status(form, moved)


@bp.route("/<int:dossier_id>/follow-up", methods=["GET", "POST"])
@allow(*STAFF)
def follow_up(dossier_id: int):
    """Set or move the dossier's next follow-up by hand: when, and what is expected."""
    dossier = visible_dossier(dossier_id, current_user)
    form = FollowUpForm(version=dossier.version, due=dossier.next_follow_up,
                        note=dossier.follow_up_note)
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: services.set_follow_up(
            dossier, current_user, form.version.data, form.due.data, form.note.data or ""),
            current=dossier)
        if saved.saved:
            flash(_("Prochain suivi enregistré."), "success")
            return redirect(url_for("desk.dossier", dossier_id=dossier_id), 303)
    return render_template("dossiers/follow_up.html", form=form, dossier=dossier), \
        page_status(form, saved)
