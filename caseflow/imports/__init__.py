"""Import of past years from spreadsheets: one CSV or XLSX of interventions, one of financing.

Everything is checked first (every row of both files); a file with any problem writes
nothing, and a clean one is written in one transaction, audited, and idempotent.
"""


def init_app(app) -> None:
    """Register the coordinator's upload page and the `import` command."""
    from caseflow.imports.cli import import_command
    from caseflow.imports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(import_command)
