"""a body's report wording, edited by the coordinator; its version

Revision ID: bodywords0001
Revises: caseload0001
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'bodywords0001'
down_revision = 'caseload0001'
branch_labels = None
depends_on = None

# The wording the seeded bodies had in code before (activities/seed.py's BODY_WORDING).
WORDING = {
    'ca-pole': {'meeting_qualifier': 'regular'},
    'executif-pole': {'phrase_fr': "de l'exécutif", 'phrase_en': 'of the executive'},
    'tiess-executif': {'phrase_fr': "de l'exécutif", 'phrase_en': 'of the executive'},
    'tiess-ca': {'phrase_fr': "du conseil d'administration",
                 'phrase_en': 'of the board of directors'},
    'crds': {'prints_total': True},
    'semaine-es': {'prints_total': True},
    'concours': {'names_events': True},
    'poles': {'names_events': True},
}


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN on both databases: a rebuild of the table on SQLite would
    # trip over the committees that refer to their body.
    op.add_column('activity_body', sa.Column('meeting_qualifier', sa.String(length=20),
                                             nullable=True))
    op.add_column('activity_body', sa.Column('phrase_fr', sa.String(length=120),
                                             server_default='', nullable=False))
    op.add_column('activity_body', sa.Column('phrase_en', sa.String(length=120),
                                             server_default='', nullable=False))
    op.add_column('activity_body', sa.Column('prints_total', sa.Boolean(),
                                             server_default=sa.false(), nullable=False))
    op.add_column('activity_body', sa.Column('names_events', sa.Boolean(),
                                             server_default=sa.false(), nullable=False))
    op.add_column('activity_body', sa.Column('version', sa.Integer(), server_default='1',
                                             nullable=False))
    body = sa.table('activity_body', sa.column('code', sa.String),
                    sa.column('meeting_qualifier', sa.String), sa.column('phrase_fr', sa.String),
                    sa.column('phrase_en', sa.String), sa.column('prints_total', sa.Boolean),
                    sa.column('names_events', sa.Boolean))
    for code, values in WORDING.items():
        op.execute(body.update().where(body.c.code == code).values(**values))
    # The network's label as the hub's report writes it, unless the coordinator changed it.
    labels = sa.table('activity_body', sa.column('code', sa.String),
                      sa.column('label_fr', sa.String), sa.column('label_en', sa.String))
    op.execute(labels.update().where(labels.c.code == 'poles').where(
        labels.c.label_fr == "Réseau des Pôles d'économie sociale").values(
        label_fr="Pôles de l'économie sociale", label_en='Social economy hubs'))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later have it): no table rebuild, so
    # the activities that refer to a body are left alone.
    for column in ('version', 'names_events', 'prints_total', 'phrase_en', 'phrase_fr',
                   'meeting_qualifier'):
        op.execute(f'ALTER TABLE activity_body DROP COLUMN {column}')
