"""Settings: defaults, then instance/config.py, then CASEFLOW_* variables, then overrides."""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask

from caseflow.database import HUB_TIME_ZONE_NAME

#: Environment variables read at start-up, and the setting each one fills.
ENVIRONMENT = {
    "CASEFLOW_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "CASEFLOW_SECRET_KEY": "SECRET_KEY",
    "CASEFLOW_SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "CASEFLOW_AUDIT_KEY": "AUDIT_KEY",
    "CASEFLOW_AUDIT_CHECKPOINT": "AUDIT_CHECKPOINT",
    "CASEFLOW_AUDIT_SYSLOG": "AUDIT_SYSLOG",
    "CASEFLOW_BASE_URL": "BASE_URL",
    "CASEFLOW_FILE_STORAGE": "FILE_STORAGE",
    "CASEFLOW_UPLOAD_FOLDER": "UPLOAD_FOLDER",
    "CASEFLOW_SMTP_HOST": "SMTP_HOST",
    "CASEFLOW_SMTP_PORT": "SMTP_PORT",
    "CASEFLOW_SMTP_USER": "SMTP_USER",
    "CASEFLOW_SMTP_PASSWORD": "SMTP_PASSWORD",
    "CASEFLOW_SMTP_FROM": "SMTP_FROM",
    "CASEFLOW_SMTP_TLS": "SMTP_TLS",
}


class Defaults:
    """Settings a fresh install runs with."""

    SQLALCHEMY_DATABASE_URI = None  # filled with a file in instance/ when left unset
    AUDIT_KEY = None  # filled from instance/audit_key when left unset
    AUDIT_CHECKPOINT = None  # instance/audit_checkpoint when left unset
    AUDIT_SYSLOG = False  # also send each published head to syslog
    WORKFLOWS_DIRECTORY = None  # workflows/ beside the package when left unset
    CASELOAD_PAGE_SIZE = 25
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = "fr_CA"
    BABEL_DEFAULT_TIMEZONE = HUB_TIME_ZONE_NAME
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES = ("fr_CA", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_STYLE = "primary"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "caseflow_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=60)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_FOLDER = None  # instance/uploads when left unset
    FILE_STORAGE = "local"  # or "database": files kept in the database, for several app servers
    MAX_CONTENT_LENGTH = None  # the upload limit plus room for the form's other fields
    LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
    # Free failures on one account from one address, and from one address on any account;
    # past them each try waits LOGIN_THROTTLE_DELAY, doubled per failure, at most the cap.
    LOGIN_THROTTLE_ACCOUNT_LIMIT = 5
    LOGIN_THROTTLE_ADDRESS_LIMIT = 30
    LOGIN_THROTTLE_DELAY = timedelta(seconds=15)
    LOGIN_THROTTLE_MAX_DELAY = timedelta(minutes=15)
    PROXY_COUNT = 0  # reverse proxies in front of the app, whose X-Forwarded-* are trusted
    # Argon2id parameters (RFC 9106 second recommended option).
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536
    PASSWORD_HASH_PARALLELISM = 4
    PASSWORD_MIN_LENGTH = 10


def load(app: Flask, overrides: Mapping | None) -> None:
    """Fill app.config from defaults, the instance file, the environment and overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for variable, key in ENVIRONMENT.items():
        if variable in os.environ:
            app.config[key] = _parse(os.environ[variable])
    if os.environ.get("CASEFLOW_PROXY_COUNT", "").isdigit():
        app.config["PROXY_COUNT"] = int(os.environ["CASEFLOW_PROXY_COUNT"])
    if os.environ.get("CASEFLOW_UPLOAD_MAX_MB", "").isdigit():
        app.config["UPLOAD_MAX_BYTES"] = int(os.environ["CASEFLOW_UPLOAD_MAX_MB"]) * 1024 * 1024
    app.config.update(overrides or {})
    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_BYTES"] + 256 * 1024
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _default_database(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app, "secret_key")
    if not app.config.get("AUDIT_KEY"):
        # Kept outside the database, so whoever can edit the database cannot re-sign the log.
        app.config["AUDIT_KEY"] = _instance_secret(app, "audit_key")


def instance_path() -> str | None:
    """Return the instance folder named by CASEFLOW_INSTANCE_PATH, if any."""
    value = os.environ.get("CASEFLOW_INSTANCE_PATH")
    return os.path.abspath(value) if value else None


def _parse(value: str):
    if value.lower() in {"true", "1", "yes", "on"}:
        return True
    if value.lower() in {"false", "0", "no", "off"}:
        return False
    return value


def _default_database(app: Flask) -> str:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "caseflow.sqlite3")


def _instance_secret(app: Flask, name: str) -> str:
    """Read a secret from instance/, creating it once; safe when several workers race."""
    path = Path(app.instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # atomic: the first worker's secret wins
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()
