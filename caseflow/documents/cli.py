"""The `caseflow files` commands."""

import click
from flask.cli import with_appcontext

from caseflow.documents.storage import KINDS


@click.group("files")
def files() -> None:
    """Manage the uploaded files and where they are kept."""


@files.command("migrate")
@click.option("--to", "target", type=click.Choice(KINDS), required=True,
              help="Where the files go: the local folder or the database.")
@with_appcontext
def files_migrate(target: str) -> None:
    """Move every uploaded file to the local folder or the database, checking each hash."""
    from caseflow.documents.transfer import move
    from caseflow.extensions import db

    result = move(target, db.session.commit)
    db.session.commit()
    click.echo(f"{result.moved} file(s) moved to the {target} storage, "
               f"{result.already} already there.")
    for name, problem in result.problems:
        click.echo(f"Not moved: {name}: {problem}", err=True)
    click.echo(f"Set CASEFLOW_FILE_STORAGE={target} on every app server (files are also looked "
               "up in the other storage meanwhile).")
    if result.problems:
        raise click.ClickException(f"{len(result.problems)} file(s) not moved")
