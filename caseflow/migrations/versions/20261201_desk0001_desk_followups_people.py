"""desk: saved filters, audit checks, one-time password links, follow-up notes, digest opt-out

Revision ID: desk0001
Revises: versions0001
Create Date: 2026-12-01 23:15:00

"""
from alembic import op
import sqlalchemy as sa



revision = 'desk0001'
down_revision = 'versions0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_filter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_saved_filter_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filter')),
    sa.UniqueConstraint('user_id', 'list_name', 'name', name=op.f('uq_saved_filter_user_id'))
    )
    op.create_index(op.f('ix_saved_filter_user_id'), 'saved_filter', ['user_id'], unique=False)
    op.create_table('audit_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('first_bad_seq', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['started_by_id'], ['user_account.id'], name=op.f('fk_audit_check_started_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_check'))
    )
    op.create_table('password_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_password_link_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_link_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_password_link_token_digest'))
    )
    op.create_index(op.f('ix_password_link_user_id'), 'password_link', ['user_id'], unique=False)
    with op.batch_alter_table('dossier') as batch_op:
        batch_op.add_column(sa.Column('follow_up_note', sa.String(length=300), nullable=True))
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.add_column(sa.Column('digest_enabled', sa.Boolean(), server_default=sa.true(), nullable=False))
    # The audit viewer filters by action, organisation and date, newest first (keyset on seq).
    op.create_index('ix_audit_event_action_seq', 'audit_event', ['action', 'seq'], unique=False)
    op.create_index('ix_audit_event_occurred_at', 'audit_event', ['occurred_at'], unique=False)
    op.create_index('ix_audit_event_actor_organisation_id', 'audit_event', ['actor_organisation_id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_event_actor_organisation_id', table_name='audit_event')
    op.drop_index('ix_audit_event_occurred_at', table_name='audit_event')
    op.drop_index('ix_audit_event_action_seq', table_name='audit_event')
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.drop_column('digest_enabled')
    with op.batch_alter_table('dossier') as batch_op:
        batch_op.drop_column('follow_up_note')
    op.drop_index(op.f('ix_password_link_user_id'), table_name='password_link')
    op.drop_table('password_link')
    op.drop_table('audit_check')
    op.drop_index(op.f('ix_saved_filter_user_id'), table_name='saved_filter')
    op.drop_table('saved_filter')
