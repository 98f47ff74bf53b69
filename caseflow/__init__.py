"""caseflow: accompaniment dossiers of a social-economy hub, from reception to report."""

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter

ROOT = Path(__file__).resolve().parent.parent


class DatabaseInteger(IntegerConverter):
    """An id in a URL: an integer column holds at most 2**31 - 1, so larger is a 404.

    Only the canonical spelling opens a page: ASCII digits without a leading zero, so
    `/dossiers/01` and full-width digits are missing pages, not dossier 1.
    """

    regex = r"(?:0|[1-9][0-9]*)"

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Segment(UnicodeConverter):
    """A word in a URL (a code, a trigger, a format): ASCII letters, digits, - _ . only.

    Anything else (NUL, spaces, accents) is a 404 before it reaches a query.
    """

    regex = r"[A-Za-z0-9_.-]{1,64}"

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = Segment.regex


def create_app(config: Mapping | None = None) -> Flask:
    """Build the application; ``config`` overrides any setting (tests use it)."""
    from caseflow import (
        activities,
        admin,
        api,
        audit,
        auth,
        backup,
        bench,
        boundary,
        cli,
        desk,
        documents,
        dossiers,
        enterprises,
        extensions,
        financing,
        http,
        i18n,
        imports,
        notifications,
        privacy,
        reference,
        referrals,
        reports,
        templating,
    )
    from caseflow import config as settings
    from caseflow.database import engine_options
    from caseflow.dossiers import workflows

    overrides = dict(config or {})
    app = Flask(
        __name__,
        instance_path=overrides.pop("INSTANCE_PATH", None) or settings.instance_path(),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    settings.load(app, overrides)
    app.url_map.converters["int"] = DatabaseInteger
    app.url_map.converters["default"] = app.url_map.converters["string"] = Segment
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    app.extensions[extensions.FACTORY] = create_app

    extensions.init_app(app, Path(__file__).parent / "migrations")
    # Plumbing first, then each slice above the ones it builds on; the desk last.
    for part in (i18n, http, boundary, templating, audit, reference, auth, dossiers,
                 notifications, documents, financing, referrals, activities, enterprises,
                 reports, imports, admin, privacy, desk, bench, backup, api, cli):
        part.init_app(app)
    # Every slice has registered its guards: the workflows can be loaded and checked.
    workflows.load(app, app.config["WORKFLOWS_DIRECTORY"] or ROOT / "workflows")
    return app
