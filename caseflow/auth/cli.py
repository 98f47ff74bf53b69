"""The `caseflow create-user` command."""

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from caseflow.auth.models import LOCALES, ROLES
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.reference.models import Organisation


def _read_password(email: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(f"Password for {email}", hide_input=True,
                            confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--organisation", "organisation_code", help="Organisation code (partners).")
@click.option("--name", "full_name", default="", help="Full name shown in the interface.")
@click.option("--locale", type=click.Choice(LOCALES), default=None)
@with_appcontext
def create_user(email, role, organisation_code, full_name, locale) -> None:
    """Create a user; the password is read from a prompt, or from stdin when piped."""
    from caseflow.auth.services import create_user as create

    organisation = None
    if organisation_code:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.code == organisation_code))
        if organisation is None:
            raise click.UsageError(f"unknown organisation code: {organisation_code}")
    password = _read_password(email)
    try:
        user = create(email, full_name, role, password, organisation, locale)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}"
               + (f" ({organisation.code})" if organisation else ""))
