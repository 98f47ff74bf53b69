"""Login sessions: loading the user from the cookie and ending stale sessions."""

import hmac

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from caseflow.auth.models import User
from caseflow.database import utcnow
from caseflow.extensions import db, login_manager

LOGIN_AT = "_caseflow_login_at"
SEEN_AT = "_caseflow_seen_at"


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> User | None:
    """Return the user a session cookie names, if the cookie is still valid."""
    identifier, _, token = user_id.partition(":")
    if not identifier.isdigit() or not token:
        return None
    user = db.session.get(User, int(identifier))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start_session(user: User) -> None:
    """Open a fresh session for a user who has just proved who they are."""
    session.clear()  # nothing of the anonymous session survives the login
    login_user(user, remember=False)
    now = utcnow().timestamp()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session.permanent = True


def end_session() -> None:
    """Close the current session."""
    logout_user()
    session.clear()


def expire_stale_session():
    """End a session idle or open for too long, sending the user back to the login page."""
    if not current_user.is_authenticated:
        return None
    now = utcnow().timestamp()
    config = current_app.config
    login_at = session.get(LOGIN_AT, 0)
    seen_at = session.get(SEEN_AT, 0)
    if (now - login_at > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
            or now - seen_at > config["SESSION_IDLE_TIMEOUT"].total_seconds()):
        end_session()
        flash(_l("Votre session a expiré. Connectez-vous de nouveau."), "warning")
        return redirect(url_for("auth.login", next=request.full_path))
    session[SEEN_AT] = now
    return None

