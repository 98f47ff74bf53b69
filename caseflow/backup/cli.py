"""The `caseflow backup` and `caseflow restore` commands."""

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Write a consistent backup of the database and the uploaded files to FILE."""
    from caseflow.backup.archive import BackupError
    from caseflow.backup.archive import backup as write

    try:
        manifest = write(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["counts"].values())
    seq = manifest["audit_head"][0]
    click.echo(f"Backup written to {file}: {manifest['database']} database, {rows} rows in "
               f"{len(manifest['counts'])} tables, audit chain at sequence {seq}, "
               f"{manifest['files']} file(s) of the local folder.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace everything in a database that is not empty.")
@with_appcontext
def restore(file: Path, force: bool) -> None:
    """Restore a backup into the configured database (empty, unless --force) and the uploads."""
    from caseflow.backup.archive import BackupError
    from caseflow.backup.archive import restore as load

    try:
        restored = load(file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {sum(restored.counts.values())} rows in {len(restored.counts)} "
               f"tables and {restored.files} file(s) from {file}.")
    for problem in restored.problems:
        click.echo(f"Problem: {problem}", err=True)
    chain = restored.chain
    if chain.ok:
        click.echo(f"Audit chain intact: {chain.checked} events verified; checkpoint set to "
                   "the restored head. Run `caseflow init-db` if the backup is of an older "
                   "schema.")
    else:
        click.echo(f"Audit chain broken at sequence {chain.first_bad_seq}: {chain.problem}",
                   err=True)
    if restored.problems or not chain.ok:
        raise click.ClickException("the restored database does not match its backup")
