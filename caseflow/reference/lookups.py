"""Reading the reference lists: the items a form offers, and an item by its code."""

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.reference.models import Organisation

BLANK = ("", _l("— Choisir —"))


def items(model) -> list:
    """Return the active items of a reference list, in display order."""
    return list(db.session.scalars(select(model).where(model.active.is_(True))
                                   .order_by(model.position, model.code)))


def by_code(model, code: str | None):
    """Return the item of a reference list with this code, or None."""
    if not code:
        return None
    return db.session.scalar(select(model).where(model.code == code))


def organisation_name(code: str | None) -> str:
    """Return an organisation's name by its code (read once per request), else the code."""
    if "organisation_names" not in g:
        g.organisation_names = dict(db.session.execute(select(Organisation.code,
                                                              Organisation.name)).all())
    return g.organisation_names.get(code, code or "")
