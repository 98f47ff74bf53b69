"""The `caseflow` command (also `flask --app caseflow ...`)."""

import sys
from pathlib import Path

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
    from caseflow.reports.cli import report

    for command in (init_db, create_user, demo, audit, workflows, report):
        app.cli.add_command(command)


@click.group("workflows")
def workflows() -> None:
    """Check and draw the workflow definitions in workflows/."""


def _workflows_directory() -> Path:
    from caseflow import ROOT

    return ROOT / "workflows"


@workflows.command("check")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
              default=_workflows_directory, help="Folder of the definitions.")
def workflows_check(directory: Path) -> None:
    """Validate every workflow definition without starting the app."""
    from caseflow.workflow.definition import DefinitionError, load_definitions

    try:
        definitions = load_definitions(directory)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    for name, definition in sorted(definitions.items()):
        click.echo(f"{name} v{definition.version}: {len(definition.states)} states, "
                   f"{len(definition.transitions)} transitions, ok")


@workflows.command("diagram")
@click.argument("name")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
              default=_workflows_directory, help="Folder of the definitions.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr")
def workflows_diagram(name: str, directory: Path, language: str) -> None:
    """Print a workflow as a Mermaid state diagram."""
    from caseflow.workflow.definition import DefinitionError, load_definitions
    from caseflow.workflow.diagram import mermaid

    try:
        definitions = load_definitions(directory)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    if name not in definitions:
        raise click.ClickException(f"unknown workflow {name!r}; known: "
                                   + ", ".join(sorted(definitions)))
    click.echo(mermaid(definitions[name], language))


@click.group("audit")
def audit() -> None:
    """Read and check the audit log."""


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Walk the audit chain; exit non-zero naming the first event that does not hold."""
    from caseflow.audit.services import verify

    result = verify()
    if result.ok:
        click.echo(f"Audit chain intact: {result.checked} events verified.")
        return
    click.echo(f"Audit chain broken at sequence {result.first_bad_seq}: {result.problem} "
               f"({result.checked} events verified before it).", err=True)
    sys.exit(1)


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
    from caseflow.dossiers.demo import load_demo_dossiers

    users = load_demo()
    db.session.flush()
    dossiers = load_demo_dossiers()
    db.session.commit()
    click.echo(f"Demo data ready ({dossiers} dossiers added). "
               f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        where = f" - {user.organisation.name}" if user.organisation else ""
        click.echo(f"  {user.role:<12} {user.email}{where}")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


main.add_command(workflows)  # checks definitions even when they would stop the app
