"""The directory's counts (by MRC and by sector) and the enterprises a period's dossiers served."""

from collections import Counter

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, distinct, func, select

from caseflow.enterprises.models import Enterprise, enterprise_dossier
from caseflow.extensions import db
from caseflow.reference.models import Sector, Territory


def _codes(model) -> list[str]:
    return list(db.session.scalars(select(model.code).order_by(model.position, model.code)))


def directory() -> dict:
    """Return the enterprises listed today (active ones), and those charted: with both an MRC
    and a sector, counted by each."""
    rows = db.session.execute(
        select(Territory.code, Sector.code)
        .select_from(Enterprise)
        .outerjoin(Territory, Territory.id == Enterprise.territory_id)
        .outerjoin(Sector, Sector.id == Enterprise.sector_id)
        .where(Enterprise.status == "active")).all()
    charted = [row for row in rows if row[0] and row[1]]
    territories, sectors = Counter(row[0] for row in charted), Counter(row[1] for row in charted)
    return {
        "listed": len(rows),
        "charted": len(charted),
        "by_territory": {code: territories.get(code, 0) for code in _codes(Territory)},
        "by_sector": {code: sectors.get(code, 0) for code in _codes(Sector)},
    }


def served(dossier_ids) -> int:
    """Return how many distinct enterprises these dossiers belong to: a set of ids, or a
    query selecting them (counted by the database)."""
    if isinstance(dossier_ids, Select):
        return int(db.session.scalar(
            select(func.count(distinct(enterprise_dossier.c.enterprise_id)))
            .where(enterprise_dossier.c.dossier_id.in_(dossier_ids))))
    ids = set(dossier_ids)
    if not ids:
        return 0
    return len(set(db.session.scalars(
        select(enterprise_dossier.c.enterprise_id)
        .where(enterprise_dossier.c.dossier_id.in_(ids)))))


COMPOSITION = ("board_women", "board_men", "team_women", "team_men")


def composition(dossier_ids) -> dict[int, dict[str, int | None]]:
    """Return, per dossier, the composition of its enterprise's board and team, when known."""
    ids = set(dossier_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(enterprise_dossier.c.dossier_id,
               *(getattr(Enterprise, name) for name in COMPOSITION))
        .join(Enterprise, Enterprise.id == enterprise_dossier.c.enterprise_id)
        .where(enterprise_dossier.c.dossier_id.in_(ids))).all()
    return {row[0]: dict(zip(COMPOSITION, row[1:], strict=True)) for row in rows
            if any(value is not None for value in row[1:])}


def _members(women, men) -> str:
    parts = []
    if men:
        parts.append(ngettext("%(num)d homme", "%(num)d hommes", men))
    if women:
        parts.append(ngettext("%(num)d femme", "%(num)d femmes", women))
    return ", ".join(parts)


def composition_text(composition: dict | None) -> str:
    """Return "conseil d'administration (3 hommes, 2 femmes) – équipe de travail (2 femmes)"."""
    if not composition:
        return ""
    parts = []
    board = _members(composition.get("board_women"), composition.get("board_men"))
    if board:
        parts.append(_("conseil d'administration (%(members)s)", members=board))
    team = _members(composition.get("team_women"), composition.get("team_men"))
    if team:
        parts.append(_("équipe de travail (%(members)s)", members=team))
    return " – ".join(parts)


def enterprise_composition(enterprise) -> str:
    """Return an enterprise's board and team as the report phrases them."""
    return composition_text({name: getattr(enterprise, name) for name in COMPOSITION})
