"""Moving stored files between the local folder and the database, checking each file's hash."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from caseflow.documents import storage
from caseflow.documents.models import Attachment
from caseflow.extensions import db


@dataclass
class Transfer:
    """What a move did: files moved, already there, and the problems met (file, reason)."""

    moved: int = 0
    already: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


def _digest(stream) -> str:
    digest = hashlib.sha256()
    with stream:
        while chunk := stream.read(storage.CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def move(target: str, commit: Callable[[], None]) -> Transfer:
    """Move every attachment's file to the `target` storage, one file per transaction.

    A file is copied, read back from its new place and hashed; only when that hash is the
    one recorded at upload is the old copy deleted. A file that does not match stays where
    it was and is reported.
    """
    destination = storage.of_kind(target)
    source = storage.of_kind(storage.LOCAL if target == storage.DATABASE else storage.DATABASE)
    result = Transfer()
    rows = db.session.execute(select(Attachment.stored_name, Attachment.sha256)
                              .order_by(Attachment.id)).all()
    for name, sha256 in rows:
        if destination.exists(name):
            if _digest(destination.open(name)) == sha256:
                source.delete(name)
                commit()
                result.already += 1
                continue
            destination.delete(name)  # a copy that does not match: start again from the source
            commit()
        if not source.exists(name):
            result.problems.append((name, "missing from both storages"))
            continue
        if _digest(source.open(name)) != sha256:
            result.problems.append((name, "its content does not match the hash recorded at "
                                          "upload; left where it is"))
            continue
        with source.open(name) as stream:
            destination.save(stream, name=name)
        commit()
        if _digest(destination.open(name)) != sha256:
            destination.delete(name)
            commit()
            result.problems.append((name, "the copy read back does not match; left where it is"))
            continue
        source.delete(name)
        commit()
        result.moved += 1
    return result
