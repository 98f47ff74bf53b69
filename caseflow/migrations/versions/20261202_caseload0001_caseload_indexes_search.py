"""caseload indexes in its default order, and a substring search index

Revision ID: caseload0001
Revises: subjects0001
Create Date: 2026-12-02 03:00:00

The caseload lists dossiers newest change first (updated_at, id), alone, after the advisor
("Mes dossiers") or after the state: one index for each, so a page is read in order from the
index instead of sorting every matching dossier. They replace the single-column indexes on
advisor_id and state, which their first column serves as well.

The search finds a substring of a dossier's reference, title, promoter or a contact's name:
an FTS5 table with the trigram tokenizer on SQLite, kept by triggers; pg_trgm GIN indexes on
PostgreSQL (caseflow/dossiers/search.py).
"""
from alembic import op

revision = 'caseload0001'
down_revision = 'subjects0001'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_dossier_updated': ['updated_at', 'id'],
    'ix_dossier_advisor_updated': ['advisor_id', 'updated_at', 'id'],
    'ix_dossier_state_updated': ['state', 'updated_at', 'id'],
}

# What the SQLite triggers write for one dossier: its contacts' names, one a line.
_CONTACTS = ("(SELECT coalesce(group_concat(name, char(10)), '') FROM promoter_contact "
             "WHERE dossier_id = {dossier})")

SQLITE_UP = [
    "DROP TABLE IF EXISTS dossier_search",
    "CREATE VIRTUAL TABLE dossier_search USING fts5("
    "reference, title, promoter_name, contacts, tokenize = 'trigram')",
    "INSERT INTO dossier_search (rowid, reference, title, promoter_name, contacts) "
    "SELECT d.id, d.reference, d.title, d.promoter_name, " + _CONTACTS.format(dossier="d.id")
    + " FROM dossier d",
    "CREATE TRIGGER dossier_search_insert AFTER INSERT ON dossier BEGIN "
    "INSERT INTO dossier_search (rowid, reference, title, promoter_name, contacts) "
    "VALUES (new.id, new.reference, new.title, new.promoter_name, "
    + _CONTACTS.format(dossier="new.id") + "); END",
    "CREATE TRIGGER dossier_search_update AFTER UPDATE OF reference, title, promoter_name "
    "ON dossier BEGIN UPDATE dossier_search SET reference = new.reference, "
    "title = new.title, promoter_name = new.promoter_name WHERE rowid = new.id; END",
    "CREATE TRIGGER dossier_search_delete AFTER DELETE ON dossier BEGIN "
    "DELETE FROM dossier_search WHERE rowid = old.id; END",
    "CREATE TRIGGER dossier_search_contact_insert AFTER INSERT ON promoter_contact BEGIN "
    "UPDATE dossier_search SET contacts = " + _CONTACTS.format(dossier="new.dossier_id")
    + " WHERE rowid = new.dossier_id; END",
    "CREATE TRIGGER dossier_search_contact_update AFTER UPDATE OF name, dossier_id "
    "ON promoter_contact BEGIN "
    "UPDATE dossier_search SET contacts = " + _CONTACTS.format(dossier="old.dossier_id")
    + " WHERE rowid = old.dossier_id; "
    "UPDATE dossier_search SET contacts = " + _CONTACTS.format(dossier="new.dossier_id")
    + " WHERE rowid = new.dossier_id; END",
    "CREATE TRIGGER dossier_search_contact_delete AFTER DELETE ON promoter_contact BEGIN "
    "UPDATE dossier_search SET contacts = " + _CONTACTS.format(dossier="old.dossier_id")
    + " WHERE rowid = old.dossier_id; END",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS dossier_search_{name}" for name in (
        "insert", "update", "delete", "contact_insert", "contact_update", "contact_delete")),
    "DROP TABLE IF EXISTS dossier_search",
]
TRIGRAM_INDEXES = {
    'dossier_search_reference_trgm': ('dossier', 'reference'),
    'dossier_search_title_trgm': ('dossier', 'title'),
    'dossier_search_promoter_trgm': ('dossier', 'promoter_name'),
    'dossier_search_contact_trgm': ('promoter_contact', 'name'),
}


def upgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_advisor_id')
        batch_op.drop_index('ix_dossier_state')
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_UP:
            op.execute(statement)
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # The extension may live in another schema than caseflow's (one database, several
        # schemas): name its operator class with the schema it was installed in.
        schema = op.get_bind().exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = "
            "e.extnamespace WHERE e.extname = 'pg_trgm'").scalar()
        for name, (table, column) in TRIGRAM_INDEXES.items():
            op.execute(f'CREATE INDEX {name} ON {table} USING gin ({column} "{schema}".gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif op.get_bind().dialect.name == 'postgresql':
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        batch_op.create_index('ix_dossier_state', ['state'], unique=False)
        batch_op.create_index('ix_dossier_advisor_id', ['advisor_id'], unique=False)
