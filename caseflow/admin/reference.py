"""The coordinator's reference lists: document kinds the checklists offer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.admin.forms import ActivationForm
from caseflow.auth.access import allow
from caseflow.boundary import page_status, submit
from caseflow.documents import services
from caseflow.documents.forms import DocumentKindForm
from caseflow.documents.models import DocumentKind
from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.reference.lookups import items
from caseflow.reference.models import LegalForm


def _form() -> DocumentKindForm:
    form = DocumentKindForm()
    form.required_for.choices = choices((f.code, f.label) for f in items(LegalForm))
    return form


@allow("coordinator")
def document_kinds():
    """List the document kinds and add one."""
    form = _form()
    added = None
    if form.validate_on_submit():
        added = submit(form, lambda: services.add_kind(
            current_user, form.code.data, form.label_fr.data, form.label_en.data,
            form.active.data, form.required_for.data))
        if added.saved:
            flash(_("Type de document ajouté."), "success")
            return redirect(url_for("admin.document_kinds"), 303)
    kinds = db.session.scalars(select(DocumentKind).order_by(DocumentKind.position)).all()
    return render_template("admin/document_kinds.html", form=form, kinds=kinds,
                           toggle=ActivationForm(), legal_forms={
                               f.code: f.label for f in items(LegalForm)}), \
        page_status(form, added)


@allow("coordinator")
def toggle_document_kind(kind_id: int):
    """Retire a document kind from new checklists, or bring it back."""
    kind = db.session.get(DocumentKind, kind_id) or abort(404)
    if not ActivationForm().validate_on_submit():
        abort(400)
    services.toggle_kind(kind, current_user)
    return redirect(url_for("admin.document_kinds"), 303)


# (rule, view, methods), added to the admin blueprint
RULES = [
    ("/document-kinds", document_kinds, ["GET", "POST"]),
    ("/document-kinds/<int:kind_id>/active", toggle_document_kind, ["POST"]),
]
