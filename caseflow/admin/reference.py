"""The coordinator's reference lists: document kinds the checklists offer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from caseflow.admin.forms import ActivationForm
from caseflow.admin.views import bp
from caseflow.audit.services import record
from caseflow.auth.access import allow
from caseflow.documents.forms import DocumentKindForm
from caseflow.documents.models import DocumentKind
from caseflow.dossiers.choices import items
from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.reference.models import LegalForm


def _form() -> DocumentKindForm:
    form = DocumentKindForm()
    form.required_for.choices = choices((f.code, f.label) for f in items(LegalForm))
    return form


@bp.route("/document-kinds", methods=["GET", "POST"])
@allow("coordinator")
def document_kinds():
    """List the document kinds and add one."""
    form = _form()
    if form.validate_on_submit():
        code = form.code.data.strip()
        if db.session.scalar(select(DocumentKind).where(DocumentKind.code == code)):
            form.code.errors = [*form.code.errors, _("Ce code existe déjà.")]
        else:
            position = (db.session.scalar(select(func.max(DocumentKind.position))) or 0) + 1
            kind = DocumentKind(code=code, label_fr=form.label_fr.data.strip(),
                                label_en=form.label_en.data.strip(), position=position,
                                active=form.active.data, required_for=form.required_for.data)
            db.session.add(kind)
            db.session.flush()
            record("document_kind.created", "document_kind", kind.id, actor=current_user,
                   changes={"code": [None, code], "label_fr": [None, kind.label_fr],
                            "required_for": [None, kind.required_for]})
            db.session.commit()
            flash(_("Type de document ajouté."), "success")
            return redirect(url_for("admin.document_kinds"), 303)
    kinds = db.session.scalars(select(DocumentKind).order_by(DocumentKind.position)).all()
    status = 400 if form.is_submitted() else 200
    return render_template("admin/document_kinds.html", form=form, kinds=kinds,
                           toggle=ActivationForm(), legal_forms={
                               f.code: f.label for f in items(LegalForm)}), status


@bp.route("/document-kinds/<int:kind_id>/active", methods=["POST"])
@allow("coordinator")
def toggle_document_kind(kind_id: int):
    """Retire a document kind from new checklists, or bring it back."""
    kind = db.session.get(DocumentKind, kind_id) or abort(404)
    if not ActivationForm().validate_on_submit():
        abort(400)
    kind.active = not kind.active
    record("document_kind.updated", "document_kind", kind.id, actor=current_user,
           changes={"active": [not kind.active, kind.active]})
    db.session.commit()
    return redirect(url_for("admin.document_kinds"), 303)
