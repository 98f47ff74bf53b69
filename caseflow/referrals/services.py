"""Sending a dossier to an organisation, and each answer of the referral's lifecycle.

Every function checks who acts and in which state, records its audit event on the
dossier, notifies the other side, and flushes; the view commits once.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import utcnow
from caseflow.dossiers.access import STAFF
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.services import apply_transition, check_version, flush_or_conflict
from caseflow.errors import Conflict, DomainError
from caseflow.extensions import db
from caseflow.financing.models import FinancingLine
from caseflow.financing.services import FinancingFields, add_line, update_line
from caseflow.notifications.services import notify, notify_organisation
from caseflow.reference.models import Organisation
from caseflow.referrals.lifecycle import ACTIONS, DOSSIER_STATES, INITIAL, STATES
from caseflow.referrals.models import RESULTS, Referral, ReferralNote

SENT_HOOKS = "caseflow.referral_sent_hooks"


@dataclass
class ReferralFields:
    organisation: Organisation | None
    reason: str
    request: str = ""
    consent_to_share: bool = False


def _conflict(referral: Referral, dossier_id: int | None = None) -> Conflict:
    return Conflict(_("Ce référencement a changé pendant que vous le consultiez. "
                      "Rien n'a été enregistré."),
                    dossier_id=referral.dossier_id if dossier_id is None else dossier_id)


def _flush(referral: Referral) -> None:
    dossier_id = referral.dossier_id  # read now: a failed flush leaves nothing to read
    try:
        db.session.flush()
    except StaleDataError:
        raise _conflict(referral, dossier_id) from None


def _check(dossier: Dossier, fields: ReferralFields) -> None:
    if fields.organisation is None or not fields.organisation.active:
        raise DomainError(_("Choisissez l'organisation à qui référer le dossier."),
                          "organisation")
    if not fields.reason.strip():
        raise DomainError(_("Indiquez la raison du référencement."), "reason")
    if any(r.organisation_id == fields.organisation.id and r.is_open
           for r in dossier.referrals):
        raise DomainError(_("Ce dossier est déjà référé à %(organisation)s.",
                            organisation=fields.organisation.name), "organisation")


def send(dossier: Dossier, actor: User, expected_version: int | None,
         fields: ReferralFields, at: datetime | None = None) -> Referral:
    """Refer a dossier to an organisation, outside any change of the dossier's step."""
    if actor.role not in STAFF:
        raise DomainError(_("Seul le Pôle peut référer un dossier."))
    check_version(dossier, expected_version)
    _check(dossier, fields)
    referral = Referral(dossier=dossier, organisation=fields.organisation, state=INITIAL,
                        reason=fields.reason.strip(), request=fields.request.strip(),
                        consent_to_share=fields.consent_to_share, sent_by=actor,
                        sent_at=at or utcnow())
    db.session.add(referral)
    dossier.touch()
    flush_or_conflict(dossier)
    record("referral.sent", "referral", referral.id, actor=actor, dossier_id=dossier.id,
           changes={"organisation": fields.organisation.code, "state": [None, INITIAL],
                    "request": referral.request, "consent_to_share": referral.consent_to_share},
           reason=referral.reason)
    for hook in current_app.extensions.get(SENT_HOOKS, ()):
        hook(referral, actor)
    notify_organisation(fields.organisation, "referral.sent", dossier=dossier,
                        referral_id=referral.id,
                        params={"organisation": fields.organisation.name})
    return referral


def on_sent(app, hook) -> None:
    """Register a function called with (referral, actor) when a referral is sent, in its
    transaction (the privacy slice turns the consent declared on the form into a record)."""
    app.extensions.setdefault(SENT_HOOKS, []).append(hook)


def refer_through_workflow(dossier: Dossier, actor: User, expected_version: int | None,
                           fields: ReferralFields, trigger: str = "refer",
                           language: str = "fr", today: date | None = None,
                           at: datetime | None = None) -> Referral:
    """Move the dossier to its referral step and send the referral, in one transaction."""
    referral = send(dossier, actor, expected_version, fields, at)
    apply_transition(dossier, actor, trigger, dossier.version, comment=fields.reason,
                     referral=referral, language=language, today=today)
    return referral


