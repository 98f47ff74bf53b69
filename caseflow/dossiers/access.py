"""Who may see a dossier: the hub's staff see every dossier; a partner, only what the rule
registered by the slice that shares dossiers with partners lets through. Anyone else gets
the same 404 for an existing dossier as for a missing one, on every route.
"""

from collections.abc import Callable

from flask import abort, current_app
from sqlalchemy import exists, false, select

from caseflow.auth.models import STAFF, User
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db

PARTNER_RULE = "caseflow.partner_visibility"
PERSONAL_RULE = "caseflow.partner_personal_information"
# The personal information of a dossier a partner may be given, by what it is.
PERSONAL_DATA = frozenset({"contacts", "documents"})


def init_app(app) -> None:
    # Deny by default: until a slice shares dossiers with partners, a partner sees none,
    # and until a slice records consents, no partner gets a dossier's personal information.
    app.extensions[PARTNER_RULE] = lambda user: false()
    app.extensions[PERSONAL_RULE] = lambda user, dossier: frozenset()


def share_personal_information(app, rule: Callable[[User, Dossier], frozenset]) -> None:
    """Set the rule saying which personal data of a dossier (of PERSONAL_DATA) a partner may
    be given: the consents in force for their organisation."""
    app.extensions[PERSONAL_RULE] = rule


def shared_with(user: User, dossier: Dossier) -> frozenset:
    """Return the personal data of a dossier the user may be given (staff: all of it)."""
    if user.is_authenticated and user.role in STAFF:
        return PERSONAL_DATA
    if not is_partner(user) or user.organisation_id is None:
        return frozenset()
    return frozenset(current_app.extensions[PERSONAL_RULE](user, dossier)) & PERSONAL_DATA


def share_with_partners(app, rule: Callable[[User], object]) -> None:
    """Set the SQL condition, on Dossier, under which a partner may see a dossier."""
    app.extensions[PARTNER_RULE] = rule


def visible_to(user: User):
    """Return the SQL condition on Dossier that the user may see it."""
    if not user.is_authenticated:
        return false()
    if user.role in STAFF:
        return Dossier.id.is_not(None)
    if user.role != "partner" or user.organisation_id is None:
        return false()
    return current_app.extensions[PARTNER_RULE](user)


def can_see(user: User, dossier: Dossier) -> bool:
    """Say whether a user may know this dossier exists."""
    if user.is_authenticated and user.role in STAFF:
        return True  # no query: the hub's staff see every dossier
    return bool(db.session.scalar(select(exists().where(Dossier.id == dossier.id,
                                                         visible_to(user)))))


def is_partner(user: User) -> bool:
    """Say whether the user answers referrals rather than working dossiers."""
    return user.is_authenticated and user.role == "partner"


def visible_dossier(dossier_id: int, user: User, *, lock: bool = False) -> Dossier:
    """Return the dossier if the user may see it; otherwise 404, as for a missing one.

    One cheap query decides first, so a hidden dossier costs what a missing one does.
    `lock` loads it locked until the transaction ends (PostgreSQL), for a change that must
    decide on its current state.
    """
    if lock:
        # One locked read decides and loads: a hidden dossier answers as a missing one.
        dossier = db.session.scalar(
            select(Dossier).where(Dossier.id == dossier_id, visible_to(user))
            .with_for_update(of=Dossier).execution_options(populate_existing=True))
        if dossier is None:
            abort(404)
        return dossier
    if not (user.is_authenticated and user.role in STAFF):  # staff see every dossier
        allowed = db.session.scalar(select(Dossier.id).where(Dossier.id == dossier_id,
                                                             visible_to(user)))
        if allowed is None:
            abort(404)
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        abort(404)
    return dossier


def record_partner_view(user: User, dossier_id: int, seen: list[str],
                        entity_type: str = "dossier", entity_id: int | None = None) -> None:
    """Audit that a partner was shown a dossier's personal information (what, through what).

    The event names the dossier in its changes, not as its dossier: it belongs to the audit
    log, not to the dossier's timeline, which every page view would otherwise flood.
    """
    from caseflow.audit.services import record

    if is_partner(user):
        record("dossier.viewed_by_partner", entity_type,
               entity_id if entity_id is not None else dossier_id, actor=user,
               changes={"dossier": dossier_id, "seen": sorted(seen)})
