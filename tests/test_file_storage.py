"""Where uploaded files are kept: the local folder, or the database for several app servers;
`caseflow files migrate` moves them, checking each file's hash."""

import hashlib
import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.documents import storage
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import Attachment
from caseflow.documents.storage import StoredChunk
from tests.builders import csrf_token, login, make_dossier
from tests.conftest import TEST_SETTINGS, IsolatedClient


def big_pdf() -> bytes:
    """A real PDF of several chunks (about 3 chunks of the database storage)."""
    lines = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(12_000)]
    content = tiny_pdf(*lines)
    assert len(content) > 2 * storage.CHUNK_SIZE
    return content


def upload(client, dossier_id, version, content, name="charte.pdf"):
    token = csrf_token(client, f"/dossiers/{dossier_id}/documents/charte")
    return client.post(f"/dossiers/{dossier_id}/documents/charte/files",
                       data={"csrf_token": token, "version": version,
                             "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def local_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def chunks(db) -> int:
    return db.session.scalar(select(func.count()).select_from(StoredChunk))


def _server(app, instance: Path, **settings):
    """Another app server: its own instance folder, the same database, secret and audit keys."""
    instance.mkdir()
    server = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(instance),
                         "SECRET_KEY": app.config["SECRET_KEY"],
                         "AUDIT_KEY": app.config["AUDIT_KEY"],
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         **settings})
    server.test_client_class = IsolatedClient
    return server


def test_a_file_uploaded_through_one_server_downloads_through_the_other(app, db, advisor,
                                                                        tmp_path):
    dossier = make_dossier(advisor)
    one = _server(app, tmp_path / "server-one", FILE_STORAGE="database")
    two = _server(app, tmp_path / "server-two", FILE_STORAGE="database")
    content = big_pdf()
    first, second = one.test_client(), two.test_client()
    login(first, advisor.email)
    login(second, advisor.email)
    assert upload(first, dossier.id, dossier.version, content).status_code == 303
    attachment = db.session.scalar(select(Attachment))
    response = second.get(f"/dossiers/{dossier.id}/files/{attachment.id}")
    assert response.status_code == 200
    assert response.data == content  # byte for byte
    assert response.headers["Content-Length"] == str(len(content))
    assert "attachment" in response.headers["Content-Disposition"]
    assert not local_files(one) and not local_files(two) and not local_files(app)
    assert chunks(db) == -(-len(content) // storage.CHUNK_SIZE)


def test_a_refused_upload_leaves_no_chunk_behind(app, db, advisor_client, advisor):
    app.config["FILE_STORAGE"] = "database"
    dossier = make_dossier(advisor)
    stale = dossier.version - 1  # someone changed the dossier meanwhile: a conflict
    assert upload(advisor_client, dossier.id, stale, tiny_pdf("x")).status_code == 409
    assert chunks(db) == 0 and db.session.scalar(select(func.count(Attachment.id))) == 0


def test_files_migrate_moves_each_file_and_back_checking_its_hash(app, db, advisor_client,
                                                                  advisor, runner):
    dossier = make_dossier(advisor)
    content = big_pdf()
    assert upload(advisor_client, dossier.id, dossier.version, content).status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert len(local_files(app)) == 1

    result = runner.invoke(args=["files", "migrate", "--to", "database"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) moved to the database storage" in result.output
    assert not local_files(app) and chunks(db) > 1
    app.config["FILE_STORAGE"] = "database"
    response = advisor_client.get(f"/dossiers/{dossier.id}/files/{attachment.id}")
    assert response.data == content

    again = runner.invoke(args=["files", "migrate", "--to", "database"])
    assert "0 file(s) moved" in again.output and "1 already there" in again.output

    back = runner.invoke(args=["files", "migrate", "--to", "local"])
    assert back.exit_code == 0, back.output
    assert chunks(db) == 0 and len(local_files(app)) == 1
    app.config["FILE_STORAGE"] = "local"
    assert advisor_client.get(f"/dossiers/{dossier.id}/files/{attachment.id}").data == content


def test_a_file_whose_content_changed_is_not_moved(app, db, advisor_client, advisor, runner):
    dossier = make_dossier(advisor)
    assert upload(advisor_client, dossier.id, dossier.version, tiny_pdf("x")).status_code == 303
    [path] = local_files(app)
    path.write_bytes(tiny_pdf("altered"))
    result = runner.invoke(args=["files", "migrate", "--to", "database"])
    assert result.exit_code != 0
    assert path.name in result.output and "does not match the hash" in result.output
    assert path.exists() and chunks(db) == 0


def test_a_file_still_in_the_other_storage_downloads_meanwhile(app, db, advisor_client,
                                                               advisor):
    dossier = make_dossier(advisor)
    content = tiny_pdf("avant la migration")
    assert upload(advisor_client, dossier.id, dossier.version, content).status_code == 303
    attachment = db.session.scalar(select(Attachment))
    app.config["FILE_STORAGE"] = "database"  # switched before `files migrate` ran
    response = advisor_client.get(f"/dossiers/{dossier.id}/files/{attachment.id}")
    assert response.status_code == 200 and response.data == content


def test_the_storage_interface_saves_opens_and_deletes(app, db):
    for store in (storage.LocalStorage(Path(app.instance_path) / "other"),
                  storage.DatabaseStorage()):
        kept = store.save(io.BytesIO(b"abc" * 100_000))
        db.session.commit()  # a download reads what is committed, on a connection of its own
        assert kept.sha256 == hashlib.sha256(b"abc" * 100_000).hexdigest()
        with store.open(kept.name) as stream:
            assert stream.read(10) == b"abcabcabca"
            assert len(stream.read()) == 300_000 - 10
        store.delete(kept.name)
        db.session.commit()
        assert not store.exists(kept.name)
        with pytest.raises(storage.MissingFile):
            store.open(kept.name)
        with pytest.raises(storage.MissingFile):
            store.open("../../etc/passwd")


def test_an_unknown_storage_setting_stops_the_app(tmp_path):
    with pytest.raises(ValueError, match="CASEFLOW_FILE_STORAGE"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "SECRET_KEY": uuid.uuid4().hex, "FILE_STORAGE": "s3"})
