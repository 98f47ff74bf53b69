"""Backup and restore: one archive with the database and the uploaded files; a backup taken
while the app writes restores into an empty database whose chain verifies and whose row
counts are the backup's."""

import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from caseflow.auth.models import User
from caseflow.backup import archive
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import Attachment
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier
from caseflow.errors import DomainError
from caseflow.extensions import db as database
from tests.builders import add_intervention, csrf_token, make_dossier

# Run by hand with CASEFLOW_BACKUP_STRESS_SECONDS=30 for the full-length check.
STRESS_SECONDS = float(os.environ.get("CASEFLOW_BACKUP_STRESS_SECONDS", "3"))
CYCLE = (("start_constitution", None), ("start_follow_up", None), ("close", "formalise"),
         ("reopen", None))


@pytest.fixture
def empty_database(app, tmp_path):
    """The URL of an empty database of the same kind as the test's, dropped afterwards."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'caseflow.sqlite3'}"
        return
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Restored:
    """Another installation: its own instance folder and database, the same audit key; its
    commands run as the operator runs them, in a process of their own."""

    def __init__(self, app, url, tmp_path):
        self.url = url
        self.instance = tmp_path / "restored"
        self.instance.mkdir(exist_ok=True)
        self.environment = {**os.environ, "CASEFLOW_DATABASE_URL": url,
                            "CASEFLOW_INSTANCE_PATH": str(self.instance),
                            "CASEFLOW_AUDIT_KEY": app.config["AUDIT_KEY"],
                            "CASEFLOW_SECRET_KEY": uuid.uuid4().hex}

    def run(self, *args) -> subprocess.CompletedProcess:
        command = Path(sys.executable).with_name("caseflow")
        return subprocess.run([str(command), *args], env=self.environment,
                              capture_output=True, text=True)

    def counts(self) -> dict:
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"'))
                        for name in inspect(connection).get_table_names()}
        finally:
            engine.dispose()


def _upload(client, dossier, content):
    token = csrf_token(client, f"/dossiers/{dossier.id}/documents/charte")
    return client.post(f"/dossiers/{dossier.id}/documents/charte/files",
                       data={"csrf_token": token, "version": dossier.version,
                             "file": (io.BytesIO(content), "charte.pdf")},
                       content_type="multipart/form-data")


def test_a_backup_restores_into_an_empty_database_with_its_files(
        app, db, runner, advisor, advisor_client, empty_database, tmp_path):
    dossier = make_dossier(advisor)
    content = tiny_pdf("Charte de la coopérative")
    assert _upload(advisor_client, dossier, content).status_code == 303
    attachment_id = db.session.scalar(select(Attachment.id))
    file = tmp_path / "sauvegarde.tar.gz"
    result = runner.invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    with tarfile.open(file) as written:
        names = written.getnames()
    assert "manifest.json" in names and len([n for n in names if n.startswith("uploads/")]) == 1
    assert any(n.startswith("database.") for n in names)

    restored = Restored(app, empty_database, tmp_path)
    result = restored.run("restore", str(file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Audit chain intact" in result.stdout and "1 file(s)" in result.stdout
    verify = restored.run("audit", "verify")
    assert verify.returncode == 0 and "matches" in verify.stdout, verify.stdout + verify.stderr
    stored = db.session.scalar(select(Attachment.stored_name).where(
        Attachment.id == attachment_id))
    copy = restored.instance / "uploads" / stored[:2] / stored
    assert copy.read_bytes() == content


def test_restore_refuses_a_database_that_is_not_empty(app, db, runner, advisor, tmp_path):
    make_dossier(advisor)
    file = tmp_path / "sauvegarde.tar.gz"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    make_dossier(advisor, title="Après la sauvegarde")
    refused = runner.invoke(args=["restore", str(file)])
    assert refused.exit_code != 0 and "not empty" in refused.output
    assert "--force" in refused.output
    assert db.session.scalar(select(func.count(Dossier.id))) == 2
    forced = runner.invoke(args=["restore", str(file), "--force"])
    assert forced.exit_code == 0, forced.output
    db.session.remove()
    assert db.session.scalar(select(func.count(Dossier.id))) == 1
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_file_that_is_not_a_backup_is_refused(app, runner, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = runner.invoke(args=["restore", str(bogus)])
    assert result.exit_code != 0 and "not a caseflow backup" in result.output


def test_without_pg_dump_the_backup_says_what_to_install(app, db, runner, tmp_path,
                                                        monkeypatch):
    if db.engine.dialect.name != "postgresql":
        monkeypatch.setattr(archive, "_kind", lambda: "postgresql")
    monkeypatch.setattr(archive.shutil, "which", lambda name: None)
    result = runner.invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code != 0
    assert "pg_dump not found" in result.output and "postgresql-client" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


def _transitions(app, dossier_ids, actor_id, stop, done, errors):
    """Move dossiers round their workflow until told to stop, one commit per change."""
    with app.app_context():
        actor = database.session.get(User, actor_id)
        step = 0
        while not stop.is_set():
            for dossier_id in dossier_ids:
                dossier = database.session.get(Dossier, dossier_id)
                trigger, outcome = next((t, o) for t, o in CYCLE
                                        if services.engine().definition(dossier.workflow)
                                        .transition(t, dossier.state))
                try:
                    services.apply_transition(dossier, actor, trigger, dossier.version,
                                              outcome=outcome, comment="Rouvert")
                    database.session.commit()
                    done.append(1)
                except DomainError:
                    database.session.rollback()
                except Exception as error:  # noqa: BLE001 - reported by the test
                    database.session.rollback()
                    errors.append(repr(error))
            step += 1
        database.session.remove()


def test_a_backup_taken_during_transitions_restores_consistently(
        app, db, runner, coordinator, empty_database, tmp_path):
    ids = []
    for number in range(8):
        dossier = make_dossier(coordinator, title=f"Dossier {number}")
        add_intervention(dossier, coordinator)
        ids.append(dossier.id)
    db.session.remove()
    stop, done, errors = threading.Event(), [], []
    workers = [threading.Thread(target=_transitions, args=(app, ids[i::4], coordinator.id,
                                                           stop, done, errors))
               for i in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(STRESS_SECONDS / 2)
    before = len(done)
    file = tmp_path / "pendant.tar.gz"
    result = runner.invoke(args=["backup", str(file)])
    during = len(done) - before
    time.sleep(STRESS_SECONDS / 2)
    stop.set()
    for worker in workers:
        worker.join()
    assert result.exit_code == 0, result.output
    assert errors == []
    manifest = archive.read_manifest(file)
    live = db.session.scalar(text("SELECT count(*) FROM audit_event"))
    assert before > 0 and manifest["counts"]["audit_event"] < live  # writes went on around it

    restored = Restored(app, empty_database, tmp_path)
    loaded = restored.run("restore", str(file))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert restored.counts() == manifest["counts"]
    verify = restored.run("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{manifest['audit_head'][0]} events verified" in verify.stdout
    print(f"\n{len(done)} transitions in {STRESS_SECONDS} s ({during} while the backup ran); "
          f"backup at audit sequence {manifest['audit_head'][0]}, "
          f"{sum(manifest['counts'].values())} rows; {json.dumps(verify.stdout.strip())}")