def act(referral: Referral, actor: User, action: str, expected_version: int | None,
        text: str = "", result: str | None = None, at: datetime | None = None) -> Referral:
    """Apply one step of the referral's lifecycle: acknowledge, accept, return, complete,
    withdraw; `at` dates the step when it is recorded after the fact."""
    step = ACTIONS.get(action)
    if step is None:
        raise DomainError(_("Action inconnue."))
    if not step.allows(actor, referral.organisation_id):
        raise DomainError(_("Votre rôle ne permet pas cette action sur ce référencement."))
    if expected_version is not None and referral.version != expected_version:
        raise _conflict(referral)
    if referral.state not in step.sources:
        raise DomainError(_("Ce référencement est « %(state)s » : cette action n'est plus "
                            "possible.", state=state_label(referral.state)))
    text = (text or "").strip()
    if step.needs_result and result not in RESULTS:
        raise DomainError(_("Indiquez si le référencement a abouti."), "result")
    if step.text and not text:
        raise DomainError(str(step.text.missing), "text")
    # The dossier first, loaded before anything changes: every writer then updates the
    # dossier's row before the referral's, and two concurrent answers cannot deadlock.
    referral.dossier.touch()
    before = referral.state
    now = at or utcnow()
    referral.state = step.dest
    setattr(referral, step.stamp, now)
    for column in step.also_stamps:
        if getattr(referral, column) is None:
            setattr(referral, column, now)
    if step.text:
        setattr(referral, step.text.column, text)
    if step.needs_result:
        referral.result = result
    _flush(referral)
    changes = {"state": [before, step.dest], "organisation": referral.organisation.code}
    if result:
        changes["result"] = result
    record(f"referral.{step.dest}", "referral", referral.id, actor=actor,
           dossier_id=referral.dossier_id, changes=changes, reason=text or None)
    _notify(referral, actor, step.dest, text)
    _flush(referral)
    return referral


def _notify(referral: Referral, actor: User, kind: str, text: str) -> None:
    params = {"organisation": referral.organisation.name,
              "note" if kind == "note" else "reason": text}
    if actor.role == "partner":
        advisor = referral.dossier.advisor or referral.sent_by
        if advisor is not None:
            notify([advisor], f"referral.{kind}", dossier=referral.dossier,
                   referral_id=referral.id, params=params)
    else:
        if kind == "note" and not referral.partner_sees:
            return  # the partner no longer sees this dossier: tell them nothing more
        if kind == "note":
            params["organisation"] = _("le Pôle d'économie sociale")
        # A referral the partner no longer sees (a withdrawn one) hides its dossier from
        # them: name it in the message, and link to nothing they could no longer open.
        hidden = not referral.partner_sees
        params.update(reference=referral.dossier.reference, title=referral.dossier.title)
        notify_organisation(referral.organisation, f"referral.{kind}",
                            dossier=None if hidden else referral.dossier,
                            referral_id=None if hidden else referral.id, params=params)


def record_financing_decision(referral: Referral, actor: User, expected_version: int | None,
                              fields: FinancingFields) -> FinancingLine:
    """Record the organisation's decision on the referred dossier and tell its advisor.

    The decision decides the advisor's pending line for the same fund (to this organisation,
    else to none), keeping what the advisor typed that the partner left empty (investment,
    jobs, notes); only when no such line exists is a new one recorded.
    """
    dossier = referral.dossier
    pending = [line for line in dossier.financing_lines
               if line.decision == "pending" and fields.fund is not None
               and line.fund_id == fields.fund.id
               and line.organisation_id in (referral.organisation_id, None)]
    pending.sort(key=lambda line: (line.organisation_id != referral.organisation_id, line.id))
    if pending:
        line = pending[0]
        for name in ("amount_requested", "investment", "jobs_created", "jobs_maintained",
                     "notes"):
            if not getattr(fields, name):
                setattr(fields, name, getattr(line, name))
        update_line(line, dossier, actor, expected_version, fields)
    else:
        line = add_line(dossier, actor, expected_version, fields)
    advisor = dossier.advisor or referral.sent_by
    if advisor is not None:
        notify([advisor], "financing.decided", dossier=dossier, referral_id=referral.id,
               params={"organisation": referral.organisation.name})
    return line


def add_note(referral: Referral, actor: User, body: str) -> ReferralNote:
    """Leave a note on a referral for the other side."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("La note est vide."), "body")
    if not referral.partner_sees:
        raise DomainError(_("Ce référencement est retiré : il ne reçoit plus de notes."), "body")
    if actor.role == "partner" and actor.organisation_id != referral.organisation_id:
        raise DomainError(_("Votre rôle ne permet pas cette action sur ce référencement."))
    note = ReferralNote(referral=referral, author=actor, body=body)
    db.session.add(note)
    referral.dossier.touch()
    flush_or_conflict(referral.dossier)
    record("referral.note", "referral_note", note.id, actor=actor,
           dossier_id=referral.dossier_id, changes={"referral": referral.id}, reason=body)
    _notify(referral, actor, "note", body)
    return note


def state_label(state: str) -> str:
    """Return a referral state as the interface names it."""
    return str(STATES[state].label) if state in STATES else state


def visible_referral(referral_id: int, user: User) -> Referral | None:
    """Return a referral the user may see: staff see all; a partner, their organisation's
    referrals that were not withdrawn."""
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        return None
    if user.role in STAFF:
        return referral
    if (user.role == "partner" and referral.organisation_id == user.organisation_id
            and referral.partner_sees):
        return referral
    return None


def active_for(user: User, dossier_id: int) -> list[Referral]:
    """Return the referrals through which a partner sees a dossier (open or accepted)."""
    return list(db.session.scalars(select(Referral).where(
        Referral.dossier_id == dossier_id, Referral.organisation_id == user.organisation_id,
        Referral.state.in_(DOSSIER_STATES)).order_by(Referral.id)))
