"""Plain functions that build test data through the service layer."""

import itertools
import re

from sqlalchemy import select

from caseflow.auth.models import User
from caseflow.auth.services import create_user
from caseflow.extensions import db
from caseflow.reference.models import Organisation

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def organisation(code: str) -> Organisation:
    """Return a seeded organisation by its code."""
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def make_user(role: str = "advisor", *, email: str | None = None,
              organisation_code: str | None = None, password: str = PASSWORD,
              active: bool = True, full_name: str | None = None,
              locale: str | None = None) -> User:
    """Create and commit a user; partners default to the MRC de Bécancour."""
    if role == "partner" and organisation_code is None:
        organisation_code = "mrc-becancour"
    email = email or f"{role}{next(_sequence)}@exemple.test"
    user = create_user(email, full_name or f"Test {role}", role, password,
                       organisation(organisation_code) if organisation_code else None, locale)
    user.active = active
    db.session.commit()
    return user


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """Return the CSRF token of the client's session, as a page would carry it."""
    response = client.get(path)
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD, follow: bool = False):
    """Log a client in through the login form."""
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token}, follow_redirects=follow)


def logout(client):
    """Log a client out through the logout button."""
    token = csrf_token(client, "/")
    return client.post("/logout", data={"csrf_token": token})
