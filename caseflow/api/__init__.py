"""The JSON API at /api/v1, for partners' and the hub's own software.

A call proves who it is with a personal token (``Authorization: Bearer cf_...``) that its
owner made on their account page; it then acts as that person, with the pages' access
rules. No session cookie opens the API, so no other site can make a browser call it.
"""

from flask_babel import lazy_gettext as _l

TIMELINE = {
    "api_token.created": _l("Jeton d'API créé"),
    "api_token.revoked": _l("Jeton d'API révoqué"),
}


def init_app(app) -> None:
    from caseflow.api import service
    from caseflow.audit import timeline

    service.init_app(app)
    timeline.register(app, TIMELINE)
