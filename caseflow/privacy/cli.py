"""The `caseflow retention` commands."""

import click
from flask.cli import with_appcontext

from caseflow.extensions import db


@click.group("retention")
def retention() -> None:
    """Apply the retention rules to dossiers past their term."""


@retention.command("apply")
@click.option("--dry-run", is_flag=True, help="List what is due without changing anything.")
@with_appcontext
def retention_apply(dry_run: bool) -> None:
    """Anonymise the dossiers past their retention term and destroy old removed files."""
    from caseflow.documents.views import upload_folder
    from caseflow.privacy import retention as rules

    outcome = rules.apply(upload_folder(), dry_run=dry_run)
    for entry in outcome.dossiers:
        click.echo(f"{entry.dossier.reference}: closed {entry.closed_on.isoformat()}, "
                   f"{entry.years} years, due {entry.due_on.isoformat()}")
    verb = "would be" if dry_run else "were"
    click.echo(f"{len(outcome.dossiers)} dossiers {verb} anonymised; "
               f"{outcome.removed_files} removed files {verb} destroyed.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
