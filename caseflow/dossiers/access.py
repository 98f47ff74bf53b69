"""Who may see a dossier: the hub's staff see every dossier; anyone else sees none.

Partners will see the dossiers referred to their organisation; until then a partner gets
the same 404 for an existing dossier as for a missing one, on every route.
"""

from flask import abort

from caseflow.auth.models import User
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db

STAFF = ("advisor", "coordinator")


def can_see(user: User, dossier: Dossier) -> bool:
    """Say whether a user may know this dossier exists."""
    return user.is_authenticated and user.role in STAFF


def visible_dossier(dossier_id: int, user: User) -> Dossier:
    """Return the dossier if the user may see it; otherwise 404, as for a missing one."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not can_see(user, dossier):
        abort(404)
    return dossier
