"""The one request boundary: what a request changed is committed once, at its end, or not at all.

Services flush and never commit. When a view has answered, the boundary commits if the answer
is a success (under 400), or a refusal the view chose to keep (a failed login must still
count), and rolls back anything else. A writing view runs its one service through `submit`,
which answers a refusal on the form and a conflict one way everywhere: 409, the same form
again with what the person typed, and what changed meanwhile.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError

from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.http import render_error

_KEEP = "caseflow_keep_refusal"
# Two people did the same thing at once (the same code, the same period): the database's
# unique constraint decided, and the second one is told so.
RACE_LOST = _l("Quelqu'un vient d'enregistrer la même chose en même temps que vous. "
               "Rechargez la page pour voir ce qui a été enregistré; rien n'a été changé "
               "de votre côté.")
_DESCRIBERS = "caseflow.conflict_describers"


@dataclass
class Submission:
    """How a service change ended: saved (with what it returned), or the status to answer."""

    saved: bool
    value: object = None
    status: int | None = None
    message: str | None = None  # why it was not saved, for a page that flashes it


@dataclass
class ConflictNotice:
    """What the page says after a conflict: why, and the changes made meanwhile."""

    message: str
    meanwhile: list = field(default_factory=list)


def init_app(app) -> None:
    app.extensions[_DESCRIBERS] = []
    app.after_request(_end_transaction)
    app.add_template_global(conflict_notice, "conflict_notice")


def describe_conflicts(app, describe: Callable[[Conflict], list]) -> None:
    """Register a function listing what changed meanwhile on the object of a conflict."""
    app.extensions[_DESCRIBERS].append(describe)


def keep_refusal() -> None:
    """Commit this request's writes although it answers with an error (a failed login)."""
    g.setdefault(_KEEP, True)


def _end_transaction(response):
    if response.status_code < 400 or g.pop(_KEEP, False):
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return current_app.make_response(render_error(409, str(RACE_LOST)))
    else:
        db.session.rollback()
    return response


def show_refusal(form, error: DomainError) -> None:
    """Put a service's refusal under the field it names, or above the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def submit(form, change: Callable[[], object], *, current=None, refused: int = 400
           ) -> Submission:
    """Run one service change for a valid form; on a refusal or a conflict, undo it.

    `current` is the object whose version the form carries: after a conflict the form takes
    its version of now, so sending the same input again, knowingly, is not refused twice.
    """
    try:
        value = change()
    except Conflict as error:
        db.session.rollback()
        g.conflict = ConflictNotice(error.message, _meanwhile(error))
        _catch_up(form, current)
        return Submission(False, status=409, message=error.message)
    except DomainError as error:
        db.session.rollback()
        show_refusal(form, error)
        return Submission(False, status=refused, message=error.message)
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(str(RACE_LOST))
        return Submission(False, status=409, message=str(RACE_LOST))
    return Submission(True, value)


def conflict_notice() -> ConflictNotice | None:
    """Return the conflict this request answers, for the page to show (or None)."""
    return g.get("conflict")


def _meanwhile(error: Conflict) -> list:
    lines = []
    for describe in current_app.extensions.get(_DESCRIBERS, ()):
        lines.extend(describe(error))
    return lines


def _catch_up(form, current) -> None:
    version = getattr(form, "version", None)
    if current is None or version is None or not hasattr(version, "raw_data"):
        return
    try:
        now = current.version  # read again: the rollback expired what was loaded
    except ObjectDeletedError:
        return
    version.data = now
    version.raw_data = [str(now)]


def page_status(form, submission: Submission | None = None) -> int:
    """Return the status of a form page: 200 to fill in, else why it is shown again."""
    if submission is not None:
        return submission.status or 400
    return 400 if form.is_submitted() else 200


def discard() -> None:
    """Undo what this request wrote so far, although it answers a success (a dry run)."""
    db.session.rollback()
