"""Making, revoking and checking personal API tokens."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.api.models import ApiToken
from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import utcnow
from caseflow.errors import DomainError
from caseflow.extensions import db

PREFIX = "cf_"
MAX_ACTIVE = 10
# Writing the last use on every call would make each read a write; a minute is enough.
USE_PRECISION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for the user; return it with its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Nommez le jeton (par exemple, le logiciel qui l'utilisera)."),
                          "name")
    if len(active(user)) >= MAX_ACTIVE:
        raise DomainError(_("Vous avez déjà %(count)d jetons actifs : révoquez-en un d'abord.",
                            count=MAX_ACTIVE), "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_hash(secret), prefix=secret[:10],
                     role=user.role, organisation_id=user.organisation_id)
    db.session.add(token)
    db.session.flush()
    record("api_token.created", "user", user.id, actor=user,
           changes={"token": [None, token.prefix], "name": [None, name]})
    return token, secret


def revoke(user: User, token_id: int) -> ApiToken:
    """End one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise DomainError(_("Ce jeton n'existe pas."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("api_token.revoked", "user", user.id, actor=user,
               changes={"token": [token.prefix, None]})
    return token


def active(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)))


def authenticate(secret: str) -> User | None:
    """Return the user a token acts for, if it is valid for who they are now."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    digest = _hash(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = token.user
    if (token.revoked_at is not None or not user.active or user.role != token.role
            or user.organisation_id != token.organisation_id):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > USE_PRECISION:
        token.last_used_at = now
    return user
