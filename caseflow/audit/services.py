"""Appending to the audit log, and walking its hash chain to prove nobody rewrote it."""

import hashlib
import hmac
import json
import multiprocessing
import re
import uuid
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from types import SimpleNamespace

from flask import current_app, g, has_request_context
from sqlalchemy import String, Text, cast, insert, select, type_coerce, update

from caseflow.audit import checkpoint
from caseflow.audit.models import AuditEvent, AuditHead, AuditPersonal
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
class Entry:
    """One event of a batch `record_many` appends."""

    action: str
    entity_type: str
    entity_id: int | None
    dossier_id: int | None = None
    changes: dict | None = None
    reason: str | None = None


def record_many(entries: list[Entry], *, actor=None) -> None:
    """Append many events to the chain in their order, in the caller's transaction: one
    statement reserves their sequence numbers, one inserts them (an import's thousands).

    The events are written at once, not left for the next flush: a batch never carries a
    dossier's change of state (the flush's check looks for those among pending objects)."""
    if not entries:
        return
    session = db.session
    with session.no_autoflush:
        head = session.execute(
            update(AuditHead).where(AuditHead.id == 1)
            .values(seq=AuditHead.seq + len(entries))
            .returning(AuditHead.seq, AuditHead.hash)
            .execution_options(synchronize_session=False)).one_or_none()
    if head is None:  # a database created before the head row existed
        for entry in entries:
            record(entry.action, entry.entity_type, entry.entity_id, actor=actor,
                   dossier_id=entry.dossier_id, changes=entry.changes, reason=entry.reason)
        return
    last, previous_hash = head
    seq, key, request_id, now = last - len(entries), _key(), _request_id(), utcnow()
    who = {"actor_id": actor.id if actor is not None else None,
           "actor_role": actor.role if actor is not None else SYSTEM_ROLE,
           "actor_organisation_id": actor.organisation_id if actor is not None else None}
    events, personal = [], []
    for entry in entries:
        seq += 1
        changes, reason, sealed = seal(entry.dossier_id, jsonable(entry.changes or {}),
                                       entry.reason)
        personal.extend({"token": row.token, "dossier_id": row.dossier_id, "value": row.value}
                        for row in sealed)
        values = {"seq": seq, "occurred_at": now, **who, "action": entry.action,
                  "entity_type": entry.entity_type, "entity_id": entry.entity_id,
                  "dossier_id": entry.dossier_id, "changes": changes, "reason": reason,
                  "request_id": request_id, "previous_hash": previous_hash}
        values["hash"] = previous_hash = chain_hash(key, previous_hash, SimpleNamespace(**values))
        events.append(values)
    with session.no_autoflush:
        session.execute(insert(AuditEvent), events)
        if personal:
            session.execute(insert(AuditPersonal), personal)
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=previous_hash)
                        .execution_options(synchronize_session=False))
    checkpoint.remember(session, checkpoint_target(), seq, previous_hash)


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


def _walk_statement(sqlite: bool):
    """The walk's statement. The changes are read as text (parsed by whoever checks the hash,
    a worker process when there are some); on SQLite the timestamp too, as it is stored."""
    occurred_at, changes = AuditEvent.occurred_at, cast(AuditEvent.changes, Text)
    if sqlite:
        occurred_at, changes = type_coerce(occurred_at, String), type_coerce(changes, String)
    return (select(AuditEvent.seq, occurred_at, AuditEvent.actor_id,
                   AuditEvent.actor_role, AuditEvent.actor_organisation_id, AuditEvent.action,
                   AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.dossier_id,
                   changes, AuditEvent.reason, AuditEvent.request_id,
                   AuditEvent.previous_hash, AuditEvent.hash,
                   _HEAD_SEQ.label("head_seq"), _HEAD_HASH.label("head_hash"))
            .order_by(AuditEvent.seq, AuditEvent.id))


_CHANGES = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_NAIVE_UTC = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def _text(value) -> str:
    return "null" if value is None else encode_basestring(value)


def _number(value) -> str:
    return "null" if value is None else str(value)


def _fast_canonical(seq, occurred_at: str, actor_id, actor_role, organisation_id, action,
                    entity_type, entity_id, dossier_id, changes, reason, request_id) -> str:
    """The canonical JSON `_canonical` writes, put together field by field (the keys in
    their sorted order) with only the changes going through the encoder. A hash that does
    not match this way is checked again the reference way before anything is reported."""
    return (f'{{"action":{_text(action)},"actor_id":{_number(actor_id)},'
            f'"actor_organisation_id":{_number(organisation_id)},'
            f'"actor_role":{_text(actor_role)},"changes":{_CHANGES(changes)},'
            f'"dossier_id":{_number(dossier_id)},"entity_id":{_number(entity_id)},'
            f'"entity_type":{_text(entity_type)},"occurred_at":"{occurred_at}",'
            f'"reason":{_text(reason)},"request_id":{_text(request_id)},"seq":{seq}}}')


def _moment(value) -> datetime:
    """A timestamp as the model reads it back: aware, in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def verify(workers: int = 1) -> Verification:
    """Walk the chain in sequence order and name the first event that does not hold, then
    compare its end with the head row and with the checkpoint published outside the database.

    The checkpoint (written after commit) is read first; the head row and the events are then
    read by one statement, so in one snapshot: appends committed meanwhile are either wholly
    seen or wholly unseen and never look like tampering. On PostgreSQL the walk also runs in
    a REPEATABLE READ transaction of its own when the session has none under way (ended when
    the walk ends). Events are streamed in batches, never all held in memory; with `workers`
    > 1 their hashes are checked by that many processes (the command line does).
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
        return _walk(connection, key, target, published, refused, workers)
    finally:
        if own:
            db.session.rollback()  # verify only read: end the snapshot it opened


