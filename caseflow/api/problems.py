"""Errors of the API as RFC 9457 problem documents, in the language the client asked for."""

import logging

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.http import ERROR_PAGES, request_id

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"
SLUGS = {400: "invalid-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
         405: "method-not-allowed", 409: "conflict", 413: "too-large",
         415: "unsupported-media-type", 422: "unprocessable", 429: "too-many-requests",
         500: "server-error"}


def problem(status: int, detail: str | None = None, errors: dict | None = None,
            headers: dict | None = None):
    """Return a problem document response."""
    title, explanation = ERROR_PAGES.get(status, (None, None))
    if status == 401:
        title, explanation = _("Authentification requise"), _(
            "Envoyez un jeton personnel valide dans l'en-tête Authorization: Bearer.")
    elif status == 422:
        title, explanation = _("Données refusées"), _("Corrigez les champs indiqués.")
    elif status == 415:
        title, explanation = _("Format non pris en charge"), _(
            "Envoyez le corps de la requête en JSON (application/json).")
    elif title is None:
        title, explanation = ERROR_PAGES[400]
    body = {"type": TYPE_BASE + SLUGS.get(status, "error"), "title": str(title),
            "status": status, "detail": detail or str(explanation),
            "instance": request.path, "request_id": request_id()}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_domain(error: DomainError, status: int = 422):
    """Answer a service's refusal: the message, under the field it names."""
    db.session.rollback()
    errors = {error.field: [error.message]} if error.field else None
    return problem(status, error.message, errors)


def from_http(error: HTTPException):
    db.session.rollback()
    status = error.code or 500
    errors = None
    data = getattr(error, "data", None)
    if isinstance(data, dict) and "messages" in data:  # webargs' validation of the input
        errors = _flatten(data["messages"])
        status = 422 if status in (400, 422) else status
    detail = error.description if error.description != type(error).description else None
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(
        error, "valid_methods", None) else None
    return problem(status, detail, errors, headers)


def unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return from_http(error)
    log.exception("unexpected error on %s %s (request %s)", request.method, request.path,
                  request_id())
    db.session.rollback()
    return problem(500)


def _flatten(messages) -> dict:
    """Turn webargs' {location: {field: [...]}} into {field: [...]}."""
    flat = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            for name, value in fields.items():
                flat[str(name)] = value if isinstance(value, list) else [value]
        else:
            flat[str(location)] = fields if isinstance(fields, list) else [fields]
    return flat
