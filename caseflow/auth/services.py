"""Accounts: creating users, checking a login, throttling guesses, ending sessions."""

import hashlib
import math
import secrets
from datetime import UTC, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from caseflow.audit.services import record
from caseflow.auth.models import LOCALES, ROLES, LoginAttempt, PasswordLink, User
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


#: How long a set-password link works, unless the configuration says otherwise.
PASSWORD_LINK_LIFETIME = timedelta(days=3)


def invite_user(email: str, full_name: str, role: str, organisation: Organisation | None,
                actor: User) -> User:
    """Create an account whose person chooses the password through a one-time link."""
    # Nobody knows this password: the account opens only once the link has been used.
    return create_user(email, full_name, role, secrets.token_urlsafe(32), organisation,
                       actor=actor)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_password_link(user: User, actor: User | None = None) -> str:
    """Return a new one-time token to set the user's password; earlier unused ones stop."""
    now = utcnow()
    for link in db.session.scalars(select(PasswordLink).where(
            PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None),
            PasswordLink.expires_at > now)):
        link.expires_at = now
    token = secrets.token_urlsafe(32)
    lifetime = current_app.config.get("PASSWORD_LINK_LIFETIME", PASSWORD_LINK_LIFETIME)
    db.session.add(PasswordLink(user_id=user.id, token_digest=_digest(token),
                                expires_at=now + lifetime, created_by_id=actor.id if actor
                                else None, created_at=now))
    record("user.password_link", "user", user.id, actor=actor)
    db.session.flush()
    return token


def password_link(token: str) -> PasswordLink | None:
    """Return the link a token opens, if it is unused, unexpired and its account active."""
    if not token or len(token) > 200:
        return None
    link = db.session.scalar(select(PasswordLink).where(
        PasswordLink.token_digest == _digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() \
            or not link.user.active:
        return None
    return link


def use_password_link(token: str, new: str) -> User:
    """Set the password through a one-time link, which then stops working."""
    link = password_link(token)
    if link is None:
        raise DomainError(_("Ce lien n'est plus valide. Demandez-en un nouveau à la "
                            "coordination."))
    problem = password_problem(new, link.user.email)
    if problem:
        raise DomainError(problem, "new_password")
    link.used_at = utcnow()
    link.user.password_hash = hash_password(new)
    link.user.rotate_session_token()
    record("user.password_set", "user", link.user.id, actor=link.user,
           changes={"through": "link"})
    return link.user


def update_account(user: User, actor: User, full_name: str, role: str,
                   organisation: Organisation | None) -> dict:
    """Change a person's name, role or organisation; a new role ends their sessions."""
    if role not in ROLES:
        raise DomainError(_("Rôle inconnu : %(role)s.", role=role), "role")
    if role == "partner" and organisation is None:
        raise DomainError(_("Un ou une partenaire doit appartenir à une organisation."),
                          "organisation")
    if user.id == actor.id and role != user.role:
        raise DomainError(_("Vous ne pouvez pas changer votre propre rôle."), "role")
    organisation = organisation if role == "partner" else None
    before = {"full_name": user.full_name, "role": user.role,
              "organisation": user.organisation.code if user.organisation else None}
    user.full_name = full_name.strip() or user.full_name
    user.role, user.organisation = role, organisation
    after = {"full_name": user.full_name, "role": user.role,
             "organisation": organisation.code if organisation else None}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        if "role" in changes or "organisation" in changes:
            user.rotate_session_token()  # what they may see changed: they log in again
        record("user.updated", "user", user.id, actor=actor, changes=changes)
        db.session.flush()
    return changes


def set_digest(user: User, enabled: bool) -> None:
    """Turn a person's follow-up e-mails (daily list, weekly summary) on or off."""
    if user.digest_enabled != enabled:
        user.digest_enabled = enabled
        record("user.digest_changed", "user", user.id, actor=user,
               changes={"digest_enabled": [not enabled, enabled]})