def _stream(connection, sqlite: bool):
    """Yield the walk's rows as the driver reads them, a batch at a time, in the connection's
    transaction (a server-side cursor on PostgreSQL: the log is never all in memory)."""
    compiled = _walk_statement(sqlite).compile(dialect=connection.dialect,
                                            compile_kwargs={"literal_binds": True})
    driver = connection.connection.dbapi_connection
    cursor = driver.cursor(name="caseflow_audit_walk") \
        if connection.dialect.name == "postgresql" else driver.cursor()
    try:
        cursor.execute(str(compiled))
        while batch := cursor.fetchmany(STREAM_BATCH):
            yield from batch
    finally:
        cursor.close()


def _holds(key: bytes, row) -> bool:
    """Say whether one walked row's hash is the HMAC of its previous hash and its fields."""
    (seq, occurred_at, actor_id, actor_role, organisation_id, action, entity_type, entity_id,
     dossier_id, changes, reason, request_id, previous_hash, stored_hash, *_head) = row
    if isinstance(changes, str):
        changes = json.loads(changes)
    if isinstance(occurred_at, str) and _NAIVE_UTC.fullmatch(occurred_at):
        moment = occurred_at.replace(" ", "T") + "+00:00"  # SQLite's text, stored in UTC
    else:
        moment = _moment(occurred_at).isoformat(timespec="microseconds")
    computed = hmac.digest(key, (previous_hash + _fast_canonical(
        seq, moment, actor_id, actor_role, organisation_id, action, entity_type, entity_id,
        dossier_id, changes, reason, request_id)).encode("utf-8"), "sha256").hex()
    if hmac.compare_digest(stored_hash, computed):
        return True
    return hmac.compare_digest(stored_hash, chain_hash(key, previous_hash, SimpleNamespace(
        seq=seq, occurred_at=_moment(occurred_at), actor_id=actor_id, actor_role=actor_role,
        actor_organisation_id=organisation_id, action=action, entity_type=entity_type,
        entity_id=entity_id, dossier_id=dossier_id, changes=changes, reason=reason,
        request_id=request_id)))


_WORKER_KEY = b""


def _start_worker(key: bytes) -> None:
    global _WORKER_KEY
    _WORKER_KEY = key


def _first_broken(rows, key: bytes | None = None) -> int | None:
    """Return the index of the first row of a batch whose hash does not hold, or None."""
    key = key if key is not None else _WORKER_KEY
    for index, row in enumerate(rows):
        if not _holds(key, row):
            return index
    return None


def _walk(connection, key: bytes, target, published, refused, workers: int = 1,
          batch_size: int = STREAM_BATCH) -> Verification:
    """Walk the chain: sequence and links in order here; the hashes, batch by batch, here or
    (with `workers` > 1) in worker processes, a few batches ahead at most."""
    expected_seq, previous_hash, checked = 1, "", 0
    hashes = {}  # the hash at the sequences the head and the checkpoint name
    head = None
    wanted = {published.seq if published else 0}
    rows = _stream(connection, connection.dialect.name == "sqlite")
    pool = None
    pending: deque = deque()  # (batch's first row as counted, its rows, its answer)
    batch: list = []

    def send():
        nonlocal pool, batch
        if not batch:
            return
        if workers > 1 and pool is None:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                       initargs=(key,),
                                       mp_context=multiprocessing.get_context("fork"))
        answer = pool.submit(_first_broken, batch) if pool else _first_broken(batch, key)
        pending.append((checked - len(batch), batch, answer))
        batch = []

    def settle(keep: int) -> Verification | None:
        while len(pending) > keep:
            first, sent, answer = pending.popleft()
            index = answer.result() if isinstance(answer, Future) else answer
            if index is not None:
                return Verification(False, first + index, sent[index][0],
                                    "edited (hash does not match)", published)
        return None

    try:
        for row in rows:
            seq, stored_previous, stored_hash, head_seq, head_hash = \
                row[0], row[12], row[13], row[14], row[15]
            if head is None:
                head = (head_seq, head_hash) if head_seq is not None else False
                if head:
                    wanted.add(head_seq)
            problem = None
            if seq != expected_seq:
                problem = (expected_seq, "missing (deleted or reordered)" if seq > expected_seq
                           else "duplicated or reordered")
            elif stored_previous != previous_hash:
                problem = (seq, "previous hash does not match")
            if problem:  # an earlier event whose hash does not hold is named first
                send()
                return settle(0) or Verification(False, checked, *problem, published)
            batch.append(row)
            if seq in wanted:
                hashes[seq] = stored_hash
            previous_hash, expected_seq, checked = stored_hash, expected_seq + 1, checked + 1
            if len(batch) >= batch_size:
                send()
                broken = settle(2 * workers if pool else 0)
                if broken:
                    return broken
        send()
        broken = settle(0)
        if broken:
            return broken
    finally:
        rows.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
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


def record_edit(entity, fields, names, action: str, entity_type: str, *, actor) -> dict:
    """Copy the named fields onto a versioned record (text stripped), and when any changed,
    bump its version and record `action` with the changes; return them."""
    changes = {}
    for name in names:
        value = getattr(fields, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(entity, name) != value:
            changes[name] = [getattr(entity, name), value]
            setattr(entity, name, value)
    if changes:
        entity.version += 1
        db.session.flush()
        record(action, entity_type, entity.id, actor=actor, changes=changes)
    return changes
