"""How a view answers a change to a dossier: committed, refused on the form, or a conflict."""

from flask import flash, redirect, render_template
from flask_babel import gettext as _

from caseflow.dossiers.models import Dossier
from caseflow.dossiers.workflows import definition
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.http import request_id


def conflict_page(dossier_id: int, error: Conflict):
    """Answer 409 with the dossier as it is now; nothing of the request was kept."""
    db.session.rollback()
    dossier = db.session.get(Dossier, dossier_id)
    body = render_template("dossiers/conflict.html", dossier=dossier, status=409,
                           title=_("Conflit de modification"), explanation=error.message,
                           definition=definition(dossier.workflow) if dossier else None,
                           request_id=request_id())
    return body, 409


def show_refusal(form, error: DomainError) -> None:
    """Put a service's refusal under the field it names, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def save(form, dossier_id: int, change, message: str, target: str):
    """Run a service change and commit it, then go to `target` with `message`.

    Returns the redirect once saved, the 409 page on a conflict, or None when the service
    refused the change (its reason is then on the form, and nothing was kept).
    """
    try:
        change()
    except Conflict as error:
        return conflict_page(dossier_id, error)
    except DomainError as error:
        db.session.rollback()
        show_refusal(form, error)
        return None
    db.session.commit()
    flash(message, "success")
    return redirect(target, 303)
