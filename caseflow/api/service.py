"""Wiring the API: its OpenAPI document, token authentication and problem documents."""

from flask import current_app, g, request
from flask_babel import refresh
from flask_smorest import Api
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from caseflow.api import problems, tokens, views
from caseflow.api.resources import blp
from caseflow.auth.access import by_token
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import csrf

LANGUAGES = {"fr": "fr_CA", "en": "en"}


class CaseflowApi(Api):
    """flask-smorest's Api, leaving the pages' error handling alone: the API's errors are
    answered by its own blueprint."""

    def _register_error_handlers(self):
        pass


def init_app(app) -> None:
    app.config.setdefault("API_TITLE", "caseflow")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = CaseflowApi(spec_kwargs={
        "info": {"description": "Dossiers, referrals and financing of the hub. Errors are "
                                "RFC 9457 problem documents in the language of "
                                "Accept-Language."},
        "security": [{"token": []}],
    })
    api.DEFAULT_ERROR_RESPONSE_NAME = None
    api.init_app(app)
    api.spec.components.security_scheme("token", {
        "type": "http", "scheme": "bearer",
        "description": "A personal token made on the account page (Jetons d'API)."})
    api.register_blueprint(blp)
    app.extensions["caseflow.api"] = api
    # The API decides access itself, before each operation: a token, then the role.
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith("api."):
            by_token(view)
    views.init_app(app)


def openapi_document() -> dict:
    return current_app.extensions["caseflow.api"].spec.to_dict()


def _authenticate():
    """Answer the language asked for, and act as the owner of the token sent."""
    asked = request.accept_languages.best_match(["fr-CA", "fr", "en"])
    if asked:
        g.locale = LANGUAGES[asked[:2]]
        refresh()
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    user = tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return problems.problem(401, headers={"WWW-Authenticate": 'Bearer realm="caseflow"'})
    g._login_user = user
    return None



# Set once, on the module's blueprint, whatever number of apps register it.
blp.before_request(_authenticate)
blp.register_error_handler(Conflict, lambda error: problems.from_domain(error, 409))
blp.register_error_handler(DomainError, problems.from_domain)
blp.register_error_handler(StaleDataError, lambda error: problems.problem(409))
blp.register_error_handler(HTTPException, problems.from_http)
blp.register_error_handler(Exception, problems.unexpected)
csrf.exempt(blp)
