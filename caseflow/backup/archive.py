"""Backups as one archive: a consistent copy of the database, the uploaded files and a manifest.

SQLite is copied with its online backup API (one read transaction: a consistent snapshot
however many requests write meanwhile), never as a file: a live WAL database copied as a
file can miss what is still in its log. PostgreSQL is dumped by `pg_dump` from a snapshot
this module exports and keeps open, so the row counts written in the manifest are those of
that very snapshot. Uploaded files kept in the local folder are added after the snapshot was
taken: every file the copied rows name was written before its row was committed.

The archive (tar, gzip) holds `manifest.json`, `database.sqlite3` or `database.pgdump`, and
`uploads/<xx>/<name>` for each file of the local folder. The audit key is not in it: it is
kept apart from the database on purpose, and the restored chain is verified with it.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, table, text

from caseflow.audit import checkpoint
from caseflow.audit.services import checkpoint_target, current_head, verify
from caseflow.documents import storage
from caseflow.documents.models import Attachment
from caseflow.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
_UPLOAD = re.compile(r"uploads/[0-9a-f]{2}/([0-9a-f]{32})\Z")


class BackupError(Exception):
    """A backup or restore that cannot be done, with what the operator should do."""


@dataclass
class Restored:
    counts: dict
    files: int
    chain: object  # the audit Verification of the restored database
    problems: list


def _kind() -> str:
    name = db.engine.url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _tables(connection) -> list[str]:
    return sorted(inspect(connection).get_table_names())


def _counts(connection) -> dict[str, int]:
    return {name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in _tables(connection)}


def _libpq(url) -> tuple[str, dict]:
    """Return a URL the PostgreSQL tools understand, and the environment carrying its password."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools of the "
                          f"server's version (Debian/Ubuntu: apt-get install postgresql-client) "
                          f"and run this again")
    return found


def _run(arguments: list[str], environment: dict) -> None:
    completed = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: "
                          f"{completed.stderr.strip() or completed.returncode}")


def backup(path: Path) -> dict:
    """Write a backup archive to `path` and return its manifest."""
    path = Path(path)
    kind = _kind()
    with tempfile.TemporaryDirectory(prefix="caseflow-backup-") as scratch:
        scratch = Path(scratch)
        if kind == "sqlite":
            member, manifest = SQLITE_MEMBER, _sqlite_copy(scratch / SQLITE_MEMBER)
        else:
            member, manifest = POSTGRES_MEMBER, _postgres_dump(scratch / POSTGRES_MEMBER)
        manifest = {"format": FORMAT, "database": kind, "created_at": _now(),
                    "file_storage": current_app.config.get("FILE_STORAGE"), **manifest}
        local = storage.local().folder
        files = sorted(p for p in local.glob("??/*") if _UPLOAD.match(
            f"uploads/{p.parent.name}/{p.name}")) if local.is_dir() else []
        manifest["files"] = len(files)
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        draft = path.with_name(f".{path.name}.partial")
        with tarfile.open(draft, "w:gz") as archive:
            archive.add(scratch / MANIFEST, MANIFEST)
            archive.add(scratch / member, member)
            for file in files:
                archive.add(file, f"uploads/{file.parent.name}/{file.name}")
        os.replace(draft, path)
    return manifest


def _now() -> str:
    from caseflow.database import utcnow

    return utcnow().isoformat(timespec="seconds")


def _sqlite_copy(target: Path) -> dict:
    """Copy the live database with SQLite's backup API, then count the copy's rows."""
    raw = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(copy)  # one step: one consistent read snapshot
        finally:
            copy.close()
    finally:
        raw.close()
    copy = sqlite3.connect(target)
    try:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the copy of the database does not pass its integrity check")
        names = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for name in sorted(names)}
        head = copy.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone() \
            if "audit_head" in names else None
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone() \
            if "alembic_version" in names else None
    finally:
        copy.close()
    return {"counts": counts, "audit_head": list(head) if head else [0, ""],
            "revision": revision[0] if revision else None}


