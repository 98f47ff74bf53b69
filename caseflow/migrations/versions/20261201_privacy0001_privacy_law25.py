"""privacy under Law 25: consents, settings, retention, access requests, incidents, and
personal values sealed out of the audit chain

Revision ID: privacy0001
Revises: activities0001
Create Date: 2026-12-01 23:00:00

Existing audit events about a dossier get their personal values sealed (a token in the event,
the value in audit_personal) and the chain is hashed again from the first event, once, with
the audit key: afterwards `audit verify` passes and retention can purge values freely. The
consent flag of existing referrals becomes a consent record ("migrated").
"""
import hashlib
import hmac
import json
import secrets

from alembic import op
import sqlalchemy as sa
from flask import current_app


revision = 'privacy0001'
down_revision = 'activities0001'
branch_labels = None
depends_on = None

# The personal fields of audit events at this revision (caseflow.privacy.PERSONAL_FIELDS).
PERSONAL_FIELDS = {"title", "description", "promoter_name", "contacts", "notes", "name",
                   "request", "body", "note", "interventions"}
WHOLE_FIELDS = {"interventions"}


def upgrade():
    op.create_table('audit_personal',
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_audit_personal'))
    )
    with op.batch_alter_table('audit_personal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_personal_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("purpose IN ('share_contacts', 'share_documents', 'keep_beyond_term')", name=op.f('ck_consent_purpose')),
    sa.CheckConstraint("status IN ('active', 'withdrawn')", name=op.f('ck_consent_status')),
    sa.CheckConstraint("method IN ('written', 'email', 'verbal', 'referral', 'migrated')", name=op.f('ck_consent_method')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_consent_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_consent_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_consent_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_consent_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('privacy_setting',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_privacy_setting'))
    )
    op.create_table('retention_rule',
    sa.Column('outcome', sa.String(length=64), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.CheckConstraint('years >= 0 AND years <= 100', name=op.f('ck_retention_rule_years')),
    sa.PrimaryKeyConstraint('outcome', name=op.f('pk_retention_rule'))
    )
    op.create_table('anonymised_dossier',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_anonymised_dossier_dossier_id_dossier')),
    sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_anonymised_dossier'))
    )
    op.create_table('access_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('requester', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('access', 'portability', 'rectification')", name=op.f('ck_access_request_kind')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_access_request_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_access_request_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_request'))
    )
    op.create_table('confidentiality_incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('information', sa.Text(), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('discovered_on', sa.Date(), nullable=False),
    sa.Column('circumstances', sa.Text(), nullable=False),
    sa.Column('risk_assessment', sa.Text(), nullable=False),
    sa.Column('serious_risk', sa.Boolean(), nullable=False),
    sa.Column('commission_notified_on', sa.Date(), nullable=True),
    sa.Column('people_notified_on', sa.Date(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('people_count >= 0', name=op.f('ck_confidentiality_incident_people_count')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_confidentiality_incident_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidentiality_incident'))
    )
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outgoing_email_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outgoing_email_status'), "status IN ('pending', 'sent', 'failed', 'held')")

    day = "CAST(sent_at AS DATE)" if op.get_bind().dialect.name == "postgresql" \
        else "date(sent_at)"
    op.execute(f"""
        INSERT INTO consent (dossier_id, purpose, organisation_id, status, starts_on, method,
                             recorded_by_id, recorded_at)
        SELECT dossier_id, 'share_contacts', organisation_id, 'active', {day},
               'migrated', sent_by_id, sent_at
        FROM referral WHERE consent_to_share AND state IN ('sent', 'acknowledged', 'accepted',
                                                            'completed')
    """)
    _seal_audit_log()


def _seal(dossier_id, value, rows):
    if value is None or value == "" or value == []:
        return value
    token = "pi:" + secrets.token_hex(16)
    rows.append({"token": token, "dossier_id": dossier_id, "value": value})
    return token


def _canonical(row, changes, reason) -> str:
    fields = {
        "seq": row.seq, "occurred_at": row.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": row.actor_id, "actor_role": row.actor_role,
        "actor_organisation_id": row.actor_organisation_id, "action": row.action,
        "entity_type": row.entity_type, "entity_id": row.entity_id,
        "dossier_id": row.dossier_id, "changes": changes, "reason": reason,
        "request_id": row.request_id,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _seal_audit_log():
    """Seal the personal values of existing events and hash the chain again."""
    bind = op.get_bind()
    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    from caseflow.database import UTCDateTime  # stored UTC times read back as aware datetimes

    events = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                      sa.column("occurred_at", UTCDateTime), sa.column("actor_id", sa.Integer),
                      sa.column("actor_role", sa.String), sa.column("actor_organisation_id",
                                                                    sa.Integer),
                      sa.column("action", sa.String), sa.column("entity_type", sa.String),
                      sa.column("entity_id", sa.Integer), sa.column("dossier_id", sa.Integer),
                      sa.column("changes", sa.JSON), sa.column("reason", sa.Text),
                      sa.column("request_id", sa.String), sa.column("previous_hash", sa.String),
                      sa.column("hash", sa.String))
    personal = sa.table("audit_personal", sa.column("token", sa.String),
                        sa.column("dossier_id", sa.Integer), sa.column("value", sa.JSON))
    rows = bind.execute(sa.select(events).order_by(events.c.seq, events.c.id)).all()
    if not rows:
        return
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
    previous = ""
    for row in rows:
        changes, reason, kept = dict(row.changes or {}), row.reason, []
        if row.dossier_id is not None:
            for name, value in list(changes.items()):
                if name not in PERSONAL_FIELDS:
                    continue
                if isinstance(value, list) and len(value) == 2 and name not in WHOLE_FIELDS:
                    changes[name] = [_seal(row.dossier_id, item, kept) for item in value]
                else:
                    changes[name] = _seal(row.dossier_id, value, kept)
            if reason:
                reason = _seal(row.dossier_id, reason, kept)
        digest = hmac.new(key, (previous + _canonical(row, changes, reason)).encode("utf-8"),
                          hashlib.sha256).hexdigest()
        if kept:
            bind.execute(personal.insert(), kept)
        bind.execute(events.update().where(events.c.id == row.id).values(
            changes=changes, reason=reason, previous_hash=previous, hash=digest))
        previous = digest
    bind.execute(sa.text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
                 {"seq": rows[-1].seq, "hash": previous})
    # The head was hashed again on purpose: the checkpoint kept outside the database follows.
    from caseflow.audit.checkpoint import publish
    from caseflow.audit.services import checkpoint_target

    publish(checkpoint_target(), rows[-1].seq, previous, force=True)
    if postgres:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    else:
        op.execute("""
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END
        """)


def downgrade():
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outgoing_email_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outgoing_email_status'), "status IN ('pending', 'sent', 'failed')")
    op.drop_table('confidentiality_incident')
    op.drop_table('access_request')
    op.drop_table('anonymised_dossier')
    op.drop_table('retention_rule')
    op.drop_table('privacy_setting')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_dossier_id'))
    op.drop_table('consent')
    with op.batch_alter_table('audit_personal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_personal_dossier_id'))
    op.drop_table('audit_personal')
