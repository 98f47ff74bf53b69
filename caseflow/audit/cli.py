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
    """Walk the audit chain and compare it with the last checkpoint; exit non-zero naming the
    first event that does not hold."""
    import os

    from caseflow.audit.services import verify

    # The hashes are checked by one process per CPU (up to four) while this one reads.
    result = verify(workers=min(os.cpu_count() or 1, 4))
    anchored = (f"; checkpoint of {result.anchor.written_at} at sequence "
                f"{result.anchor.seq} matches" if result.anchor else "")
    if result.ok:
        click.echo(f"Audit chain intact: {result.checked} events verified{anchored}.")
        if result.note:
            click.echo(f"Note: {result.note}.")
        return
    if result.first_bad_seq is None:
        click.echo(f"Audit chain not verified: {result.problem}.", err=True)
    else:
        click.echo(f"Audit chain broken at sequence {result.first_bad_seq}: {result.problem} "
                   f"({result.checked} events verified before it).", err=True)
    sys.exit(1)


@audit.command("checkpoint")
@with_appcontext
def audit_checkpoint() -> None:
    """Print the chain's head (sequence, hash, signature) for the operator to keep, and publish
    it to the checkpoint file when the file holds an earlier one."""
    from caseflow.audit import checkpoint
    from caseflow.audit.services import checkpoint_target, current_head

    target = checkpoint_target()
    seq, head_hash = current_head()
    signed = checkpoint.sign(target.key, seq, head_hash)
    click.echo(f"Audit head: sequence {seq}, hash {head_hash or '(empty chain)'}")
    click.echo(signed.line())
    try:
        kept = checkpoint.publish(target, seq, head_hash)
    except OSError as error:
        raise click.ClickException(f"checkpoint not written to {target.path}: "
                                   f"{error.strerror}") from None
    if kept.seq > seq:
        click.echo(f"The checkpoint file {target.path} records a later head (sequence "
                   f"{kept.seq}): the database is behind it; run `caseflow audit verify`.",
                   err=True)
        sys.exit(1)
    click.echo(f"Checkpoint file: {target.path}")
