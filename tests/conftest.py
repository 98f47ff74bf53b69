"""Fixtures: an app on a clean database per test, on SQLite and (when given) PostgreSQL.

Set CASEFLOW_TEST_DATABASE_URL to a PostgreSQL URL to run every test on both databases.
The PostgreSQL database named there is emptied: give one that holds nothing else.
"""

import contextvars
import os
import shutil
import uuid

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from caseflow import create_app
from caseflow.extensions import db as database
from caseflow.reference.seed import seed_reference_data
from tests import builders

POSTGRES_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

# Argon2id with small parameters keeps the suite fast; production defaults are tested apart.
TEST_SETTINGS = {
    "TESTING": True,
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_COST": 1024,
    "PASSWORD_HASH_PARALLELISM": 1,
}


def _postgres_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context and database session,
    as in production, however the test itself uses the database."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and database.session.registry.has():
            # What the test's own session read before the request may be stale now.
            database.session.rollback()
        return response


class SqliteTemplate:
    """A migrated and seeded SQLite file, copied for each test."""

    def __init__(self, directory):
        self.path = directory / "template.sqlite3"
        app = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(directory),
                          "SECRET_KEY": "template", "SQLALCHEMY_DATABASE_URI": self.uri(self.path)})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            seed_reference_data()
            database.session.commit()
            database.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            database.engine.dispose()

    @staticmethod
    def uri(path) -> str:
        return f"sqlite:///{path}"

    def fresh(self, directory) -> str:
        target = directory / "caseflow.sqlite3"
        shutil.copyfile(self.path, target)
        return self.uri(target)


class PostgresTemplate:
    """A migrated PostgreSQL database, emptied and seeded again for each test."""

    def __init__(self, url, directory):
        self.url = _postgres_url(url)
        engine = create_engine(self.url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        app = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(directory),
                          "SECRET_KEY": "template", "SQLALCHEMY_DATABASE_URI": self.url})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            self.tables = [name for name in inspect(database.engine).get_table_names()
                           if name != "alembic_version"]
            database.engine.dispose()

    def fresh(self, directory) -> str:
        engine = create_engine(self.url)
        with engine.begin() as connection:
            names = ", ".join(f'"{name}"' for name in self.tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            connection.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '')"))
        engine.dispose()
        return self.url

    def seed(self) -> None:
        seed_reference_data()
        database.session.commit()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory):
    """The database template of one backend; every test runs once per backend."""
    directory = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        return SqliteTemplate(directory)
    return PostgresTemplate(POSTGRES_URL, directory)


@pytest.fixture
def app(backend, tmp_path):
    """An application on a clean, migrated and seeded database."""
    instance = tmp_path / "instance"
    instance.mkdir()
    application = create_app({
        **TEST_SETTINGS,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": backend.fresh(tmp_path),
    })
    application.test_client_class = IsolatedClient
    if isinstance(backend, PostgresTemplate):
        with application.app_context():
            backend.seed()
    yield application
    with application.app_context():
        database.session.remove()
        database.engine.dispose()


@pytest.fixture
def db(app):
    """The database, in an app context held for the whole test."""
    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def coordinator(db):
    return builders.make_user("coordinator", email="coordination@exemple.test",
                              full_name="Coordination Test")


@pytest.fixture
def advisor(db):
    return builders.make_user("advisor", email="conseil@exemple.test",
                              full_name="Conseil Test")


@pytest.fixture
def partner(db):
    return builders.make_user("partner", email="partenaire@exemple.test",
                              organisation_code="mrc-becancour", full_name="Partenaire Test")


def _logged_in(app, user):
    client = app.test_client()
    response = builders.login(client, user.email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def coordinator_client(app, coordinator):
    return _logged_in(app, coordinator)


@pytest.fixture
def advisor_client(app, advisor):
    return _logged_in(app, advisor)


@pytest.fixture
def partner_client(app, partner):
    return _logged_in(app, partner)
