"""enterprises' board and team composition; a standing body's plan objective

Revision ID: report15001
Revises: words0001
Create Date: 2026-12-02 03:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'report15001'
down_revision = 'words0001'
branch_labels = None
depends_on = None

# The standing bodies of the 2015-2020 plan and the objective each serves (activities/seed.py).
BODY_OBJECTIVES = {
    'ca-pole': '1.1', 'aga-pole': '1.1', 'protocole-mesi': '1.1', 'eesad': '1.2',
    'table-mrc': '2.1', 'communaute-pratique': '3.1', 'table-entrepreneuriat': '3.2',
    'tiess': '4.1', 'antenne-tiess': '4.1', 'crds': '5.1', 'table-dd': '5.1',
    'poles': '5.1', 'table-pages': '5.1',
}


def upgrade():
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_women', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('board_men', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_women', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_men', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'composition', '(board_women IS NULL OR board_women >= 0) AND '
            '(board_men IS NULL OR board_men >= 0) AND (team_women IS NULL OR team_women >= 0) '
            'AND (team_men IS NULL OR team_men >= 0)')
    with op.batch_alter_table('activity_body', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objective', sa.String(length=20), nullable=True))
    body = sa.table('activity_body', sa.column('code', sa.String), sa.column('objective', sa.String))
    for code, objective in BODY_OBJECTIVES.items():
        op.execute(body.update().where(body.c.code == code).values(objective=objective))


def downgrade():
    # SQLite rebuilds both tables to drop a column; other tables refer to them, so the rebuild
    # runs with foreign keys off (a pragma SQLite honours only outside a transaction, hence
    # first), lest dropping the old table cascade into the links to enterprises.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('activity_body', schema=None) as batch_op:
        batch_op.drop_column('objective')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_constraint('composition', type_='check')
        batch_op.drop_column('team_men')
        batch_op.drop_column('team_women')
        batch_op.drop_column('board_men')
        batch_op.drop_column('board_women')
    if sqlite:
        op.execute('PRAGMA foreign_keys=ON')
