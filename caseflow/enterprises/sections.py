"""What the enterprise part of the dossier page shows: the enterprise the dossier belongs to."""

from sqlalchemy import select

from caseflow.enterprises.models import Enterprise, enterprise_dossier
from caseflow.extensions import db


def enterprise_section(dossier) -> dict:
    """Return the directory's enterprise of this dossier (None before it is linked)."""
    return {"enterprise": db.session.scalar(
        select(Enterprise).join(enterprise_dossier,
                                enterprise_dossier.c.enterprise_id == Enterprise.id)
        .where(enterprise_dossier.c.dossier_id == dossier.id))}
