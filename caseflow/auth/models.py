"""People who log in, and the record of login attempts used to throttle guessing."""

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.database import UTCDateTime, utcnow
from caseflow.extensions import db
from caseflow.reference.models import Organisation

# Each role with its label; the hub's staff are the roles that work dossiers.
ROLE_LABELS = {
    "advisor": _l("Conseiller ou conseillère"),
    "partner": _l("Partenaire"),
    "coordinator": _l("Coordination"),
}
ROLES = tuple(ROLE_LABELS)
STAFF = ("advisor", "coordinator")
LOCALES = ("fr_CA", "en")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person with one role; a partner belongs to exactly one organisation."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        CheckConstraint("role <> 'partner' OR organisation_id IS NOT NULL",
                        name="partner_has_organisation"),
        CheckConstraint(f"locale IS NULL OR locale IN {LOCALES!r}", name="locale"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login cookie: rotating it ends every session of this user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The daily follow-up e-mail and the coordinator's weekly summary; each person may stop them.
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        """Name the person as others read them: with their organisation, when they have one."""
        if self.organisation is not None:
            return f"{self.full_name} ({self.organisation.name})"
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        """End every session opened with the current token."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginAttempt(db.Model):
    """One try at logging in, kept for the throttle window."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PasswordLink(db.Model):
    """A one-time link to set a password: only its digest is kept; it expires and works once."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
