"""Appending to the audit log, and walking its hash chain to prove nobody rewrote it."""

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app, g, has_request_context
from sqlalchemy import select, update

from caseflow.audit import checkpoint
from caseflow.audit.models import AuditEvent, AuditHead
from caseflow.audit.personal import seal
from caseflow.database import utcnow
from caseflow.extensions import db

SYSTEM_ROLE = "system"


def jsonable(value):
    """Return a value as plain JSON types, so what is stored is exactly what was hashed."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(item) for item in value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    code = getattr(value, "code", None)
    if isinstance(code, str):  # reference list items and organisations are recorded by code
        return code
    return str(value)


def _canonical(event: AuditEvent) -> str:
    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "actor_organisation_id": event.actor_organisation_id,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "dossier_id": event.dossier_id,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(key: bytes, previous_hash: str, event: AuditEvent) -> str:
    """Return HMAC-SHA256(key, previous hash + canonical JSON of the event)."""
    message = (previous_hash + _canonical(event)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _key() -> bytes:
    return current_app.config["AUDIT_KEY"].encode("utf-8")


def checkpoint_target(app=None) -> checkpoint.Target:
    """Return where the app publishes the chain's head: the checkpoint file, and syslog or not."""
    app = app or current_app
    configured = app.config.get("AUDIT_CHECKPOINT")
    path = Path(configured) if configured else Path(app.instance_path) / "audit_checkpoint"
    return checkpoint.Target(path, app.config["AUDIT_KEY"].encode("utf-8"),
                             bool(app.config.get("AUDIT_SYSLOG")))


def _request_id() -> str:
    if has_request_context() and "request_id" in g:
        return g.request_id
    if "cli_request_id" not in g:
        g.cli_request_id = "cli-" + uuid.uuid4().hex[:24]
    return g.cli_request_id


def record(action: str, entity_type: str, entity_id: int | None, *, actor=None,
           dossier_id: int | None = None, changes: dict | None = None,
           reason: str | None = None) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (never commits).

    Nothing is flushed here: the change and its event reach the database together, which
    lets the dossier's integrity check see both in the same flush.
    """
    session = db.session
    changes, reason, personal = seal(dossier_id, jsonable(changes or {}), reason)
    with session.no_autoflush:
        head = session.execute(
            update(AuditHead).where(AuditHead.id == 1)
            .values(seq=AuditHead.seq + 1)
            .returning(AuditHead.seq, AuditHead.hash)
            .execution_options(synchronize_session=False)).one_or_none()
        if head is None:  # a database created before the head row existed
            session.add(AuditHead(id=1, seq=1, hash=""))
            session.flush()
            seq, previous_hash = 1, ""
        else:
            seq, previous_hash = head
        event = AuditEvent(
            seq=seq,
            occurred_at=utcnow(),
            actor_id=actor.id if actor is not None else None,
            actor_role=actor.role if actor is not None else SYSTEM_ROLE,
            actor_organisation_id=actor.organisation_id if actor is not None else None,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            dossier_id=dossier_id,
            changes=changes,
            reason=reason,
            request_id=_request_id(),
            previous_hash=previous_hash,
        )
        event.hash = chain_hash(_key(), previous_hash, event)
        session.add(event)
        session.add_all(personal)
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=event.hash)
                        .execution_options(synchronize_session=False))
    checkpoint.remember(session, checkpoint_target(), seq, event.hash)
    return event


@dataclass(frozen=True)
class Verification:
    """The outcome of walking the chain and comparing it with the last checkpoint."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    anchor: checkpoint.Checkpoint | None = None  # the checkpoint compared with
    note: str | None = None  # something the operator should know although the chain holds


#: The columns the chain hashes, in the order `verify` reads them, with the head row's
#: sequence and hash read by the same statement (one snapshot, whatever the isolation level).
_HEAD_SEQ = select(AuditHead.seq).where(AuditHead.id == 1).scalar_subquery()
_HEAD_HASH = select(AuditHead.hash).where(AuditHead.id == 1).scalar_subquery()
STREAM_BATCH = 5_000


def _walk_statement():
    return (select(AuditEvent.seq, AuditEvent.occurred_at, AuditEvent.actor_id,
                   AuditEvent.actor_role, AuditEvent.actor_organisation_id, AuditEvent.action,
                   AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.dossier_id,
                   AuditEvent.changes, AuditEvent.reason, AuditEvent.request_id,
                   AuditEvent.previous_hash, AuditEvent.hash,
                   _HEAD_SEQ.label("head_seq"), _HEAD_HASH.label("head_hash"))
            .order_by(AuditEvent.seq, AuditEvent.id))


