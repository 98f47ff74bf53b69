"""The intervention subject 'Commercialisation et contrats' on databases seeded before

Revision ID: subjects0001
Revises: perfdesk0001
Create Date: 2026-12-02 04:30:00

A fresh install gets it from caseflow/reference/seed.py; an existing database gets it here,
after its other subjects, unless a subject with that code is already there.
"""
from alembic import op
import sqlalchemy as sa

revision = 'subjects0001'
down_revision = 'perfdesk0001'
branch_labels = None
depends_on = None

CODE = 'commercialisation'
LABEL_FR = 'Commercialisation et contrats'
LABEL_EN = 'Marketing and contracts'


def upgrade():
    bind = op.get_bind()
    if bind.execute(sa.text('SELECT 1 FROM subject WHERE code = :code'),
                    {'code': CODE}).first():
        return
    position = bind.execute(sa.text('SELECT COALESCE(MAX(position), -1) + 1 FROM subject')
                            ).scalar()
    bind.execute(sa.text('INSERT INTO subject (code, label_fr, label_en, position, active) '
                         'VALUES (:code, :fr, :en, :position, :active)'),
                 {'code': CODE, 'fr': LABEL_FR, 'en': LABEL_EN, 'position': position,
                  'active': True})


def downgrade():
    # Only an unused subject goes: interventions filed under it keep it.
    op.execute(sa.text('DELETE FROM subject WHERE code = :code AND id NOT IN '
                       '(SELECT subject_id FROM intervention_subject)').bindparams(code=CODE))
