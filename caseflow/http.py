"""What every response carries: security headers, error pages, the request id."""

import logging
import uuid

from flask import current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from caseflow.database import not_initialised, not_initialised_database
from caseflow.extensions import db, login_manager

log = logging.getLogger(__name__)

# Bootstrap draws its select arrows and menu icon as data: SVG images, hence img-src.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Title and explanation of each error page, in the user's language.
ERROR_PAGES = {
    400: (_l("Requête invalide"),
          _l("La demande n'a pas pu être traitée. Revenez à la page précédente, rechargez-la "
             "et réessayez.")),
    403: (_l("Accès refusé"),
          _l("Votre rôle ne donne pas accès à cette page.")),
    404: (_l("Page introuvable"),
          _l("Cette page n'existe pas, ou vous n'y avez pas accès.")),
    405: (_l("Action non permise"),
          _l("Cette action n'est pas possible à cette adresse.")),
    409: (_l("Conflit de modification"),
          _l("Quelqu'un d'autre a modifié ces données pendant que vous les consultiez. "
             "Rechargez la page pour voir leur état actuel; rien n'a été enregistré.")),
    413: (_l("Fichier trop volumineux"),
          _l("Le fichier ou le formulaire envoyé dépasse la taille permise. Rien n'a été "
             "enregistré.")),
    429: (_l("Trop de demandes"),
          _l("Trop de demandes en peu de temps. Attendez quelques minutes et réessayez.")),
    503: (_l("Base de données à initialiser"),
          _l("Cette installation de caseflow n'a pas encore de base de données prête. "
             "La personne qui l'administre doit lancer la commande « caseflow init-db », "
             "puis recharger la page.")),
    500: (_l("Erreur du serveur"),
          _l("Une erreur imprévue est survenue; rien n'a été enregistré. Si elle se "
             "reproduit, communiquez avec la coordination en indiquant le numéro de "
             "demande ci-dessous.")),
}


def init_app(app) -> None:
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        # Behind N trusted proxies, the client's address and scheme are the ones they saw:
        # the login throttle must count each client, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies, x_port=proxies, x_prefix=proxies)
    app.before_request(_assign_request_id)
    app.before_request(_require_database)
    app.after_request(_add_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(StaleDataError, _stale_data)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def request_id() -> str:
    """Return the id of the current request, shown on error pages and kept in the audit log."""
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return g.request_id


def _assign_request_id() -> None:
    request_id()


_READY = "caseflow.database_ready"


def _require_database():
    """Answer 503 on every page until `caseflow init-db` has created the tables.

    Asked until the answer is yes, then never again: a ready database costs nothing.
    """
    endpoint = request.endpoint or ""
    if current_app.extensions.get(_READY) or endpoint == "static" \
            or endpoint.endswith(".static"):  # the page's own styles (Bootstrap's too)
        return None
    if not_initialised_database(db.engine):
        return _not_initialised_page()
    current_app.extensions[_READY] = True
    return None


def _add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint and not request.endpoint.endswith("static"):
        # Pages may show personal information: never keep them in a shared cache.
        headers["Cache-Control"] = "no-store"
    headers["X-Request-Id"] = request_id()
    return response


def render_error(status: int, detail: str | None = None, command: str | None = None):
    """Render the error page for a status, in the site's layout (with a command to run)."""
    title, explanation = ERROR_PAGES.get(status, ERROR_PAGES[400])
    return render_template("errors/error.html", status=status, title=title,
                           explanation=explanation, detail=detail, command=command,
                           request_id=request_id()), status


def _csrf_error(error: CSRFError):
    db.session.rollback()
    return render_error(400, str(_l("Le formulaire a expiré ou n'est pas valide. Rechargez la "
                                    "page et soumettez-le de nouveau.")))


def _stale_data(error: StaleDataError):
    # Someone else's change reached the database first: nothing of this request was kept.
    db.session.rollback()
    return render_error(409)


def _http_error(error: HTTPException):
    db.session.rollback()
    if error.code == 500 and _not_initialised(getattr(error, "original_exception", None)):
        return _not_initialised_page()
    if error.code is None or error.code < 400:
        return error
    detail = error.description if error.code in (400, 409) and _own(error) else None
    response, status = render_error(error.code if error.code in ERROR_PAGES else 400, detail)
    return response, error.code


def _own(error: HTTPException) -> bool:
    """Say whether the description was written by caseflow rather than Werkzeug's default."""
    return error.description != type(error).description


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()
    if _not_initialised(error):
        return _not_initialised_page()
    log.exception("unexpected error on %s %s (request %s)", request.method, request.path,
                  request_id())
    return render_error(InternalServerError.code)


def _not_initialised(error) -> bool:
    return error is not None and not_initialised(error, db.engine)


def _not_initialised_page():
    """Answer 503 and say what to run; the page reads nothing from the missing tables."""
    log.error("the database has no tables: run `caseflow init-db` (request %s)", request_id())
    g._login_user = login_manager.anonymous_user()  # no session can be read back yet
    return render_error(503, command="caseflow init-db")
