"""The `caseflow audit` commands."""

import sys

import click
from flask.cli import with_appcontext


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
