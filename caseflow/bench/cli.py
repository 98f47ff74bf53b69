"""`caseflow bench [--dossiers N] [--db URL] [--quick] [--clients 8,32]`."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from caseflow.extensions import FACTORY
from caseflow.imports.cli import bench_import

QUICK_DOSSIERS = 5_000
FULL_DOSSIERS = 100_000


def _levels(_context, _parameter, value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        levels = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("give client counts separated by commas, e.g. 8,32") from None
    if not levels or any(level < 1 or level > 256 for level in levels):
        raise click.BadParameter("each client count must be between 1 and 256")
    return levels


@click.group("bench", invoke_without_command=True)
@click.option("--dossiers", type=click.IntRange(100, 2_000_000),
              help=f"Dossiers to generate (default {FULL_DOSSIERS:,}, or {QUICK_DOSSIERS:,} "
                   "with --quick).")
@click.option("--db", "db_url", metavar="URL",
              help="Database to generate and serve (default: a SQLite file under "
                   "benchmarks/data/). Everything in it is replaced.")
@click.option("--quick", is_flag=True, help=f"{QUICK_DOSSIERS:,} dossiers, shorter runs.")
@click.option("--clients", callback=_levels,
              help="Concurrent clients, one run per count (default 8,32, or 8 with --quick).")
@click.option("--yes", is_flag=True, help="Replace the database given with --db without asking.")
@click.option("--reuse", is_flag=True,
              help="Keep the database an earlier run generated with the same size and seed.")
@click.option("--only", default="", metavar="TEXT",
              help="Run only the scenarios whose name holds TEXT (e.g. \"audit\"); no commands.")
@click.option("--seed", default=2026, show_default=True, help="Seed of the generated data.")
@click.pass_context
@with_appcontext
def bench(context, dossiers, db_url, quick, clients, yes, reuse, only, seed) -> None:
    """Measure caseflow against the floor of the same work, on one generated database."""
    if context.invoked_subcommand is not None:
        return
    from caseflow.bench.run import bench as run_bench

    dossiers = dossiers or (QUICK_DOSSIERS if quick else FULL_DOSSIERS)
    clients = clients or ([8] if quick else [8, 32])
    if db_url and not yes:
        click.confirm(f"Everything in {db_url} will be replaced by generated data. Go on?",
                      abort=True)
    factory = current_app.extensions[FACTORY]
    results = run_bench(factory, dossiers=dossiers, db_url=db_url, quick=quick, clients=clients,
                        seed=seed, reuse=reuse, only=only, echo=click.echo)
    failed = [name for name, entry in results["scenarios"].items()
              for figures in entry["levels"].values() if figures["caseflow"]["errors"]]
    if failed:
        click.echo("errors in: " + ", ".join(sorted(set(failed))), err=True)
        sys.exit(1)


bench.add_command(bench_import)
