"""Finding dossiers by a piece of their reference, title, promoter or a contact's name.

The caseload's search is a substring match, case-insensitive. A plain `LIKE '%...%'` reads
every dossier and every contact; at 100 000 dossiers that is the slowest thing the caseload
does. So each database keeps an index made for substrings, written by the migration
`caseload0001` and kept up to date by the database itself:

- SQLite: `dossier_search`, an FTS5 table with the trigram tokenizer (one row per dossier,
  rowid = dossier id; its contacts' names in one column), filled by triggers on `dossier`
  and `promoter_contact`. A phrase query of the text is exactly a substring match.
- PostgreSQL: pg_trgm GIN indexes on the three columns of `dossier` and on
  `promoter_contact.name`, which serve `ILIKE '%...%'` directly.

A migration that rebuilds `dossier` or `promoter_contact` on SQLite (a batch "move and copy")
drops the triggers with the old table: it must create them again.

A trigram index cannot serve fewer than three characters: such a search reads the rows in the
list's order and stops at the first page, as before.
"""

from sqlalchemy import Integer, exists, or_, select, text, union, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import column, table

from caseflow.dossiers.models import Dossier, PromoterContact
from caseflow.extensions import db

# Every database object of the search index is named with this prefix; they are written by
# the migration alone, not by the models (tests/test_cli.py compares the rest).
PREFIX = "dossier_search"
SHORTEST = 3  # a trigram index needs at least three characters

_index = table("dossier_search", column("rowid", Integer))


def is_search_object(name: str | None) -> bool:
    """Say whether a table or index belongs to the search index (not to the models)."""
    return bool(name) and name.startswith(PREFIX)


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phrase(q: str) -> str | None:
    """Return the FTS5 phrase of the search text, when SQLite's index serves it."""
    wanted = q.strip()
    if len(wanted) < SHORTEST or db.session.get_bind().dialect.name != "sqlite":
        return None
    return '"' + wanted.replace('"', '""') + '"'


def _indexed(phrase: str):
    return select(_index.c.rowid).where(
        text("dossier_search MATCH :search_phrase").bindparams(search_phrase=phrase))


def _patterns(wanted: str):
    pattern = f"%{_escape_like(wanted.lower())}%"

    def like(column):
        return column.ilike(pattern, escape="\\")
    return like


def _trigram(wanted: str) -> bool:
    return len(wanted) >= SHORTEST and db.session.get_bind().dialect.name == "postgresql"


def matching(q: str, *, many: bool = False):
    """Return the SQL condition on Dossier that it matches the search text `q`.

    `many`: the search matches many dossiers (more than a page's count shows). The list's
    own index is then read in its order, keeping the matching dossiers until the page is
    full, rather than looking every match up and sorting them all: on SQLite "+ 0" keeps the
    id's index out; on PostgreSQL the plain condition lets the planner read in order."""
    wanted = q.strip()
    phrase = _phrase(wanted)
    if phrase is not None:
        return (Dossier.id + 0 if many else Dossier.id).in_(_indexed(phrase))
    like = _patterns(wanted)
    if _trigram(wanted) and not many:
        # Each branch is one indexed lookup; an OR across the two tables would read them all.
        found = aliased(Dossier)
        return Dossier.id.in_(union(
            select(found.id).where(or_(like(found.reference), like(found.title),
                                       like(found.promoter_name))),
            select(PromoterContact.dossier_id).where(like(PromoterContact.name))))
    contact = exists().where(PromoterContact.dossier_id == Dossier.id,
                             like(PromoterContact.name))
    return or_(like(Dossier.reference), like(Dossier.title), like(Dossier.promoter_name),
               contact)


def counted(q: str, where: list, cap: int):
    """Return the SELECT of at most `cap` + 1 ids of the dossiers matching the search and
    the other conditions `where`: what the list counts."""
    wanted = q.strip()
    phrase = _phrase(wanted)
    if phrase is not None and not where:
        # The search alone: SQLite's index yields its matches one by one and stops at the cap.
        return _indexed(phrase).limit(cap + 1)
    if _trigram(wanted):
        # Two indexed branches that never name a dossier twice, read until the cap: a UNION
        # would first gather every match to remove the doubles.
        like = _patterns(wanted)
        own = or_(like(Dossier.reference), like(Dossier.title), like(Dossier.promoter_name))
        by_contact = select(Dossier.id).where(
            Dossier.id.in_(select(PromoterContact.dossier_id)
                           .where(like(PromoterContact.name))), ~own, *where)
        return union_all(select(Dossier.id).where(own, *where), by_contact).limit(cap + 1)
    return select(Dossier.id).where(matching(q), *where).limit(cap + 1)
