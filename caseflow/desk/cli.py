"""The `caseflow demo` command."""

import click
from flask.cli import with_appcontext

from caseflow.extensions import db


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Fill the database with a realistic demo hub (safe to run again)."""
    from caseflow.desk.demo import DEMO_PASSWORD, load_demo
    from caseflow.desk.demo_dossiers import load_demo_dossiers

    users = load_demo()
    db.session.flush()
    dossiers = load_demo_dossiers()
    db.session.commit()
    click.echo(f"Demo data ready ({dossiers} dossiers added). "
               f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        where = f" - {user.organisation.name}" if user.organisation else ""
        click.echo(f"  {user.role:<12} {user.email}{where}")
