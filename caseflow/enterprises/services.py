"""Keeping the enterprise directory: adding enterprises without duplicates, linking dossiers.
Every change writes its audit event in the same transaction; nothing here commits."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from rapidfuzz import fuzz, process
from sqlalchemy import delete, insert, select

from caseflow.audit.services import record, record_edit
from caseflow.enterprises.models import STATUSES, Enterprise, enterprise_dossier
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db

# Names this close (0-100, token order ignored) are taken for the same enterprise.
SIMILAR = 94
NEQ = re.compile(r"^\d{10}$")
# Words that say nothing about which enterprise it is.
FILLER = {"la", "le", "les", "l", "de", "du", "des", "d", "et", "inc", "enr", "coop",
          "cooperative", "obnl"}


@dataclass
class EnterpriseFields:
    name: str
    neq: str | None = None
    legal_form: object = None
    territory: object = None
    sector: object = None
    founded_year: int | None = None
    status: str = "active"
    notes: str = ""
    board_women: int | None = None
    board_men: int | None = None
    team_women: int | None = None
    team_men: int | None = None


COMPOSITION = ("board_women", "board_men", "team_women", "team_men")
FIELDS = ("name", "neq", "legal_form", "territory", "sector", "founded_year", "status",
          "notes", *COMPOSITION)
MAX_MEMBERS = 10_000


def name_key(name: str) -> str:
    """Return a name as compared: no accents, case, punctuation or filler words."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in FILLER)


def clean_neq(text: str | None) -> str | None:
    """Return a NEQ as its ten digits (spaces and dashes dropped), None when empty."""
    digits = re.sub(r"[\s-]", "", text or "")
    return digits or None


def check(fields: EnterpriseFields) -> None:
    if not (fields.name or "").strip() or len(fields.name.strip()) > 200:
        raise DomainError(_("Donnez le nom de l'entreprise (200 caractères au plus)."), "name")
    if fields.neq is not None and not NEQ.match(fields.neq):
        raise DomainError(_("Le NEQ compte dix chiffres."), "neq")
    if fields.founded_year is not None and not 1800 <= fields.founded_year <= 2100:
        raise DomainError(_("Année de fondation invalide."), "founded_year")
    if fields.status not in STATUSES:
        raise DomainError(_("Statut inconnu."), "status")
    for name in COMPOSITION:
        value = getattr(fields, name)
        if value is not None and not 0 <= value <= MAX_MEMBERS:
            raise DomainError(_("Entrez un nombre de personnes entre 0 et 10 000."), name)


class Directory:
    """The names and NEQs already in the directory, to find duplicates quickly."""

    def __init__(self, rows=None):
        if rows is None:
            rows = db.session.execute(select(Enterprise.id, Enterprise.name, Enterprise.neq))
        self.names: dict[int, str] = {}
        self.labels: dict[int, str] = {}
        self.neqs: dict[str, int] = {}
        for identifier, name, neq in rows:
            self.add(identifier, name, neq)

    def add(self, identifier, name: str, neq: str | None) -> None:
        self.names[identifier] = name_key(name)
        self.labels[identifier] = name
        if neq:
            self.neqs[neq] = identifier

    def duplicate(self, name: str, neq: str | None):
        """Return (id, why) of the enterprise this one would duplicate, or None."""
        if neq and neq in self.neqs:
            return self.neqs[neq], "neq"
        key = name_key(name)
        if not key or not self.names:
            return None
        found = process.extractOne(key, self.names, scorer=fuzz.token_sort_ratio,
                                   score_cutoff=SIMILAR)
        return (found[2], "name") if found else None


def duplicate_message(directory: Directory, found) -> str:
    identifier, why = found
    name = directory.labels.get(identifier, "")
    if why == "neq":
        return _("ce NEQ est déjà celui de « %(name)s »", name=name)
    return _("semble déjà au répertoire sous le nom « %(name)s »", name=name)


def add_enterprise(fields: EnterpriseFields, actor, directory: Directory | None = None,
                   source: str | None = None) -> Enterprise:
    """Add an enterprise to the directory, refusing one that is already there."""
    check(fields)
    directory = directory if directory is not None else Directory()
    found = directory.duplicate(fields.name, fields.neq)
    if found:
        raise DomainError(_("Cette entreprise %(why)s.", why=duplicate_message(directory, found)),
                          "neq" if found[1] == "neq" else "name")
    enterprise = Enterprise()
    for name in FIELDS:
        value = getattr(fields, name)
        setattr(enterprise, name, value.strip() if isinstance(value, str) else value)
    db.session.add(enterprise)
    db.session.flush()
    directory.add(enterprise.id, enterprise.name, enterprise.neq)
    record("enterprise.added", "enterprise", enterprise.id, actor=actor, reason=source,
           changes={name: [None, getattr(enterprise, name)] for name in FIELDS})
    return enterprise


def update_enterprise(enterprise: Enterprise, fields: EnterpriseFields, actor,
                      expected_version: int | None) -> dict:
    """Correct an enterprise's record (not into a duplicate of another); return what changed."""
    if expected_version is not None and enterprise.version != expected_version:
        raise Conflict(_("Cette entreprise a été modifiée par quelqu'un d'autre entre-temps. "
                         "Rechargez la page."))
    check(fields)
    others = Directory(rows=[row for row in db.session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.neq)) if row[0] != enterprise.id])
    found = others.duplicate(fields.name, fields.neq)
    if found:
        raise DomainError(_("Cette entreprise %(why)s.", why=duplicate_message(others, found)),
                          "neq" if found[1] == "neq" else "name")
    return record_edit(enterprise, fields, FIELDS, "enterprise.edited", "enterprise",
                       actor=actor)


def link_dossier(enterprise: Enterprise, dossier, actor) -> None:
    """Make a dossier one of an enterprise's (a dossier belongs to one enterprise)."""
    current = db.session.scalar(select(enterprise_dossier.c.enterprise_id).where(
        enterprise_dossier.c.dossier_id == dossier.id))
    if current == enterprise.id:
        return
    if current is not None:
        db.session.execute(delete(enterprise_dossier).where(
            enterprise_dossier.c.dossier_id == dossier.id))
    db.session.execute(insert(enterprise_dossier).values(dossier_id=dossier.id,
                                                         enterprise_id=enterprise.id))
    db.session.expire(enterprise, ["dossiers"])
    record("enterprise.dossier_linked", "enterprise", enterprise.id, actor=actor,
           dossier_id=dossier.id, changes={"enterprise": [current, enterprise.id]})


def unlink_dossier(enterprise: Enterprise, dossier, actor) -> None:
    """Take a dossier off an enterprise's (it was linked by mistake)."""
    removed = db.session.execute(delete(enterprise_dossier).where(
        enterprise_dossier.c.dossier_id == dossier.id,
        enterprise_dossier.c.enterprise_id == enterprise.id)).rowcount
    if removed:
        db.session.expire(enterprise, ["dossiers"])
        record("enterprise.dossier_unlinked", "enterprise", enterprise.id, actor=actor,
               dossier_id=dossier.id, changes={"enterprise": [enterprise.id, None]})
