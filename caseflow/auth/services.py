"""Accounts: creating users, checking a login, throttling guesses, ending sessions."""

import math
from datetime import UTC

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from caseflow.audit.services import record
from caseflow.auth.models import LOCALES, ROLES, LoginAttempt, User
from caseflow.auth.passwords import (
    dummy_verify,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from caseflow.database import utcnow
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.reference.models import Organisation


class LoginRefused(DomainError):
    """The e-mail and password do not open a session (same message whatever the cause)."""


class LoginThrottled(DomainError):
    """Too many failed attempts for this account or address: wait before trying again."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the user with this e-mail, ignoring case and surrounding spaces."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, full_name: str, role: str, password: str,
                organisation: Organisation | None = None, locale: str | None = None,
                actor: User | None = None) -> User:
    """Create an account after checking its role, organisation and password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Adresse courriel invalide."), "email")
    if role not in ROLES:
        raise DomainError(_("Rôle inconnu : %(role)s.", role=role), "role")
    if role == "partner" and organisation is None:
        raise DomainError(_("Un ou une partenaire doit appartenir à une organisation."),
                          "organisation")
    if role != "partner":
        organisation = None
    if locale is not None and locale not in LOCALES:
        raise DomainError(_("Langue inconnue : %(locale)s.", locale=locale), "locale")
    if find_user(email) is not None:
        raise DomainError(_("Un compte existe déjà pour %(email)s.", email=email), "email")
    problem = password_problem(password, email)
    if problem:
        raise DomainError(problem, "password")
    user = User(email=email, full_name=full_name.strip() or email, role=role,
                organisation=organisation, locale=locale, active=True,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record("user.created", "user", user.id, actor=actor, changes={
        "email": [None, user.email], "full_name": [None, user.full_name],
        "role": [None, user.role],
        "organisation": [None, organisation.code if organisation else None]})
    return user


def authenticate(email: str, password: str, address: str) -> User:
    """Return the user these credentials open, or raise LoginRefused / LoginThrottled."""
    email = normalise_email(email)[:254]
    address = (address or "?")[:64]
    wait = _wait(email, address)
    if wait:
        raise LoginThrottled(_("Trop de tentatives de connexion depuis cette adresse. "
                               "Réessayez dans %(seconds)d secondes.", seconds=wait))
    user = find_user(email)
    if user is None:
        dummy_verify(password)
        succeeded = False
    else:
        succeeded = verify_password(user.password_hash, password) and user.active
    db.session.add(LoginAttempt(email=email, address=address, succeeded=succeeded))
    if not succeeded:
        raise LoginRefused(_("Courriel ou mot de passe incorrect, ou compte désactivé."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def _wait(email: str, address: str) -> int:
    """Return how many seconds this address must wait before its next try (0: none).

    Guesses are slowed, not stopped, and only where they come from: past a few failures on
    one account from one address, or many from one address on any account, each new try
    waits twice as long after the last failure, up to a cap. The owner, from their own
    address, is never locked out by someone else's guesses; a success starts afresh.
    """
    config = current_app.config
    since = utcnow() - config["LOGIN_THROTTLE_WINDOW"]
    waits = [_delay(since, config["LOGIN_THROTTLE_ACCOUNT_LIMIT"],
                    LoginAttempt.email == email, LoginAttempt.address == address),
             _delay(since, config["LOGIN_THROTTLE_ADDRESS_LIMIT"],
                    LoginAttempt.address == address)]
    return max(waits)


def _delay(since, free: int, *where) -> int:
    config = current_app.config
    last_success = (select(func.max(LoginAttempt.attempted_at))
                    .where(*where, LoginAttempt.succeeded.is_(True),
                           LoginAttempt.attempted_at >= since)
                    .scalar_subquery())
    failures, last_failure = db.session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at))
        .where(*where, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since,
               LoginAttempt.attempted_at > func.coalesce(last_success, since))).one()
    if failures < free or last_failure is None:
        return 0
    if last_failure.tzinfo is None:  # SQLite hands back naive UTC in an aggregate
        last_failure = last_failure.replace(tzinfo=UTC)
    delay = min(config["LOGIN_THROTTLE_DELAY"] * 2 ** min(failures - free, 16),
                config["LOGIN_THROTTLE_MAX_DELAY"])
    remaining = (last_failure + delay - utcnow()).total_seconds()
    return max(0, math.ceil(remaining))


def change_password(user: User, current: str, new: str) -> None:
    """Replace a user's password and end their other sessions."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("Le mot de passe actuel est incorrect."), "current_password")
    problem = password_problem(new, user.email)
    if problem:
        raise DomainError(problem, "new_password")
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    record("user.password_changed", "user", user.id, actor=user)


def set_password(user: User, new: str, actor: User | None = None) -> None:
    """Set a user's password (administration) and end every session of theirs."""
    problem = password_problem(new, user.email)
    if problem:
        raise DomainError(problem, "password")
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    record("user.password_set", "user", user.id, actor=actor)


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    """Activate or deactivate an account; deactivation ends its sessions."""
    if actor is not None and user.id == actor.id and not active:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.rotate_session_token()
    record("user.reactivated" if active else "user.deactivated", "user", user.id, actor=actor,
           changes={"active": [not active, active]})


def set_locale(user: User, locale: str) -> None:
    """Record the language a user prefers."""
    if locale not in LOCALES:
        raise DomainError(_("Langue inconnue : %(locale)s.", locale=locale), "locale")
    user.locale = locale
