"""The `caseflow` command (also `flask --app caseflow ...`): the app's own commands; each
slice adds its commands in its `init_app`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask_migrate import upgrade
from sqlalchemy.exc import DBAPIError

from caseflow.database import not_initialised
from caseflow.extensions import db


def _create_app():
    from caseflow import create_app

    return create_app()


class CaseflowGroup(FlaskGroup):
    """The command group: a command run before `caseflow init-db` says what to run."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DBAPIError as error:
            with ctx.ensure_object(ScriptInfo).load_app().app_context():
                missing = not_initialised(error, db.engine)
            if missing:
                raise click.ClickException(
                    "La base de données n'a pas encore de tables : lancez d'abord "
                    "« caseflow init-db ».") from None
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


def _definitions(directory: Path) -> dict:
    """Load the definitions of a folder with the guards every slice registers."""
    from caseflow import create_app
    from caseflow.dossiers.workflows import EXTENSION
    from caseflow.workflow.definition import DefinitionError

    try:
        app = create_app({"WORKFLOWS_DIRECTORY": str(directory)})
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    return dict(app.extensions[EXTENSION].definitions)


@workflows.command("check")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
              default=_workflows_directory, help="Folder of the definitions.")
def workflows_check(directory: Path) -> None:
    """Validate every workflow definition without touching the database."""
    for name, definition in sorted(_definitions(directory).items()):
        click.echo(f"{name} v{definition.version}: {len(definition.states)} states, "
                   f"{len(definition.transitions)} transitions, ok")


@workflows.command("diagram")
@click.argument("name")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
              default=_workflows_directory, help="Folder of the definitions.")
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
