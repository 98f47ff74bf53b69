"""caseflow: accompaniment dossiers of a social-economy hub, from reception to report."""

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

ROOT = Path(__file__).resolve().parent.parent


class DatabaseInteger(IntegerConverter):
    """An id in a URL: an integer column holds at most 2**31 - 1, so larger is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: Mapping | None = None) -> Flask:
    """Build the application; ``config`` overrides any setting (tests use it)."""
    from caseflow import cli, http, i18n, imports, models, notifications, templating  # noqa: F401 (models: mappers)
    from caseflow import config as settings
    from caseflow.admin import reference  # noqa: F401 (routes on the admin blueprint)
    from caseflow.admin.views import bp as admin_bp
    from caseflow.audit.views import bp as audit_bp
    from caseflow.auth import access, sessions
    from caseflow.auth.views import bp as auth_bp
    from caseflow.database import engine_options
    from caseflow.documents.views import bp as documents_bp
    from caseflow.dossiers import interventions, workflows  # noqa: F401 (interventions: routes)
    from caseflow.dossiers.views import bp as dossiers_bp
    from caseflow.dossiers.workflow_views import bp as workflows_bp
    from caseflow.extensions import bootstrap, csrf, db, login_manager, migrate
    from caseflow.financing.views import bp as financing_bp
    from caseflow.home.views import bp as home_bp
    from caseflow.referrals.portal import bp as partners_bp
    from caseflow.referrals.views import bp as referrals_bp
    from caseflow.reports.views import bp as reports_bp

    overrides = dict(config or {})
    app = Flask(
        __name__,
        instance_path=overrides.pop("INSTANCE_PATH", None) or settings.instance_path(),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    settings.load(app, overrides)
    app.url_map.converters["int"] = DatabaseInteger
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    http.init_app(app)
    templating.init_app(app)
    workflows.init_app(app, app.config["WORKFLOWS_DIRECTORY"] or ROOT / "workflows")
    cli.init_app(app)
    notifications.init_app(app)  # its pages, navbar badge, outbox sender, CLI
    imports.init_app(app)  # the coordinator's upload page, `import` and `bench import`

    app.before_request(sessions.expire_stale_session)
    app.before_request(access.enforce_access)
    for blueprint in (auth_bp, home_bp, admin_bp, dossiers_bp, documents_bp, financing_bp,
                      referrals_bp, partners_bp, workflows_bp, audit_bp,
                      reports_bp):
        app.register_blueprint(blueprint)
    return app
