"""The reference lists in the interface: territories, sectors, stages, legal forms,
subjects, funds, document kinds and organisations."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.auth.access import allow
from caseflow.boundary import page_status, submit
from caseflow.documents.models import DocumentKind
from caseflow.extensions import db
from caseflow.forms import Form, choices
from caseflow.reference import services
from caseflow.reference.models import (
    ORGANISATION_KIND_LABELS,
    Fund,
    LegalForm,
    Organisation,
    Sector,
    Stage,
    Subject,
    Territory,
)

#: The lists a coordinator edits, by the name in their address, with their title.
LISTS = {
    "territory": (Territory, _l("Territoires")),
    "sector": (Sector, _l("Secteurs d'activité")),
    "stage": (Stage, _l("Phases")),
    "legal_form": (LegalForm, _l("Formes juridiques")),
    "subject": (Subject, _l("Sujets abordés")),
    "fund": (Fund, _l("Fonds et programmes")),
    "document_kind": (DocumentKind, _l("Types de documents")),
}


class ItemForm(Form):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=64)],
                       description=_l("Minuscules, chiffres et traits d'union; il ne change "
                                      "plus ensuite."))
    label_fr = StringField(_l("Libellé en français"), validators=[
        DataRequired(_l("Donnez le libellé en français.")), Length(max=200)])
    label_en = StringField(_l("Libellé en anglais"), validators=[Optional(), Length(max=200)])


class OrganisationForm(Form):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("Nom"), validators=[
        DataRequired(_l("Donnez le nom de l'organisation.")), Length(max=200)])
    kind = SelectField(_l("Type"), choices=choices(ORGANISATION_KIND_LABELS.items()))
    territory = SelectField(_l("Territoire"), validators=[Optional()])


def _list(name: str):
    if name not in LISTS:
        abort(404)
    return LISTS[name]


@allow("coordinator")
def index():
    """Show the reference lists the coordinator may change."""
    return render_template("admin/lists.html", lists=LISTS)


@allow("coordinator")
def reference_list(name: str):
    """Show one list with its items, and add an item."""
    model, title = _list(name)
    form = ItemForm()
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_item(
            model, current_user, form.code.data, form.label_fr.data, form.label_en.data))
        if added.saved:
            flash(_("Ajouté : %(label)s.", label=added.value.label_fr), "success")
            return redirect(url_for("admin.reference_list", name=name), 303)
    items = db.session.scalars(select(model).order_by(model.position, model.code)).all()
    return render_template("admin/reference_list.html", name=name, title=title, items=items,
                           form=form, row_form=ItemForm(formdata=None)), \
        page_status(form, added)


@allow("coordinator")
def reference_item(name: str, item_id: int):
    """Rename, move, deactivate or delete one item."""
    model, _title = _list(name)
    item = db.session.get(model, item_id) or abort(404)
    action = request.form.get("action", "")
    form = ItemForm()
    if not form.validate_on_submit() and action == "rename":
        flash(_("Donnez le libellé en français."), "danger")
        return redirect(url_for("admin.reference_list", name=name), 303)
    if action != "rename" and not Form().validate_on_submit():
        abort(400)
    changes = {
        "rename": lambda: services.rename(model, item, current_user, form.label_fr.data,
                                          form.label_en.data),
        "up": lambda: services.move(model, item, current_user, -1),
        "down": lambda: services.move(model, item, current_user, 1),
        "deactivate": lambda: services.set_active(model, item, current_user, False),
        "activate": lambda: services.set_active(model, item, current_user, True),
        "delete": lambda: services.delete(model, item, current_user),
    }
    if action not in changes:
        abort(400)
    done = submit(form, changes[action])
    if not done.saved:
        flash(done.message, "danger")
        return redirect(url_for("admin.reference_list", name=name), 303)
    flash(_("Liste enregistrée."), "success")
    return redirect(url_for("admin.reference_list", name=name), 303)


def _territory(code: str | None):
    return db.session.scalar(select(Territory).where(Territory.code == code)) if code else None


def _organisation_form(organisation=None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation) if request.method == "GET" and organisation \
        else OrganisationForm()
    form.territory.choices = choices([("", "—"), *(
        (t.code, t.label) for t in db.session.scalars(select(Territory).order_by(
            Territory.position)))])
    if organisation is not None:
        del form.code  # a code never changes
        if request.method == "GET":
            form.territory.data = organisation.territory.code if organisation.territory else ""
    return form


@allow("coordinator")
def organisations():
    """List the organisations and add one."""
    form = _organisation_form()
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.save_organisation(
            current_user, None, form.code.data, form.name.data, form.kind.data,
            _territory(form.territory.data)))
        if added.saved:
            flash(_("Ajouté : %(label)s.", label=added.value.name), "success")
            return redirect(url_for("admin.organisations"), 303)
    rows = db.session.scalars(select(Organisation).order_by(Organisation.kind,
                                                            Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows, form=form,
                           toggle=Form(formdata=None)), page_status(form, added)


@allow("coordinator")
def organisation(organisation_id: int):
    """Rename an organisation, change its kind or territory, or (de)activate it."""
    found = db.session.get(Organisation, organisation_id) or abort(404)
    action = request.form.get("action", "save")
    if action in ("activate", "deactivate"):
        if not Form().validate_on_submit():
            abort(400)
        services.set_organisation_active(current_user, found, action == "activate")
        flash(_("Liste enregistrée."), "success")
        return redirect(url_for("admin.organisations"), 303)
    form = _organisation_form(found)
    saved = None
    if form.validate_on_submit():
        saved = submit(form, lambda: services.save_organisation(
            current_user, found, found.code, form.name.data, form.kind.data,
            _territory(form.territory.data)))
        if saved.saved:
            flash(_("Liste enregistrée."), "success")
            return redirect(url_for("admin.organisations"), 303)
    return render_template("admin/organisation.html", form=form, organisation=found), \
        page_status(form, saved)


RULES = [
    ("/lists", index, ["GET"]),
    ("/lists/organisations", organisations, ["GET", "POST"]),
    ("/lists/organisations/<int:organisation_id>", organisation, ["GET", "POST"]),
    ("/lists/<name>", reference_list, ["GET", "POST"]),
    ("/lists/<name>/<int:item_id>", reference_item, ["POST"]),
]