def _postgres_dump(target: Path) -> dict:
    """Dump the database with pg_dump from a snapshot held open while its rows are counted."""
    pg_dump = _tool("pg_dump")
    url, environment = _libpq(db.engine.url)
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = _counts(connection)
            head = connection.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")
                                      ).one_or_none()
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
            _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", f"--file={target}", f"--dbname={url}"], environment)
    return {"counts": counts, "audit_head": list(head) if head else [0, ""],
            "revision": revision}


def read_manifest(path: Path) -> dict:
    """Return the manifest of a backup archive, or raise BackupError."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not a caseflow backup ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def holdings() -> dict[str, int]:
    """Return the row count of each table of the configured database (empty when it has none)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return {}
    with db.engine.connect() as connection:
        return _counts(connection)


def restore(path: Path, *, force: bool = False) -> Restored:
    """Restore a backup archive into the configured database and the local upload folder.

    Refuses a database that already has tables unless `force`, which replaces everything.
    """
    path = Path(path)
    manifest = read_manifest(path)
    kind = _kind()
    if manifest["database"] != kind:
        raise BackupError(f"this backup is of a {manifest['database']} database; the "
                          f"configured database is {kind}: restore it into a {manifest['database']}"
                          " database")
    existing = holdings()
    if existing and not force:
        rows = sum(existing.values())
        raise BackupError(f"the database at {_safe_url()} is not empty ({len(existing)} tables, "
                          f"{rows} rows): restore into an empty database, or add --force to "
                          "replace everything in it")
    with tempfile.TemporaryDirectory(prefix="caseflow-restore-") as scratch:
        scratch = Path(scratch)
        with tarfile.open(path, "r:gz") as archive:
            member = SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER
            archive.extract(member, scratch, filter="data")
            db.session.remove()
            db.engine.dispose()
            if kind == "sqlite":
                _sqlite_restore(scratch / member)
            else:
                _postgres_restore(scratch / member, bool(existing))
            files = _restore_files(archive)
    db.engine.dispose()
    counts = holdings()
    problems = [f"table {name}: {counts.get(name)} rows restored, {expected} in the backup"
                for name, expected in manifest["counts"].items() if counts.get(name) != expected]
    problems += _check_files()
    chain = verify_restored()
    return Restored(counts, files, chain, problems)


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _sqlite_restore(source: Path) -> None:
    target = Path(db.engine.url.database)
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(source)
    destination = sqlite3.connect(target)
    try:
        origin.backup(destination)  # replaces every page of the target, atomically
    finally:
        destination.close()
        origin.close()


def _postgres_restore(dump: Path, replace: bool) -> None:
    pg_restore = _tool("pg_restore")
    url, environment = _libpq(db.engine.url)
    if replace:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
    _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={url}", str(dump)], environment)


def _restore_files(archive: tarfile.TarFile) -> int:
    local = storage.local()
    restored = 0
    for member in archive.getmembers():
        match = _UPLOAD.match(member.name)
        if not match or not member.isfile():
            continue
        name = match.group(1)
        if local.exists(name):
            continue
        with archive.extractfile(member) as stream:
            local.save(stream, name=name)
        restored += 1
    return restored


def _check_files() -> list[str]:
    """Name each attachment whose file is missing or differs from the hash recorded at upload."""
    import hashlib

    problems = []
    for name, sha256 in db.session.execute(select(Attachment.stored_name, Attachment.sha256)):
        try:
            stream = storage.open_file(name)
        except storage.MissingFile:
            problems.append(f"file {name}: missing")
            continue
        digest = hashlib.sha256()
        with stream:
            while chunk := stream.read(storage.CHUNK_SIZE):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            problems.append(f"file {name}: does not match its recorded hash")
    db.session.rollback()
    return problems


def verify_restored():
    """Verify the restored chain, then publish its head as the checkpoint: a restore rewinds
    the database on purpose. The checkpoint of before is kept aside, as `.before-restore`."""
    target = checkpoint_target()
    aside = target.path.with_name(target.path.name + ".before-restore")
    if target.path.exists():
        os.replace(target.path, aside)
    result = verify()
    seq, head_hash = current_head()
    db.session.rollback()
    if result.ok:
        checkpoint.publish(target, seq, head_hash, force=True)
    elif aside.exists():
        os.replace(aside, target.path)  # a chain that does not hold keeps being compared
    return result
