"""Send the outbox in a daemon thread once a request that queued e-mails has finished.

A process has at most one sender. A request that queued e-mails wakes it (starting it when
none runs); after each pass it looks again if it was woken meanwhile, so the e-mail of the last
request of a burst goes out with the others instead of waiting for a later request.
"""

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


# How long an idle sender waits for another request's e-mails before it stops.
LINGER_SECONDS = 2.0

_wake = threading.Event()
_lock = threading.Lock()
_sender: threading.Thread | None = None


def start_sender(app: Flask) -> threading.Thread:
    """Wake this process's sender for the e-mails just committed, starting it if none runs."""
    global _sender
    with _lock:
        _wake.set()
        if _sender is None:
            _sender = threading.Thread(target=_run, args=(app,), name="caseflow-outbox",
                                       daemon=True)
            _sender.start()
        return _sender


def _run(app: Flask) -> None:
    """Send passes while requests keep waking the sender; stop after a quiet moment."""
    global _sender
    while True:
        _wake.clear()
        _send(app)
        _wake.wait(LINGER_SECONDS)
        with _lock:  # a request waking us now finds no sender and starts one
            if not _wake.is_set():
                _sender = None
                return


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
