"""A dossier's checklist items: status, due date, files uploaded and downloaded."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.auth.access import EVERYONE, allow
from caseflow.boundary import page_status, submit
from caseflow.documents import services, storage
from caseflow.documents.forms import DocumentStatusForm, RemoveFileForm, UploadForm
from caseflow.documents.models import Attachment, DocumentKind
from caseflow.dossiers.access import STAFF, record_partner_view, shared_with, visible_dossier
from caseflow.extensions import db

bp = Blueprint("documents", __name__, url_prefix="/dossiers")


def _kind_or_404(code: str) -> DocumentKind:
    return db.session.scalar(select(DocumentKind).where(DocumentKind.code == code)) or abort(404)


def upload_folder() -> Path:
    """Return the local folder that keeps uploaded files, outside any static folder."""
    return storage.local().folder


def _page(dossier, kind, status_form=None, upload_form=None, remove_form=None, status=200):
    item = next((i for i in dossier.documents if i.kind_id == kind.id), None)
    status_form = status_form or DocumentStatusForm(
        version=dossier.version, status=item.status if item else "todo",
        due_on=item.due_on if item else None)
    return render_template(
        "documents/item.html", dossier=dossier, kind=kind, item=item,
        status_form=status_form, upload_form=upload_form or UploadForm(version=dossier.version),
        remove_form=remove_form or RemoveFileForm(version=dossier.version),
        required=dossier.legal_form.code in kind.required_for), status


@bp.route("/<int:dossier_id>/documents/<code>", methods=["GET", "POST"])
@allow(*STAFF)
def item(dossier_id: int, code: str):
    """Show a checklist item and change its status or due date, or keep an uploaded file (the
    page's upload form posts here, so a refused file leaves the browser on the page)."""
    dossier = visible_dossier(dossier_id, current_user)
    kind = _kind_or_404(code)
    if "file" in request.files:
        return _upload(dossier, kind)
    form = DocumentStatusForm()
    if not form.is_submitted():
        return _page(dossier, kind)
    saved = None
    if form.validate():
        saved = submit(form, lambda: services.set_status(
            dossier, current_user, form.version.data, kind, form.status.data, form.due_on.data),
            current=dossier)
        if saved.saved:
            flash(_("Statut enregistré."), "success")
            return redirect(url_for("documents.item", dossier_id=dossier_id, code=code), 303)
    return _page(dossier, kind, status_form=form, status=page_status(form, saved))


@bp.route("/<int:dossier_id>/documents/<code>/files", methods=["POST"])
@allow(*STAFF)
def upload(dossier_id: int, code: str):
    """Keep an uploaded file on a checklist item."""
    return _upload(visible_dossier(dossier_id, current_user), _kind_or_404(code))


def _upload(dossier, kind):
    form = UploadForm()
    kept = None
    if form.validate():
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        content = form.file.data.read(limit + 1)
        if len(content) > limit:
            abort(413)
        kept = submit(form, lambda: services.attach(
            dossier, current_user, form.version.data, kind, form.file.data.filename or "",
            content, None, limit), current=dossier)
        if kept.saved:
            flash(_("Fichier ajouté."), "success")
            return redirect(url_for("documents.item", dossier_id=dossier.id, code=kind.code), 303)
    return _page(dossier, kind, upload_form=form, status=page_status(form, kept))


def _attachment_or_404(dossier_id: int, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.dossier_id != dossier_id \
            or attachment.removed_at is not None:
        abort(404)
    return attachment


@bp.route("/<int:dossier_id>/files/<int:attachment_id>")
@allow(*EVERYONE)
def download(dossier_id: int, attachment_id: int):
    """Send a file as an attachment, after the same access check as its dossier; a partner
    gets it only under a consent in force covering documents (else 404), and is audited."""
    dossier = visible_dossier(dossier_id, current_user)
    if "documents" not in shared_with(current_user, dossier):
        abort(404)
    attachment = _attachment_or_404(dossier_id, attachment_id)
    try:
        stream = storage.open_file(attachment.stored_name)
    except storage.MissingFile:
        abort(404)
    record_partner_view(current_user, dossier_id, ["documents"], "attachment", attachment.id)
    response = send_file(stream, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0)
    response.content_length = attachment.size
    return response


@bp.route("/<int:dossier_id>/files/<int:attachment_id>/remove", methods=["POST"])
@allow(*STAFF)
def remove(dossier_id: int, attachment_id: int):
    """Withdraw a file from a checklist item (the audit log keeps its trace)."""
    dossier = visible_dossier(dossier_id, current_user)
    attachment = _attachment_or_404(dossier_id, attachment_id)
    code = attachment.document.kind.code
    form = RemoveFileForm()
    if not form.validate():
        abort(400)
    removed = submit(form, lambda: services.remove(attachment, current_user, dossier,
                                                   form.version.data), current=dossier)
    if not removed.saved:
        return _page(dossier, attachment.document.kind, remove_form=form, status=removed.status)
    flash(_("Fichier retiré."), "success")
    return redirect(url_for("documents.item", dossier_id=dossier_id, code=code), 303)
