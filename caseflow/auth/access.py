"""Access decisions: every view is closed unless it says who may open it.

A view is opened either with ``@public`` (anyone, logged in or not) or with
``@allow(role, ...)``. ``enforce_access`` runs before every request: an anonymous visitor
on a closed view is sent to the login page; a logged-in user whose role is not listed,
or any user on a view that made no decision, gets 403.
"""

from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user

from caseflow.auth.models import ROLES
from caseflow.extensions import login_manager

PUBLIC = "public"
# The API's operations: no session opens them; the API checks a bearer token itself.
TOKEN = "token"
EVERYONE = ROLES  # every logged-in role


def public(view: Callable) -> Callable:
    """Open a view to anyone, logged in or not."""
    view.access = PUBLIC
    return view


def by_token(view: Callable) -> Callable:
    """Leave a view to the API's own check of a personal token (never a session)."""
    view.access = TOKEN
    return view


def allow(*roles: str) -> Callable[[Callable], Callable]:
    """Open a view to logged-in users with one of these roles."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown or missing roles: {sorted(unknown)}")

    def decorate(view: Callable) -> Callable:
        view.access = frozenset(roles)
        return view

    return decorate


def access_of(endpoint: str | None):
    """Return the access decision of an endpoint: PUBLIC, a set of roles, or None."""
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def enforce_access():
    """Refuse the request unless the endpoint's decision lets the current user in."""
    if request.endpoint is None:  # no such route: let the 404 through
        return None
    decision = access_of(request.endpoint)
    if decision in (PUBLIC, TOKEN):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if decision is None or current_user.role not in decision:
        # On a route about one object, a refusal must not tell that the object exists.
        if any(name.endswith("_id") for name in request.view_args or {}):
            abort(404)
        abort(403)
    return None


def has_role(*roles: str) -> bool:
    """Say whether the current user holds one of these roles (for templates)."""
    return current_user.is_authenticated and current_user.role in roles
