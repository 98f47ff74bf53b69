"""Send the outbox in a daemon thread once a request that queued e-mails has finished."""

import threading

from flask import Flask, current_app, g

from caseflow.extensions import db
from caseflow.notifications.services import QUEUED_FLAG, send_pending


def send_after_response(response):
    """Start a sender when this request queued e-mails, after its response is closed."""
    if not g.pop(QUEUED_FLAG, False):
        return response
    app = current_app._get_current_object()
    # Tests send explicitly unless they ask for the thread, so none outlives its database.
    if not app.config.get("OUTBOX_SEND_AFTER_REQUEST", not app.testing):
        return response
    # By the time the response closes, the view has committed what it queued.
    response.call_on_close(lambda: start_sender(app))
    return response


def start_sender(app: Flask) -> threading.Thread:
    """Start a daemon thread that sends the due e-mails inside its own app context."""
    thread = threading.Thread(target=_send, args=(app,), name="caseflow-outbox", daemon=True)
    thread.start()
    return thread


def _send(app: Flask) -> None:
    """Send what is due, logging instead of raising: nobody is waiting for this thread."""
    with app.app_context():
        try:
            send_pending()
        except Exception:  # noqa: BLE001 (the CLI retries whatever this run missed)
            app.logger.exception("outbox: background sending stopped")
            db.session.rollback()
        finally:
            db.session.remove()
