"""Backup and restore: the database, its uploaded files and a manifest, in one archive."""


def init_app(app) -> None:
    """Register the `backup` and `restore` commands."""
    from caseflow.backup.cli import backup, restore

    app.cli.add_command(backup)
    app.cli.add_command(restore)
