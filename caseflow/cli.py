"""The `caseflow` command (also `flask --app caseflow ...`): the app's own commands; each
slice adds its commands in its `init_app`."""

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask_migrate import upgrade
from sqlalchemy.exc import DBAPIError

from caseflow.database import not_initialised_database
from caseflow.extensions import db
from caseflow.i18n import typeset


def _create_app():
    from caseflow import create_app

    return create_app()


class CaseflowGroup(FlaskGroup):
    """The command group: a command run before `caseflow init-db` says what to run."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:
            # A command may read through the driver's own cursor: its errors are the driver's.
            if not isinstance(error, DBAPIError | sqlite3.Error) \
                    and type(error).__module__.partition(".")[0] != "psycopg":
                raise
            with ctx.ensure_object(ScriptInfo).load_app().app_context():
                missing = not_initialised_database(db.engine)
            if missing:
                raise click.ClickException(typeset(
                    "La base de données n'a pas encore de tables : lancez d'abord "
                    "« caseflow init-db ».")) from None
            raise


main = CaseflowGroup(create_app=_create_app,
                     help="caseflow: dossiers of a social-economy hub.")


def init_app(app) -> None:
    app.cli.add_command(init_db)


@click.group("workflows")
def workflows() -> None:
    """Check and draw the workflow definitions in workflows/."""


def _workflows_directory() -> Path:
    from caseflow import ROOT

    return ROOT / "workflows"


def _app(directory: Path):
    """Build an app on the definitions of a folder, with the guards every slice registers."""
    from caseflow import create_app
    from caseflow.workflow.definition import DefinitionError

    try:
        return create_app({"WORKFLOWS_DIRECTORY": str(directory)})
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None


def _definitions(directory: Path) -> dict:
    """Load the definitions of a folder with the guards every slice registers."""
    from caseflow.dossiers.workflows import EXTENSION

    return dict(_app(directory).extensions[EXTENSION].definitions)


def _survey(app):
    """Return the dossiers grouped against the definitions, or None without a database."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from caseflow.dossiers.versions import survey

    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return None  # never create an empty database file just to look into it
    try:
        if not inspect(db.engine).has_table("dossier"):
            return None
        return survey()
    except SQLAlchemyError:
        return None


_DIRECTORY = click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
                          default=_workflows_directory, help="Folder of the definitions.")


@workflows.command("check")
@_DIRECTORY
def workflows_check(directory: Path) -> None:
    """Validate every workflow definition, and refuse one that would strand dossiers of the
    configured database."""
    from caseflow.dossiers.workflows import EXTENSION

    app = _app(directory)
    for name, definition in sorted(app.extensions[EXTENSION].definitions.items()):
        migration = (f", migrates from v{definition.migration.from_version}"
                     if definition.migration else "")
        click.echo(f"{name} v{definition.version}: {len(definition.states)} states, "
                   f"{len(definition.transitions)} transitions{migration}, ok")
    with app.app_context():
        groups = _survey(app)
        where = _safe_url()
    if groups is None:
        click.echo(f"Dossiers not checked: no initialised database at {where}.")
        return
    stranded = [group for group in groups if group.stranded]
    pending = sum(group.count for group in groups if group.pending)
    for group in stranded:
        click.echo(f"Stranded: {group.problem()}", err=True)
    if stranded:
        total = sum(group.count for group in stranded)
        raise click.ClickException(f"{total} dossier{'s' if total > 1 else ''} of {where} "
                                   "would be stranded by these definitions")
    click.echo(f"Dossiers of {where}: {sum(group.count for group in groups)} checked, "
               "none stranded" + (f"; {pending} to move with `caseflow workflows migrate`"
                                  if pending else "") + ".")


@workflows.command("migrate")
@_DIRECTORY
@click.option("--dry-run", is_flag=True, help="Say what would move, change nothing.")
def workflows_migrate(directory: Path, dry_run: bool) -> None:
    """Move dossiers to the current version of their workflow, each with its audit event."""
    from caseflow.dossiers.versions import migrate, survey

    app = _app(directory)
    with app.app_context():
        groups = survey()
        for group in groups:
            if group.pending:
                move = (f"{group.state!r} -> {group.target!r}" if group.target != group.state
                        else f"stays in {group.state!r}")
                click.echo(f"{group.workflow} v{group.version} -> v{group.current_version}: "
                           f"{group.count} dossier(s) {move}")
        if dry_run:
            click.echo("Dry run: nothing changed.")
            return
        result = migrate(commit=db.session.commit)
        db.session.commit()
    click.echo(f"{result.moved} dossier(s) moved, each with its audit event.")
    for group in result.stranded:
        click.echo(f"Stranded: {group.problem()}", err=True)
    if result.stranded:
        raise click.ClickException("some dossiers have nowhere to go: declare [migrate] "
                                   "for their states, then run this again")


@workflows.command("diagram")
@click.argument("name")
@_DIRECTORY
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr")
def workflows_diagram(name: str, directory: Path, language: str) -> None:
    """Print a workflow as a Mermaid state diagram."""
    from caseflow.workflow.diagram import mermaid

    definitions = _definitions(directory)
    if name not in definitions:
        raise click.ClickException(f"unknown workflow {name!r}; known: "
                                   + ", ".join(sorted(definitions)))
    click.echo(mermaid(definitions[name], language))


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Bring the database to the latest schema and seed the reference lists."""
    from caseflow.reference.seed import seed_reference_data

    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_reference_data()
    db.session.commit()
    click.echo(f"Database ready ({_safe_url()}); {added} reference rows added.")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


main.add_command(workflows)  # checks definitions even when they would stop the app
