"""`caseflow report`: the annual report from the command line."""

import sys
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import with_appcontext

from caseflow.reports import exports
from caseflow.reports.figures import change, compute
from caseflow.reports.labels import tables
from caseflow.reports.periods import PeriodError, parse_period
from caseflow.reports.services import published


def _stylesheet() -> str:
    """Return the CSS the standalone page needs, so the file reads anywhere."""
    import flask_bootstrap

    bootstrap = (Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
                 / "bootstrap.min.css")
    own = Path(current_app.static_folder) / "caseflow.css"
    return "\n".join(path.read_text(encoding="utf-8") for path in (bootstrap, own)
                     if path.exists())


@click.command("report")
@click.option("--period", "period_text", required=True,
              help='A fiscal year ("2017-2018") or a range ("2017-04-01..2018-03-31").')
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "html"]),
              default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; standard output when left out (not for xlsx).")
@click.option("--live", is_flag=True, help="Today's figures even when the period is published.")
@with_appcontext
def report(period_text: str, fmt: str, output: Path | None, live: bool) -> None:
    """Write the activity report of a period as JSON, CSV, XLSX or a printable HTML page."""
    try:
        period = parse_period(period_text)
    except PeriodError:
        raise click.BadParameter(f"{period_text!r} is neither a fiscal year like 2017-2018 "
                                 "nor a range like 2017-04-01..2018-03-31",
                                 param_hint="--period") from None
    frozen = None if live else published(period)
    figures = frozen.figures if frozen else compute(period)
    if fmt == "html":
        with current_app.test_request_context():
            content = render_template("reports/document.html", period=period, figures=figures,
                                      report=frozen, drift=[], tables=tables(figures),
                                      change=change, stylesheet=_stylesheet()).encode("utf-8")
    else:
        content = {"json": exports.to_json, "csv": exports.to_csv,
                   "xlsx": exports.to_xlsx}[fmt](figures)
    if output is None:
        if fmt == "xlsx":
            raise click.UsageError("--output is required for xlsx")
        sys.stdout.buffer.write(content)
        return
    output.write_bytes(content)
    click.echo(f"Report {period.label} written to {output} ({len(content)} bytes).", err=True)
