"""a partial index for the navbar's count of unread notifications

Revision ID: notifunread0001
Revises: bodywords0001
Create Date: 2026-12-02 09:50:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'notifunread0001'
down_revision = 'bodywords0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_notification_unread', 'notification', ['user_id'], unique=False,
                    sqlite_where=sa.text('read_at IS NULL'),
                    postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    op.drop_index('ix_notification_unread', table_name='notification')