def verify() -> Verification:
    """Walk the chain in sequence order and name the first event that does not hold, then
    compare its end with the head row and with the checkpoint published outside the database.

    The checkpoint (written after commit) is read first; the head row and the events are then
    read by one statement, so in one snapshot: appends committed meanwhile are either wholly
    seen or wholly unseen and never look like tampering. On PostgreSQL the walk also runs in
    a REPEATABLE READ transaction of its own when the session has none under way (ended when
    the walk ends). Events are streamed in batches, never all held in memory.
    """
    own = not db.session().in_transaction()
    options = {"isolation_level": "REPEATABLE READ"} \
        if own and db.engine.dialect.name == "postgresql" else None
    key = _key()
    target = checkpoint_target()
    refused = None
    try:
        published = checkpoint.read(target.path, key)
    except checkpoint.CheckpointError as error:
        published, refused = None, f"checkpoint refused: {error}"
    connection = db.session.connection(execution_options=options) if options \
        else db.session.connection()
    try:
        return _walk(connection, key, target, published, refused)
    finally:
        if own:
            db.session.rollback()  # verify only read: end the snapshot it opened


def _walk(connection, key: bytes, target, published, refused) -> Verification:
    expected_seq, previous_hash, checked = 1, "", 0
    hashes = {}  # the hash at the sequences the head and the checkpoint name
    head = None
    wanted = {published.seq if published else 0}
    digest, dumps, compare = hmac.digest, json.dumps, hmac.compare_digest
    result = connection.execute(_walk_statement(),
                                execution_options={"yield_per": STREAM_BATCH})
    try:
        for row in result:
            (seq, occurred_at, actor_id, actor_role, organisation_id, action, entity_type,
             entity_id, dossier_id, changes, reason, request_id, stored_previous, stored_hash,
             head_seq, head_hash) = row
            if head is None:
                head = (head_seq, head_hash) if head_seq is not None else False
                if head:
                    wanted.add(head_seq)
            if seq != expected_seq:
                problem = ("missing (deleted or reordered)" if seq > expected_seq
                           else "duplicated or reordered")
                return Verification(False, checked, expected_seq, problem, published)
            if stored_previous != previous_hash:
                return Verification(False, checked, seq, "previous hash does not match",
                                    published)
            canonical = dumps({
                "seq": seq, "occurred_at": occurred_at.isoformat(timespec="microseconds"),
                "actor_id": actor_id, "actor_role": actor_role,
                "actor_organisation_id": organisation_id, "action": action,
                "entity_type": entity_type, "entity_id": entity_id, "dossier_id": dossier_id,
                "changes": changes, "reason": reason, "request_id": request_id,
            }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            computed = digest(key, (previous_hash + canonical).encode("utf-8"),
                              "sha256").hex()
            if not compare(stored_hash, computed):
                return Verification(False, checked, seq, "edited (hash does not match)",
                                    published)
            if seq in wanted:
                hashes[seq] = stored_hash
            previous_hash, expected_seq, checked = stored_hash, expected_seq + 1, checked + 1
    finally:
        result.close()
    if head is None:  # no event at all: the head row alone, in the same transaction
        found = connection.execute(select(AuditHead.seq, AuditHead.hash)
                                   .where(AuditHead.id == 1)).one_or_none()
        head = (found.seq, found.hash) if found else False
    hashes[0] = ""
    if refused:  # the chain holds; what the checkpoint says cannot be trusted
        return Verification(False, checked, None, refused)
    if published is not None:
        if published.seq > checked:
            problem = (f"log emptied: the checkpoint of {published.written_at} records "
                       f"{published.seq} events and the database holds none" if checked == 0
                       else f"truncated: the checkpoint of {published.written_at} records "
                       f"{published.seq} events and the chain ends at {checked} "
                       f"(the last {published.seq - checked} deleted)")
            return Verification(False, checked, checked + 1, problem, published)
        if hashes.get(published.seq) != published.hash:
            return Verification(False, checked, published.seq,
                                "rewritten: the event does not match the checkpoint", published)
    if not head:
        if checked or published is not None:
            return Verification(False, checked, checked + 1,
                                "the chain's head row is missing (deleted)", published)
    elif head[0] > checked:
        return Verification(False, checked, checked + 1,
                            "missing at the end of the chain (deleted)", published)
    elif hashes.get(head[0]) != head[1]:
        return Verification(False, checked, head[0],
                            "the chain's head row does not match its event (rewound or edited)",
                            published)
    note = None
    if published is None and checked:
        note = (f"no checkpoint at {target.path} yet: the next change writes one "
                "(or run `caseflow audit checkpoint`)")
    return Verification(True, checked, anchor=published, note=note)


def current_head() -> tuple[int, str]:
    """Return the chain's head as the database holds it: (sequence, hash)."""
    head = db.session.execute(select(AuditHead.seq, AuditHead.hash)
                              .where(AuditHead.id == 1)).one_or_none()
    return (head.seq, head.hash) if head else (0, "")
