"""Personal information in audit events: sealed out of the chain, kept in a purgeable table.

An event about a dossier never holds a promoter's name, e-mail, phone or free text in clear:
each such value is replaced by a random token (``pi:`` and 32 hex digits) and the value goes
to `audit_personal`. The chain hashes the token, so deleting a dossier's values under the
retention rules leaves `audit verify` passing; the token tells nothing about the value.
Which fields are personal is declared at start-up by the slice that knows (privacy).
"""

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from caseflow.audit.models import AuditEvent, AuditPersonal
from caseflow.extensions import db

KEY = "caseflow.audit_personal_fields"
WHOLE = "caseflow.audit_personal_whole"
PREFIX = "pi:"
ERASED = _l("[effacé]")


def init_app(app) -> None:
    app.extensions.setdefault(KEY, set())
    app.extensions.setdefault(WHOLE, set())


def declare(app, *fields: str, whole: tuple[str, ...] = ()) -> None:
    """Declare fields of audit events' changes whose values are personal information;
    those in `whole` are sealed as one value (a list of records, not [before, after])."""
    app.extensions.setdefault(KEY, set()).update(fields, whole)
    app.extensions.setdefault(WHOLE, set()).update(whole)


def personal_fields() -> set[str]:
    """Return the fields declared personal."""
    return current_app.extensions.get(KEY, set())


def is_token(value) -> bool:
    """Say whether a recorded value is a sealed token."""
    return isinstance(value, str) and value.startswith(PREFIX) and len(value) == 35


def _seal_value(dossier_id: int, value, rows: list):
    if value is None or value == "" or value == []:
        return value
    token = PREFIX + secrets.token_hex(16)
    rows.append(AuditPersonal(token=token, dossier_id=dossier_id, value=value))
    return token


def seal(dossier_id: int | None, changes: dict, reason: str | None,
         fields: set[str] | None = None, whole: set[str] | None = None
         ) -> tuple[dict, str | None, list]:
    """Return the changes and reason with personal values sealed, and the rows to keep them.

    A field recorded as [before, after] keeps that shape, each side sealed apart, so a
    timeline still reads what changed.
    """
    if dossier_id is None:
        return changes, reason, []
    fields = personal_fields() if fields is None else fields
    whole = current_app.extensions.get(WHOLE, set()) if whole is None else whole
    rows: list = []
    sealed = {}
    for name, value in changes.items():
        if name not in fields or is_token(value):
            sealed[name] = value
        elif isinstance(value, list) and len(value) == 2 and name not in whole:
            sealed[name] = [item if is_token(item) else _seal_value(dossier_id, item, rows)
                            for item in value]
        else:
            sealed[name] = _seal_value(dossier_id, value, rows)
    if reason and not is_token(reason):
        reason = _seal_value(dossier_id, reason, rows)
    return sealed, reason, rows


@dataclass
class ShownEvent:
    """An audit event as a page shows it: its personal values read back, or marked erased."""

    event: AuditEvent
    changes: dict
    reason: str | None

    def __getattr__(self, name):
        return getattr(self.event, name)


def _tokens(value, found: set) -> None:
    if is_token(value):
        found.add(value)
    elif isinstance(value, list):
        for item in value:
            _tokens(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _tokens(item, found)


def _open(value, values: dict):
    if is_token(value):
        return values.get(value, str(ERASED))
    if isinstance(value, list):
        return [_open(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _open(item, values) for key, item in value.items()}
    return value


def reveal(events) -> list[ShownEvent]:
    """Return the events with their sealed values read back (erased ones marked so)."""
    events = list(events)
    found: set = set()
    for event in events:
        _tokens(event.changes, found)
        _tokens(event.reason, found)
    values = {}
    if found:
        rows = db.session.execute(select(AuditPersonal.token, AuditPersonal.value)
                                  .where(AuditPersonal.token.in_(found)))
        values = dict(rows.all())
    return [ShownEvent(event, _open(event.changes, values), _open(event.reason, values))
            for event in events]


def purge(dossier_id: int) -> int:
    """Destroy the personal values the audit log holds for a dossier; return how many."""
    result = db.session.execute(delete(AuditPersonal).where(
        AuditPersonal.dossier_id == dossier_id).execution_options(synchronize_session=False))
    return result.rowcount or 0


def values_of(dossier_id: int) -> list:
    """Return the personal values the audit log still holds for a dossier (for an export)."""
    return list(db.session.scalars(select(AuditPersonal.value)
                                   .where(AuditPersonal.dossier_id == dossier_id)))
