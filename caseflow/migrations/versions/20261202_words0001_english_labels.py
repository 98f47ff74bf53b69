"""English reference labels corrected on databases seeded before; imported referrals' reason

Revision ID: words0001
Revises: api0001
Create Date: 2026-12-02 03:00:00

Only rows still holding the old seeded wording change: a label the coordinator edited stays.
"""
from alembic import op
import sqlalchemy as sa

revision = 'words0001'
down_revision = 'api0001'
branch_labels = None
depends_on = None

LABELS = [
    ("subject", "Réseau express and/or follow-up of financial aid",
     "Express network and/or follow-up on financial aid"),
    ("subject", "Current management", "Day-to-day management"),
]
# The import used to store this French sentence as every imported referral's reason; an
# imported referral now has no reason of its own and the pages name it in the reader's language.
IMPORTED = "Référencement importé"


def _relabel(pairs):
    for table, old, new in pairs:
        op.execute(sa.text(f"UPDATE {table} SET label_en = :new WHERE label_en = :old")
                   .bindparams(old=old, new=new))


def upgrade():
    _relabel(LABELS)
    op.execute(sa.text("UPDATE referral SET reason = '' WHERE reason = :imported")
               .bindparams(imported=IMPORTED))


def downgrade():
    _relabel((table, new, old) for table, old, new in LABELS)
    op.execute(sa.text("UPDATE referral SET reason = :imported WHERE reason = ''")
               .bindparams(imported=IMPORTED))
