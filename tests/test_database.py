"""Database settings: SQLite as DESIGN.md says, secrets out of the code."""

import threading

import pytest
from sqlalchemy import func, select, text

from caseflow import create_app
from caseflow.auth.models import LoginAttempt
from caseflow.extensions import db as database


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_concurrent_writers_never_see_database_is_locked(app):
    errors = []

    def write(worker: int) -> None:
        with app.app_context():
            try:
                for attempt in range(15):
                    database.session.scalar(select(func.count()).select_from(LoginAttempt))
                    database.session.add(LoginAttempt(email=f"w{worker}@exemple.test",
                                                      address=str(attempt), succeeded=False))
                    database.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                database.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert database.session.scalar(select(func.count()).select_from(LoginAttempt)) == 120


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    settings = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(settings).config["SECRET_KEY"]
    second = create_app(settings).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert create_app({**settings, "INSTANCE_PATH": str(tmp_path / "other")}) \
        .config["SECRET_KEY"] != first


def test_environment_overrides_the_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", f"sqlite:///{tmp_path}/from-env.sqlite3")
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "from-the-environment")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("from-env.sqlite3")
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_default_database_is_a_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEFLOW_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/caseflow.sqlite3"
