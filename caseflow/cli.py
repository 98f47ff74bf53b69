"""The `caseflow` command (also `flask --app caseflow ...`)."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from caseflow.errors import DomainError
from caseflow.extensions import db


def _create_app():
    from caseflow import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="caseflow: dossiers of a social-economy hub.")


def init_app(app) -> None:
    for command in (init_db, create_user, demo):
        app.cli.add_command(command)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Bring the database to the latest schema and seed the reference lists."""
    from caseflow.reference.seed import seed_reference_data

    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_reference_data()
    db.session.commit()
    click.echo(f"Database ready ({_safe_url()}); {added} reference rows added.")


def _read_password(email: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(f"Password for {email}", hide_input=True,
                            confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["advisor", "partner", "coordinator"]))
@click.option("--organisation", "organisation_code", help="Organisation code (partners).")
@click.option("--name", "full_name", default="", help="Full name shown in the interface.")
@click.option("--locale", type=click.Choice(["fr_CA", "en"]), default=None)
@with_appcontext
def create_user(email, role, organisation_code, full_name, locale) -> None:
    """Create a user; the password is read from a prompt, or from stdin when piped."""
    from caseflow.auth.services import create_user as create
    from caseflow.reference.models import Organisation

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


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Fill the database with a realistic demo hub (safe to run again)."""
    from caseflow.demo import DEMO_PASSWORD, load_demo

    users = load_demo()
    db.session.commit()
    click.echo("Demo data ready. Demo logins (password for all: " + DEMO_PASSWORD + "):")
    for user in users:
        where = f" - {user.organisation.name}" if user.organisation else ""
        click.echo(f"  {user.role:<12} {user.email}{where}")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)
