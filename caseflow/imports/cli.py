"""`caseflow import FILE [--financing FILE] [--dry-run]`, and the import benchmark that
`caseflow bench import` runs."""

import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext

from caseflow.errors import Conflict
from caseflow.extensions import FACTORY, db

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("import")
@click.argument("file", type=FILE)
@click.option("--financing", "financing_file", type=FILE,
              help="CSV or XLSX of financing lines (dossier, fund, organisation, ...).")
@click.option("--dry-run", is_flag=True, help="Check both files and write nothing.")
@with_appcontext
def import_command(file: Path, financing_file: Path | None, dry_run: bool) -> None:
    """Import past years' dossiers and interventions from a CSV or XLSX file."""
    from caseflow.imports.problems import summary
    from caseflow.imports.services import Upload, run_import

    financing = Upload(financing_file.name, financing_file.read_bytes()) \
        if financing_file else None
    try:
        result = run_import(Upload(file.name, file.read_bytes()), financing, actor=None,
                            dry_run=dry_run)
    except Conflict as error:
        db.session.rollback()
        click.echo(error.message, err=True)
        sys.exit(1)
    if result.problems:
        db.session.rollback()
        for problem in result.problems:
            click.echo(problem.line(with_file=financing is not None))
        click.echo(ngettext("%(num)d problème : rien n'a été enregistré.",
                            "%(num)d problèmes : rien n'a été enregistré.",
                            len(result.problems)), err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(summary(result, dry_run))


@click.command("import")
@click.option("--rows", default=10_000, show_default=True, type=click.IntRange(1, 200_000),
              help="Rows of the synthetic interventions file.")
@click.option("--limit", default=30.0, show_default=True, type=float,
              help="Seconds above which the benchmark fails.")
@with_appcontext
def bench_import(rows: int, limit: float) -> None:
    """Import a synthetic CSV into a fresh SQLite database; fail above the time limit."""
    from caseflow.imports.bench import run_benchmark

    with tempfile.TemporaryDirectory(prefix="caseflow-bench-") as folder:
        timing = run_benchmark(rows, Path(folder), current_app.extensions[FACTORY])
    click.echo(f"import of {timing.rows} rows: {timing.seconds:.2f} s "
               f"({timing.rows_per_second:,.0f} rows/s, {timing.created} rows created); "
               f"same file again: {timing.again_seconds:.2f} s")
    if timing.problems:
        for problem in timing.problems[:20]:
            click.echo(problem, err=True)
        sys.exit(1)
    if timing.seconds > limit:
        click.echo(f"too slow: {timing.seconds:.2f} s > {limit:.0f} s", err=True)
        sys.exit(1)
