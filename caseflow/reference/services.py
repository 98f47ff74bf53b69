"""Changing the reference lists: add, rename, reorder, deactivate; a code in use stays.

Dossiers point at list items by id, so a renamed or deactivated item keeps showing on the
dossiers that use it; only an item nothing uses can be deleted. Every change is audited.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from caseflow.audit.services import record
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.reference.models import ORGANISATION_KINDS, Organisation

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _entity(model) -> str:
    return model.__tablename__


def in_use(model, item_id: int) -> bool:
    """Say whether any row of any table points at this item (found from the foreign keys)."""
    table = model.__table__
    for other in db.metadata.tables.values():
        for column in other.columns:
            if any(fk.column.table is table for fk in column.foreign_keys):
                if db.session.scalar(select(exists().where(column == item_id))):
                    return True
    return False


def _check_labels(label_fr: str, label_en: str) -> tuple[str, str]:
    label_fr, label_en = (label_fr or "").strip(), (label_en or "").strip()
    if not label_fr:
        raise DomainError(_("Donnez le libellé en français."), "label_fr")
    return label_fr, label_en or label_fr


def add_item(model, actor, code: str, label_fr: str, label_en: str):
    """Add an item at the end of a list."""
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise DomainError(_("Le code s'écrit en minuscules, chiffres et traits d'union "
                            "(par exemple : economie-circulaire)."), "code")
    if db.session.scalar(select(model.id).where(model.code == code)) is not None:
        raise DomainError(_("Ce code existe déjà : %(code)s.", code=code), "code")
    label_fr, label_en = _check_labels(label_fr, label_en)
    last = db.session.scalar(select(func.max(model.position))) or 0
    item = model(code=code, label_fr=label_fr, label_en=label_en, position=last + 1,
                 active=True)
    db.session.add(item)
    db.session.flush()
    record("reference.added", _entity(model), item.id, actor=actor, changes={
        "code": [None, code], "label_fr": [None, label_fr], "label_en": [None, label_en]})
    return item


def rename(model, item, actor, label_fr: str, label_en: str) -> dict:
    """Change an item's French and English labels (its code never changes)."""
    label_fr, label_en = _check_labels(label_fr, label_en)
    changes = {name: [getattr(item, name), value] for name, value in
               (("label_fr", label_fr), ("label_en", label_en)) if getattr(item, name) != value}
    if changes:
        item.label_fr, item.label_en = label_fr, label_en
        record("reference.renamed", _entity(model), item.id, actor=actor,
               changes={"code": item.code, **changes})
    return changes


def move(model, item, actor, step: int) -> None:
    """Move an item one place up (-1) or down (+1) in its list."""
    items = list(db.session.scalars(select(model).order_by(model.position, model.code)))
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    record("reference.moved", _entity(model), item.id, actor=actor,
           changes={"code": item.code, "position": [index + 1, target + 1]})


def set_active(model, item, actor, active: bool) -> None:
    """Offer an item again in forms, or stop offering it (dossiers keep showing it)."""
    if item.active == active:
        return
    item.active = active
    record("reference.activated" if active else "reference.deactivated", _entity(model),
           item.id, actor=actor, changes={"code": item.code, "active": [not active, active]})


def delete(model, item, actor) -> None:
    """Delete an item nothing uses; an item in use can only be deactivated."""
    if in_use(model, item.id):
        raise DomainError(_("Le code %(code)s est utilisé : il ne peut pas être supprimé. "
                            "Désactivez-le plutôt.", code=item.code))
    record("reference.deleted", _entity(model), item.id, actor=actor, changes={
        "code": [item.code, None], "label_fr": [item.label_fr, None]})
    db.session.delete(item)
    db.session.flush()


def save_organisation(actor, organisation: Organisation | None, code: str, name: str,
                      kind: str, territory) -> Organisation:
    """Add an organisation, or rename it and change its kind or territory."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Donnez le nom de l'organisation."), "name")
    if kind not in ORGANISATION_KINDS:
        raise DomainError(_("Choisissez le type d'organisation."), "kind")
    if organisation is None:
        code = (code or "").strip().lower()
        if not CODE.match(code):
            raise DomainError(_("Le code s'écrit en minuscules, chiffres et traits d'union "
                                "(par exemple : economie-circulaire)."), "code")
        if db.session.scalar(select(Organisation.id).where(Organisation.code == code)):
            raise DomainError(_("Ce code existe déjà : %(code)s.", code=code), "code")
        organisation = Organisation(code=code, name=name, kind=kind, territory=territory,
                                    active=True)
        db.session.add(organisation)
        db.session.flush()
        record("organisation.added", "organisation", organisation.id, actor=actor, changes={
            "code": [None, code], "name": [None, name], "kind": [None, kind]})
        return organisation
    before = {"name": organisation.name, "kind": organisation.kind,
              "territory": organisation.territory.code if organisation.territory else None}
    organisation.name, organisation.kind, organisation.territory = name, kind, territory
    after = {"name": name, "kind": kind, "territory": territory.code if territory else None}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        record("organisation.updated", "organisation", organisation.id, actor=actor,
               changes={"code": organisation.code, **changes})
    return organisation


def set_organisation_active(actor, organisation: Organisation, active: bool) -> None:
    """Stop offering an organisation for new referrals, or offer it again."""
    if organisation.active != active:
        organisation.active = active
        record("organisation.activated" if active else "organisation.deactivated",
               "organisation", organisation.id, actor=actor,
               changes={"code": organisation.code, "active": [not active, active]})
