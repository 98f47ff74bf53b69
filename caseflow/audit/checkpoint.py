"""The chain's head published outside the database: a checkpoint file signed with the audit key.

Whoever can rewrite the database can delete the last events and rewind the head row with
them; only something kept elsewhere remembers how long the chain was. After every commit
that appended events, the head (sequence and hash) is written to a small file beside the
audit key, HMAC-signed with that key, and optionally sent to syslog. `audit verify` then
compares the database with the last checkpoint.

The file only ever moves forward: appends are serialised by the head row, so a higher
sequence is a later commit. Several workers or app servers writing the same file take a
lock on it, read what is there and write only a higher head, atomically (temporary file,
fsync, rename). A rolled-back transaction publishes nothing: its events are forgotten with it.
"""

import fcntl
import hashlib
import hmac
import json
import logging
import os
import syslog
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from caseflow.database import utcnow

PENDING = "caseflow.audit_pending"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    """A published head: the last sequence and hash of the chain when it was written."""

    seq: int
    hash: str
    written_at: str
    mac: str

    def line(self) -> str:
        """Return the checkpoint as one JSON line, as it is stored and logged."""
        return json.dumps({"seq": self.seq, "hash": self.hash, "written_at": self.written_at,
                           "mac": self.mac}, sort_keys=True)


@dataclass(frozen=True)
class Target:
    """Where and how a session publishes its head once it commits."""

    path: Path
    key: bytes
    syslog: bool


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted (unreadable or not signed with the key)."""


def _mac(key: bytes, seq: int, head_hash: str, written_at: str) -> str:
    message = f"caseflow-audit-checkpoint\n{seq}\n{head_hash}\n{written_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(key: bytes, seq: int, head_hash: str, written_at: datetime | None = None) -> Checkpoint:
    """Return a checkpoint of a head, signed with the audit key."""
    stamp = (written_at or utcnow()).isoformat(timespec="seconds")
    return Checkpoint(seq, head_hash, stamp, _mac(key, seq, head_hash, stamp))


def read(path: Path, key: bytes) -> Checkpoint | None:
    """Return the checkpoint in the file, None when there is none; raise CheckpointError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CheckpointError(f"cannot read {path} ({error.strerror})") from error
    try:
        data = json.loads(text)
        checkpoint = Checkpoint(int(data["seq"]), str(data["hash"]), str(data["written_at"]),
                                str(data["mac"]))
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path} is not a checkpoint file") from error
    expected = _mac(key, checkpoint.seq, checkpoint.hash, checkpoint.written_at)
    if not hmac.compare_digest(expected, checkpoint.mac):
        raise CheckpointError(f"{path} is not signed with this audit key (edited or forged)")
    return checkpoint


def publish(target: Target, seq: int, head_hash: str, *, force: bool = False) -> Checkpoint:
    """Write the head to the checkpoint file unless it already holds a later one.

    Returns the checkpoint the file holds afterwards. `force` writes even an earlier head
    (after a restore, which rewinds the database on purpose).
    """
    path = Path(target.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = read(path, target.key)
        except CheckpointError:
            current = None  # replaced by a good one; verify reported the bad one already
        if current is not None and current.seq >= seq and not force:
            return current
        checkpoint = sign(target.key, seq, head_hash)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with open(draft, "w", encoding="utf-8") as handle:
            handle.write(checkpoint.line() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(draft, 0o600)
        os.replace(draft, path)
    if target.syslog:
        syslog.syslog(syslog.LOG_INFO, f"caseflow audit head {checkpoint.line()}")
    return checkpoint


def remember(session, target: Target, seq: int, head_hash: str) -> None:
    """Note a head this session appended, to publish once (and only if) it commits."""
    pending = session.info.get(PENDING)
    if pending is None or seq > pending[1]:
        session.info[PENDING] = (target, seq, head_hash)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    target, seq, head_hash = pending
    try:
        publish(target, seq, head_hash)
    except OSError:
        # The change is committed; a checkpoint that could not be written must not undo
        # the answer. The next append writes a later one; verify says what it compared.
        log.exception("audit checkpoint not written to %s", target.path)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, _previous_transaction) -> None:
    # Any rollback, a savepoint's too: a head published late is safe, one never committed is not.
    session.info.pop(PENDING, None)
