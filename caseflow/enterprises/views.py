"""The enterprise directory: a filtered list with its counts, and adding an enterprise."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from caseflow.auth.access import allow
from caseflow.auth.models import STAFF
from caseflow.boundary import page_status, submit
from caseflow.dossiers.models import Dossier
from caseflow.enterprises import figures, services
from caseflow.enterprises.forms import DirectoryFilterForm, EnterpriseForm
from caseflow.enterprises.models import STATUS_LABELS, Enterprise
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.forms import choices as options
from caseflow.reference.lookups import by_code, items
from caseflow.reference.models import LegalForm, Sector, Territory

bp = Blueprint("enterprises", __name__, url_prefix="/entreprises")
PAGE_SIZE = 200


def _list(model, blank):
    return options([("", blank), *((item.code, item.label) for item in items(model))])


@bp.route("/")
@allow(*STAFF)
def index():
    """List the directory, filtered, with its counts by MRC and by sector."""
    form = DirectoryFilterForm(request.args)
    form.territory.choices = _list(Territory, _("Toutes"))
    form.sector.choices = _list(Sector, _("Tous"))
    form.status.choices = options([("", _("Tous")), *STATUS_LABELS.items()])
    if not form.validate():
        return render_template("enterprises/index.html", form=form, enterprises=[], total=0,
                               counts=figures.directory()), 400
    query = select(Enterprise)
    if form.q.data:
        words = f"%{form.q.data.strip().lower()}%"
        query = query.where(or_(func.lower(Enterprise.name).like(words),
                                Enterprise.neq == re.sub(r"\D", "", form.q.data)))
    for name, model in (("territory", Territory), ("sector", Sector)):
        code = getattr(form, name).data
        if code:
            item = by_code(model, code)
            query = query.where(getattr(Enterprise, f"{name}_id") == (item.id if item else -1))
    if form.status.data:
        query = query.where(Enterprise.status == form.status.data)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    enterprises = db.session.scalars(query.order_by(Enterprise.name).limit(PAGE_SIZE)).all()
    return render_template("enterprises/index.html", form=form, enterprises=enterprises,
                           total=total, counts=figures.directory(),
                           territories={t.code: t.label for t in items(Territory)},
                           sectors={s.code: s.label for s in items(Sector)})


def _linked(form: EnterpriseForm) -> list[Dossier]:
    references = [part for part in re.split(r"[\s,;]+", form.dossiers.data or "") if part]
    dossiers = list(db.session.scalars(select(Dossier).where(Dossier.reference.in_(references))))
    unknown = sorted(set(references) - {d.reference for d in dossiers})
    if unknown:
        raise DomainError(_("Dossier inconnu : %(refs)s.", refs=", ".join(unknown)), "dossiers")
    return dossiers


def _fields(form: EnterpriseForm) -> services.EnterpriseFields:
    return services.EnterpriseFields(
        name=form.name.data or "", neq=services.clean_neq(form.neq.data),
        legal_form=by_code(LegalForm, form.legal_form.data),
        territory=by_code(Territory, form.territory.data),
        sector=by_code(Sector, form.sector.data), founded_year=form.founded_year.data,
        status=form.status.data, notes=form.notes.data or "",
        **{name: getattr(form, name).data for name in services.COMPOSITION})


def _add(form: EnterpriseForm):
    dossiers = _linked(form)
    enterprise = services.add_enterprise(_fields(form), current_user)
    for dossier in dossiers:
        services.link_dossier(enterprise, dossier, current_user)
    return enterprise


def _edit(enterprise: Enterprise, form: EnterpriseForm) -> dict:
    dossiers = _linked(form)
    before = {d.id for d in enterprise.dossiers}
    changes = services.update_enterprise(enterprise, _fields(form), current_user,
                                         form.version.data)
    for dossier in [d for d in enterprise.dossiers if d not in dossiers]:
        services.unlink_dossier(enterprise, dossier, current_user)
    for dossier in dossiers:
        services.link_dossier(enterprise, dossier, current_user)
    return changes or before != {d.id for d in dossiers}


def _choices(form: EnterpriseForm) -> None:
    form.legal_form.choices = _list(LegalForm, _("— Inconnue —"))
    form.territory.choices = _list(Territory, _("— Inconnue —"))
    form.sector.choices = _list(Sector, _("— Inconnu —"))


@bp.route("/nouvelle", methods=["GET", "POST"])
@allow(*STAFF)
def new():
    """Add an enterprise; one already listed (same NEQ or a very close name) is refused."""
    form = EnterpriseForm()
    _choices(form)
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: _add(form))
        if added.saved:
            flash(_("« %(name)s » ajoutée au répertoire.", name=added.value.name), "success")
            return redirect(url_for("enterprises.index"), 303)
    return render_template("enterprises/form.html", form=form, enterprise=None), \
        page_status(form, added)


@bp.route("/<int:enterprise_id>", methods=["GET", "POST"])
@allow(*STAFF)
def edit(enterprise_id: int):
    """Correct an enterprise's record: its facts, its board and team, its dossiers."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        abort(404)
    form = EnterpriseForm(obj=None if request.method == "POST" else enterprise)
    _choices(form)
    form.submit.label.text = _("Enregistrer")
    if request.method == "GET":
        for name in ("legal_form", "territory", "sector"):
            item = getattr(enterprise, name)
            getattr(form, name).data = item.code if item else ""
        form.dossiers.data = ", ".join(d.reference for d in enterprise.dossiers)
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: _edit(enterprise, form), current=enterprise)
        if saved.saved:
            flash(_("Fiche de « %(name)s » mise à jour.", name=enterprise.name)
                  if saved.value else _("Rien n'a changé."), "success")
            return redirect(url_for("enterprises.index"), 303)
    return render_template("enterprises/form.html", form=form, enterprise=enterprise), \
        page_status(form, saved)
