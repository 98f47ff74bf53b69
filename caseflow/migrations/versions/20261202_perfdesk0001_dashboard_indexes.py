"""the dashboard's indexes: open dossiers (per advisor and state, per place, by age), interventions per period and author, waiting referrals

Revision ID: perfdesk0001
Revises: report15001
Create Date: 2026-12-02 03:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'perfdesk0001'
down_revision = 'report15001'
branch_labels = None
depends_on = None


def upgrade():
    open_dossiers = sa.text('outcome IS NULL')
    op.create_index('ix_dossier_open_groups', 'dossier',
                    ['advisor_id', 'state', 'territory_id', 'sector_id', 'opened_on',
                     'next_follow_up', 'state_entered_at', 'outcome'], unique=False,
                    sqlite_where=open_dossiers, postgresql_where=open_dossiers)
    op.create_index('ix_dossier_open_places', 'dossier',
                    ['territory_id', 'sector_id', 'opened_on', 'advisor_id', 'outcome'],
                    unique=False, sqlite_where=open_dossiers, postgresql_where=open_dossiers)
    op.create_index('ix_dossier_open_age', 'dossier', ['state_entered_at', 'id'], unique=False,
                    sqlite_where=open_dossiers, postgresql_where=open_dossiers)
    op.create_index('ix_intervention_period_author', 'intervention',
                    ['occurred_on', 'author_id', 'minutes'], unique=False)
    op.create_index('ix_referral_waiting', 'referral',
                    ['state', 'sent_at', 'organisation_id', 'dossier_id'], unique=False)


def downgrade():
    op.drop_index('ix_referral_waiting', table_name='referral')
    op.drop_index('ix_intervention_period_author', table_name='intervention')
    op.drop_index('ix_dossier_open_age', table_name='dossier')
    op.drop_index('ix_dossier_open_places', table_name='dossier')
    op.drop_index('ix_dossier_open_groups', table_name='dossier')
