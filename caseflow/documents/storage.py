"""Where uploaded files are kept: a local folder, or the database itself.

The local folder (`instance/uploads`) is the embedded default. With several app servers on
one PostgreSQL database, `FILE_STORAGE = "database"` keeps each file in the database as
chunks of a table, so a file uploaded through one server downloads through every other, and
a database backup holds the files too. Both are used the same way: `save` a stream under a
generated name, `open` it to read it back, `delete` it. Neither ever holds a whole file in
memory: chunks are written and read one at a time.

A file is looked up in the configured storage first, then in the other one, so files keep
downloading while `caseflow files migrate` moves them from one to the other.
"""

import hashlib
import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import LargeBinary, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db

LOCAL, DATABASE = "local", "database"
KINDS = (LOCAL, DATABASE)
CHUNK_SIZE = 256 * 1024
_NAME = re.compile(r"[0-9a-f]{32}\Z")


class StoredChunk(db.Model):
    """One piece of a file kept in the database, in order."""

    __tablename__ = "stored_file_chunk"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class Stored:
    """A file as it was kept: its generated name, size and SHA-256."""

    name: str
    size: int
    sha256: str


class Storage(Protocol):
    kind: str

    def save(self, stream: BinaryIO, name: str | None = None) -> Stored: ...
    def open(self, name: str) -> BinaryIO: ...
    def exists(self, name: str) -> bool: ...
    def delete(self, name: str) -> None: ...


class MissingFile(LookupError):
    """No storage holds a file of this name."""


def new_name() -> str:
    """Return a fresh stored name: ours, never the uploader's."""
    return secrets.token_hex(16)


def check_name(name: str) -> str:
    """Refuse anything but a name this module generated."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise MissingFile(name)
    return name


def _chunks(stream: BinaryIO):
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


class LocalStorage:
    """Files under a folder, two hex digits of fan-out, written once and never overwritten."""

    kind = LOCAL

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, name: str) -> Path:
        name = check_name(name)
        return self.folder / name[:2] / name

    def save(self, stream: BinaryIO, name: str | None = None) -> Stored:
        name = name or new_name()
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        draft = path.with_name(f".{name}.{os.getpid()}")
        try:
            with open(draft, "xb") as handle:
                for chunk in _chunks(stream):
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(draft, path)  # refuses to replace a file of the same name
        finally:
            draft.unlink(missing_ok=True)
        return Stored(name, size, digest.hexdigest())

    def open(self, name: str) -> BinaryIO:
        try:
            return open(self.path(name), "rb")
        except (FileNotFoundError, NotADirectoryError):
            raise MissingFile(name) from None

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)


class DatabaseStorage:
    """Files as rows of chunks, written in the caller's transaction (so a rollback drops them
    with the change they belong to) and read back one chunk per query."""

    kind = DATABASE

    def save(self, stream: BinaryIO, name: str | None = None) -> Stored:
        name = check_name(name or new_name())
        digest, size, position = hashlib.sha256(), 0, 0
        for chunk in _chunks(stream):
            db.session.execute(insert(StoredChunk).values(name=name, position=position,
                                                          data=chunk))
            digest.update(chunk)
            size += len(chunk)
            position += 1
        if position == 0:  # an empty file still exists
            db.session.execute(insert(StoredChunk).values(name=name, position=0, data=b""))
        return Stored(name, size, digest.hexdigest())

    def open(self, name: str) -> BinaryIO:
        check_name(name)
        if not self.exists(name):
            raise MissingFile(name)
        return io.BufferedReader(_ChunkReader(name), CHUNK_SIZE)

    def exists(self, name: str) -> bool:
        check_name(name)
        return db.session.scalar(select(func.count()).select_from(StoredChunk)
                                 .where(StoredChunk.name == name)) > 0

    def delete(self, name: str) -> None:
        db.session.execute(delete(StoredChunk).where(StoredChunk.name == check_name(name)))


class _ChunkReader(io.RawIOBase):
    """A file kept in the database, read one chunk at a time on a connection of its own
    (a download is sent after the request's transaction has ended)."""

    def __init__(self, name: str):
        self.name_ = name
        self.position = 0
        self.pending = b""
        self.connection = db.engine.connect()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            if self.connection is None:
                return 0
            chunk = self.connection.scalar(select(StoredChunk.data).where(
                StoredChunk.name == self.name_, StoredChunk.position == self.position))
            if chunk is None:
                self._release()
                return 0
            self.pending, self.position = bytes(chunk), self.position + 1
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def _release(self) -> None:
        if self.connection is not None:
            self.connection.rollback()
            self.connection.close()
            self.connection = None

    def close(self) -> None:
        self._release()
        super().close()


def local(app=None) -> LocalStorage:
    """Return the local folder storage (UPLOAD_FOLDER, or instance/uploads)."""
    app = app or current_app
    configured = app.config.get("UPLOAD_FOLDER")
    return LocalStorage(Path(configured) if configured else Path(app.instance_path) / "uploads")


def of_kind(kind: str, app=None) -> Storage:
    """Return the storage of a kind: "local" or "database"."""
    if kind == LOCAL:
        return local(app)
    if kind == DATABASE:
        return DatabaseStorage()
    raise ValueError(f"unknown file storage {kind!r} (expected one of: {', '.join(KINDS)})")


def configured(app=None) -> Storage:
    """Return the storage new files go to, as FILE_STORAGE says."""
    app = app or current_app
    return of_kind(app.config.get("FILE_STORAGE") or LOCAL, app)


def open_file(name: str) -> BinaryIO:
    """Open a stored file wherever it is: the configured storage first, then the other one."""
    primary = configured()
    for storage in (primary, of_kind(DATABASE if primary.kind == LOCAL else LOCAL)):
        try:
            return storage.open(name)
        except MissingFile:
            continue
    raise MissingFile(name)


def delete_file(name: str) -> None:
    """Delete a stored file from both storages (retention, or a move's source)."""
    for kind in KINDS:
        of_kind(kind).delete(name)
