"""the report's indexes: interventions by date and dossier, dossiers by workflow

Revision ID: reportidx0001
Revises: notifunread0001
Create Date: 2026-12-02 18:00:00

"""
from alembic import op

revision = 'reportidx0001'
down_revision = 'notifunread0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_intervention_period_dossier', 'intervention',
                    ['occurred_on', 'dossier_id'], unique=False)
    op.create_index('ix_dossier_workflow', 'dossier', ['workflow'], unique=False)


def downgrade():
    op.drop_index('ix_dossier_workflow', table_name='dossier')
    op.drop_index('ix_intervention_period_dossier', table_name='intervention')
