"""files kept in the database, as chunks

Revision ID: versions0001
Revises: a9report0001
Create Date: 2026-12-01 23:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'versions0001'
down_revision = 'a9report0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file_chunk',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'position', name=op.f('pk_stored_file_chunk'))
    )


def downgrade():
    op.drop_table('stored_file_chunk')
