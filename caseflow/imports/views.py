"""The coordinator's upload page: check a year's spreadsheets, then import them."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from caseflow.auth.access import allow
from caseflow.boundary import discard, submit
from caseflow.imports import services
from caseflow.imports.forms import ImportForm
from caseflow.imports.problems import summary
from caseflow.imports.reading import FINANCING_COLUMNS, INTERVENTION_COLUMNS

bp = Blueprint("imports", __name__, url_prefix="/admin")


def _page(form: ImportForm, result=None, status: int = 200):
    """Render the upload page, with the result of a check or an import."""
    return render_template("imports/upload.html", form=form, result=result,
                           dry_run=bool(form.dry_run.data), import_summary=summary,
                           intervention_columns=INTERVENTION_COLUMNS,
                           financing_columns=FINANCING_COLUMNS), status


def _upload(storage) -> services.Upload | None:
    """Read an uploaded file, refusing one larger than the upload limit."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = storage.read(limit + 1)
    if len(content) > limit:
        abort(413)
    return services.Upload(storage.filename, content)


@bp.route("/import", methods=["GET", "POST"])
@allow("coordinator")
def upload():
    """Check spreadsheets of past years and, when asked and clean, import them."""
    form = ImportForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=400)
    imported = submit(form, lambda: services.run_import(
        _upload(form.interventions.data), _upload(form.financing.data), actor=current_user,
        dry_run=form.dry_run.data))
    if not imported.saved:
        return _page(form, status=imported.status)
    result = imported.value
    if result.problems or form.dry_run.data:
        discard()  # a file with problems, or a dry run, writes nothing
        return _page(form, result, status=400 if result.problems else 200)
    flash(summary(result), "success")
    return redirect(url_for("imports.upload"), 303)
