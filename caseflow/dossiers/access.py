"""Who may see a dossier: the hub's staff see every dossier; a partner, only the dossiers
with a referral to their organisation that was not withdrawn. Anyone else gets the same
404 for an existing dossier as for a missing one, on every route.
"""

from flask import abort
from sqlalchemy import exists, select

from caseflow.auth.models import User
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db

STAFF = ("advisor", "coordinator")


def can_see(user: User, dossier: Dossier) -> bool:
    """Say whether a user may know this dossier exists."""
    if not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    if user.role != "partner" or user.organisation_id is None:
        return False
    from caseflow.referrals.models import Referral

    return bool(db.session.scalar(select(exists().where(
        Referral.dossier_id == dossier.id, Referral.organisation_id == user.organisation_id,
        Referral.state != "withdrawn"))))


def is_partner(user: User) -> bool:
    """Say whether the user answers referrals rather than working dossiers."""
    return user.is_authenticated and user.role == "partner"


def visible_dossier(dossier_id: int, user: User) -> Dossier:
    """Return the dossier if the user may see it; otherwise 404, as for a missing one."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not can_see(user, dossier):
        abort(404)
    return dossier
