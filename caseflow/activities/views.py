"""The staff's activity pages: a short form, a filtered list, a month calendar, projects."""

import calendar
import re
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from caseflow.activities import plan, services
from caseflow.activities.figures import compute
from caseflow.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    BodyForm,
    ProjectForm,
    RemoveActivityForm,
)
from caseflow.activities.models import ACTIVITY_KINDS, MEETING_QUALIFIERS, Activity, Body, Project
from caseflow.auth.access import allow
from caseflow.auth.models import STAFF
from caseflow.boundary import page_status, submit
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.forms import choices as options
from caseflow.reference.lookups import BLANK, by_code, items
from caseflow.reference.models import Organisation, Territory

bp = Blueprint("activities", __name__, url_prefix="/activites")
PAGE_SIZE = 100
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _bodies():
    return [(b.code, f"{b.parent.label} › {b.label}" if b.parent else b.label)
            for b in items(Body)]


def _projects():
    return [(p.code, p.name) for p in db.session.scalars(select(Project).order_by(Project.name))]


def _fill(form: ActivityForm) -> None:
    form.body.choices = options([("", _("— Aucune —")), *_bodies()])
    form.objective.choices = options([BLANK, *plan.objective_choices()])
    form.project.choices = options([("", _("— Aucun —")), *_projects()])
    form.territories.choices = options((t.code, t.label) for t in items(Territory))
    organisations = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                       .order_by(Organisation.name))
    form.organisations.choices = options((o.code, o.name) for o in organisations)


