"""Password hashing with Argon2id and the rules a new password must meet."""

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_COST"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password with the configured parameters."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Say whether a password matches its stored hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Say whether a hash was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def dummy_verify(password: str) -> None:
    """Spend the time of a verification, so an unknown e-mail answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    cache_key = "_caseflow_dummy_hash"
    if cache_key not in current_app.extensions:
        current_app.extensions[cache_key] = hash_password("caseflow-unknown-account")
    return current_app.extensions[cache_key]


@cache
def common_passwords() -> frozenset[str]:
    text = files("caseflow.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Return why a new password is refused, or None when it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Le mot de passe doit compter au moins %(n)d caractères.", n=minimum)
    if len(password) > 1000:
        return _("Le mot de passe est trop long (1000 caractères au plus).")
    lowered = password.lower()
    if lowered in common_passwords() or (email and lowered == email.lower()):
        return _("Ce mot de passe est trop courant; choisissez-en un autre.")
    if len(set(password)) < 4:
        return _("Ce mot de passe est trop simple; choisissez-en un autre.")
    return None
