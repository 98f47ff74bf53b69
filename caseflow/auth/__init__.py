"""Authentication, sessions and the access decision every request goes through."""

from flask_babel import lazy_gettext as _l

TIMELINE = {
    "user.created": _l("Compte créé"),
    "user.deactivated": _l("Compte désactivé"),
    "user.reactivated": _l("Compte réactivé"),
    "user.password_changed": _l("Mot de passe changé"),
    "user.password_set": _l("Mot de passe remplacé"),
    "user.password_link": _l("Lien pour choisir un mot de passe émis"),
    "user.updated": _l("Compte modifié"),
    "user.digest_changed": _l("Courriels de suivi activés ou désactivés"),
}


def init_app(app) -> None:
    """Close every route by default, load users from sessions, and register the login pages,
    the `create-user` command and what templates need to know of the user."""
    from caseflow.audit import timeline
    from caseflow.auth import access, sessions
    from caseflow.auth.cli import create_user
    from caseflow.auth.models import ROLE_LABELS
    from caseflow.auth.views import bp, user_globals

    sessions.init_app(app)
    app.before_request(sessions.expire_stale_session)
    app.before_request(access.enforce_access)
    app.register_blueprint(bp)
    app.cli.add_command(create_user)
    app.add_template_global(access.has_role, "has_role")
    app.add_template_global(lambda role: ROLE_LABELS.get(role, role), "role_label")
    app.context_processor(user_globals)
    timeline.register(app, TIMELINE)