def _references(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def _fields(form: ActivityForm) -> services.ActivityFields:
    references = _references(form.dossiers.data)
    dossiers = list(db.session.scalars(select(Dossier).where(Dossier.reference.in_(references))))
    unknown = sorted(set(references) - {d.reference for d in dossiers})
    if unknown:
        raise DomainError(_("Dossier inconnu : %(refs)s.", refs=", ".join(unknown)), "dossiers")
    return services.ActivityFields(
        occurred_on=form.occurred_on.data, kind=form.kind.data, title=form.title.data or "",
        objective=form.objective.data, body=by_code(Body, form.body.data),
        project=by_code(Project, form.project.data) if form.project.data else None,
        participants=form.participants.data, participants_women=form.participants_women.data,
        participants_men=form.participants_men.data, minutes=form.minutes.data,
        notes=form.notes.data or "",
        territories=[by_code(Territory, code) for code in form.territories.data or ()],
        organisations=[by_code(Organisation, code) for code in form.organisations.data or ()],
        dossiers=dossiers)


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    return activity


@bp.route("/")
@allow(*STAFF)
def index():
    """List activities with filters (dates, kind, body, objective, project, words)."""
    form = ActivityFilterForm(request.args)
    form.kind.choices = options([("", _("Tous")), *((code, label) for code, (label, *_r)
                                                     in ACTIVITY_KINDS.items())])
    form.body.choices = options([("", _("Toutes")), *_bodies()])
    form.objective.choices = options([("", _("Tous")), *plan.objective_choices()])
    form.project.choices = options([("", _("Tous")), *_projects()])
    if not form.validate():
        return render_template("activities/index.html", form=form, activities=[],
                               total=0), 400
    query = select(Activity)
    if form.start.data:
        query = query.where(Activity.occurred_on >= form.start.data)
    if form.end.data:
        query = query.where(Activity.occurred_on <= form.end.data)
    if form.kind.data:
        query = query.where(Activity.kind == form.kind.data)
    if form.objective.data:
        query = query.where(Activity.objective == form.objective.data)
    if form.body.data:
        body = by_code(Body, form.body.data)
        query = query.where(or_(Activity.body_id == (body.id if body else -1),
                                Activity.body.has(Body.parent_id == (body.id if body else -1))))
    if form.project.data:
        query = query.where(Activity.project.has(Project.code == form.project.data))
    if form.q.data:
        words = f"%{form.q.data.strip().lower()}%"
        query = query.where(or_(func.lower(Activity.title).like(words),
                                func.lower(Activity.notes).like(words)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    activities = db.session.scalars(query.order_by(Activity.occurred_on.desc(),
                                                   Activity.id.desc()).limit(PAGE_SIZE)).all()
    return render_template("activities/index.html", form=form, activities=activities,
                           total=total)


def _month() -> date:
    text = request.args.get("mois", "")
    match = MONTH.match(text)
    if not text:
        return hub_today().replace(day=1)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        abort(400, description=_("Mois invalide : écrivez-le AAAA-MM, par exemple 2026-12."))
    return date(int(match.group(1)), int(match.group(2)), 1)


@bp.route("/calendrier")
@allow(*STAFF)
def month():
    """Show a month's activities day by day."""
    first = _month()
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    activities = db.session.scalars(select(Activity).where(
        Activity.occurred_on >= first, Activity.occurred_on <= last)
        .order_by(Activity.occurred_on, Activity.id)).all()
    by_day: dict[date, list] = {}
    for activity in activities:
        by_day.setdefault(activity.occurred_on, []).append(activity)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render_template("activities/month.html", first=first, weeks=weeks, by_day=by_day,
                           activities=activities, previous=previous, following=following,
                           today=hub_today())


@bp.route("/nouvelle", methods=["GET", "POST"])
@allow(*STAFF)
def new():
    """Record an activity: date, kind, title and objective are enough."""
    form = ActivityForm()
    _fill(form)
    if request.method == "GET":
        form.occurred_on.data = hub_today()
        if request.args.get("date"):
            try:
                form.occurred_on.data = date.fromisoformat(request.args["date"])
            except ValueError:
                pass
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_activity(_fields(form), current_user))
        if added.saved:
            flash(_("Activité « %(title)s » enregistrée.", title=added.value.title), "success")
            return redirect(url_for("activities.month",
                                    mois=added.value.occurred_on.strftime("%Y-%m")), 303)
    return render_template("activities/form.html", form=form, activity=None), \
        page_status(form, added)


@bp.route("/<int:activity_id>", methods=["GET", "POST"])
@allow(*STAFF)
def edit(activity_id: int):
    """Correct an activity."""
    activity = _activity(activity_id)
    form = ActivityForm(obj=None if request.method == "POST" else activity)
    _fill(form)
    if request.method == "GET":
        form.body.data = activity.body.code if activity.body else ""
        form.project.data = activity.project.code if activity.project else ""
        form.territories.data = [t.code for t in activity.territories]
        form.organisations.data = [o.code for o in activity.organisations]
        form.dossiers.data = ", ".join(d.reference for d in activity.dossiers)
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: services.update_activity(
            activity, _fields(form), current_user, form.version.data), current=activity)
        if saved.saved:
            flash(_("Activité mise à jour.") if saved.value else _("Rien n'a changé."),
                  "success")
            return redirect(url_for("activities.month",
                                    mois=activity.occurred_on.strftime("%Y-%m")), 303)
    return render_template("activities/form.html", form=form, activity=activity,
                           remove_form=RemoveActivityForm(version=activity.version)), \
        page_status(form, saved)


@bp.route("/<int:activity_id>/retirer", methods=["POST"])
@allow(*STAFF)
def remove(activity_id: int):
    """Remove an activity entered by mistake."""
    activity = _activity(activity_id)
    form = RemoveActivityForm()
    if not form.validate():
        abort(400)
    month_text = activity.occurred_on.strftime("%Y-%m")
    removed = submit(form, lambda: services.remove_activity(activity, current_user,
                                                            form.version.data))
    flash(_("Activité retirée.") if removed.saved else removed.message,
          "success" if removed.saved else "warning")
    return redirect(url_for("activities.month", mois=month_text), 303)


@bp.route("/projets")
@allow(*STAFF)
def projects():
    """List the projects with their activities and figures."""
    rows = db.session.scalars(select(Project).order_by(Project.start_on.desc(),
                                                      Project.name)).all()
    figures = {}
    for project in rows:
        start = project.start_on or date(1990, 1, 1)
        end = project.end_on or date(2100, 12, 31)
        result = compute(start, end)
        for orientation in result["orientations"].values():
            for objective in orientation["objectives"].values():
                if project.code in objective["projects"]:
                    figures[project.code] = objective["projects"][project.code]
        figures.setdefault(project.code, (result.get("outside_plan") or {}).get(
            project.objective, {}).get("projects", {}).get(project.code))
    return render_template("activities/projects.html", projects=rows, figures=figures)


def _project_fields(form: ProjectForm) -> services.ProjectFields:
    return services.ProjectFields(
        code=form.code.data or "", name=form.name.data or "", objective=form.objective.data,
        start_on=form.start_on.data, end_on=form.end_on.data, funder=form.funder.data or "",
        partners=[line.strip() for line in (form.partners.data or "").splitlines()
                  if line.strip()],
        deliverables=form.deliverables.data or 0,
        deliverables_label=form.deliverables_label.data or "", notes=form.notes.data or "")


@bp.route("/projets/nouveau", methods=["GET", "POST"])
@allow(*STAFF)
def new_project():
    """Record a project of the hub."""
    form = ProjectForm()
    form.objective.choices = options([BLANK, *plan.objective_choices()])
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_project(_project_fields(form), current_user))
        if added.saved:
            flash(_("Projet « %(name)s » enregistré.", name=added.value.name), "success")
            return redirect(url_for("activities.projects"), 303)
    return render_template("activities/project_form.html", form=form), page_status(form, added)


