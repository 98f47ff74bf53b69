"""A fresh install used too early: every page and command says, in French, to run
`caseflow init-db`, with a 503 for pages; never a 500."""

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from caseflow import create_app
from caseflow.cli import main
from tests.builders import fr
from tests.conftest import TEST_SETTINGS, PostgresTemplate

EMPTY_SCHEMA = "caseflow_empty"


@pytest.fixture
def empty_url(backend, tmp_path):
    """The URL of a database that `caseflow init-db` never set up (no table at all)."""
    if not isinstance(backend, PostgresTemplate):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    engine = create_engine(backend.url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {EMPTY_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {EMPTY_SCHEMA}"))
    engine.dispose()
    separator = "&" if "?" in backend.url else "?"
    yield f"{backend.url}{separator}options=-csearch_path%3D{EMPTY_SCHEMA}"
    engine = create_engine(backend.url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {EMPTY_SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def fresh_app(empty_url, tmp_path):
    application = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(tmp_path / "instance"),
                              "SECRET_KEY": "fresh", "SQLALCHEMY_DATABASE_URI": empty_url})
    yield application
    with application.app_context():
        from caseflow.extensions import db

        db.session.remove()
        db.engine.dispose()


def _says_init_db(response) -> bool:
    page = response.get_data(as_text=True)
    return "caseflow init-db" in page and "Base de données à initialiser" in page


def test_every_page_of_an_uninitialised_database_says_what_to_run(fresh_app):
    client = fresh_app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    for method, path in [("GET", "/"), ("GET", "/login"), ("POST", "/login"),
                         ("GET", "/dossiers/"), ("GET", "/dossiers/1"),
                         ("GET", "/partenaires/"), ("GET", "/rapports/"),
                         ("POST", "/language")]:
        response = client.open(path, method=method, data={
            "email": "conseil@exemple.test", "password": "une phrase quelconque",
            "locale": "fr_CA", "csrf_token": token})
        assert response.status_code == 503, (method, path, response.status_code)
        assert _says_init_db(response), (method, path)
    assert client.get("/static/caseflow.css").status_code == 200
    page = client.get("/login").get_data(as_text=True)
    stylesheet = re.search(r"href=\"(/bootstrap/[^\"]+\.css)\"", page).group(1)
    assert client.get(stylesheet).status_code == 200


def test_a_session_cookie_from_elsewhere_still_gets_the_503(fresh_app):
    client = fresh_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
    response = client.get("/dossiers/1")
    assert response.status_code == 503 and _says_init_db(response)


@pytest.mark.parametrize("command", [["audit", "verify"], ["notifications", "send"],
                                     ["demo"]])
def test_every_command_of_an_uninitialised_database_says_what_to_run(empty_url, tmp_path,
                                                                    command):
    result = CliRunner().invoke(main, command, env={
        "CASEFLOW_DATABASE_URL": empty_url, "CASEFLOW_INSTANCE_PATH": str(tmp_path / "cli"),
        "CASEFLOW_SECRET_KEY": "fresh"})
    assert result.exit_code == 1, result.output
    assert fr("lancez d'abord « caseflow init-db »") in result.output
    assert "Traceback" not in result.output


def test_init_db_then_opens_the_login_page(empty_url, tmp_path):
    env = {"CASEFLOW_DATABASE_URL": empty_url, "CASEFLOW_INSTANCE_PATH": str(tmp_path / "cli"),
           "CASEFLOW_SECRET_KEY": "fresh"}
    result = CliRunner().invoke(main, ["init-db"], env=env)
    assert result.exit_code == 0, result.output
    application = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(tmp_path / "cli"),
                              "SECRET_KEY": "fresh", "SQLALCHEMY_DATABASE_URI": empty_url})
    assert application.test_client().get("/login").status_code == 200
    with application.app_context():
        from caseflow.extensions import db

        db.engine.dispose()