def _body_tree() -> list[Body]:
    """Return every body, each followed by its committees, in the list's order."""
    bodies = db.session.scalars(select(Body).order_by(Body.position, Body.id)).all()
    children: dict[int, list[Body]] = {}
    for body in bodies:
        if body.parent_id is not None:
            children.setdefault(body.parent_id, []).append(body)
    known = {body.id for body in bodies}
    tree = []
    for body in bodies:
        if body.parent_id is None or body.parent_id not in known:
            tree += [body, *children.get(body.id, [])]
    return tree


def _fill_body(form: BodyForm, body: Body | None) -> None:
    parents = db.session.scalars(select(Body).where(Body.parent_id.is_(None))
                                 .order_by(Body.position, Body.id))
    form.parent.choices = options([("", _("— Aucune : une instance en soi —")),
                                   *((b.code, b.label) for b in parents
                                     if body is None or b.id != body.id)])
    form.objective.choices = options([("", _("— Aucun —")), *plan.objective_choices()])


def _body_fields(form: BodyForm) -> services.BodyFields:
    parent = by_code(Body, form.parent.data) if form.parent.data else None
    return services.BodyFields(
        label_fr=form.label_fr.data or "", label_en=form.label_en.data or "",
        code=form.code.data if form.code else "", parent=parent,
        objective=form.objective.data or None,
        meeting_qualifier=form.meeting_qualifier.data or None,
        phrase_fr=form.phrase_fr.data or "", phrase_en=form.phrase_en.data or "",
        prints_total=bool(form.prints_total.data), names_events=bool(form.names_events.data),
        active=bool(form.active.data))


@bp.route("/instances", methods=["GET", "POST"])
@allow("coordinator")
def bodies():
    """List the bodies and tables the hub's activities belong to, and add one."""
    form = BodyForm()
    _fill_body(form, None)
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_body(_body_fields(form), current_user))
        if added.saved:
            flash(_("Instance « %(name)s » ajoutée.", name=added.value.label), "success")
            return redirect(url_for("activities.bodies"), 303)
    return render_template("activities/bodies.html", form=form, bodies=_body_tree(),
                           qualifiers=MEETING_QUALIFIERS), page_status(form, added)


@bp.route("/instances/<int:body_id>", methods=["GET", "POST"])
@allow("coordinator")
def edit_body(body_id: int):
    """Rename a body, place it, and say how the report words its line."""
    body = db.session.get(Body, body_id) or abort(404)
    form = BodyForm(obj=None if request.method == "POST" else body)
    _fill_body(form, body)
    del form.code
    if request.method == "GET":
        form.parent.data = body.parent.code if body.parent else ""
        form.objective.data = body.objective or ""
        form.meeting_qualifier.data = body.meeting_qualifier or ""
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: services.update_body(
            body, _body_fields(form), current_user, form.version.data), current=body)
        if saved.saved:
            flash(_("Instance mise à jour.") if saved.value else _("Rien n'a changé."),
                  "success")
            return redirect(url_for("activities.bodies"), 303)
    return render_template("activities/body_form.html", form=form, body=body), \
        page_status(form, saved)
