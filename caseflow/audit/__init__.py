"""The append-only, tamper-evident audit log, and how its events read."""


def init_app(app) -> None:
    """Start the timeline registry and register the `audit` commands."""
    from caseflow.audit import personal, timeline
    from caseflow.audit.cli import audit

    personal.init_app(app)
    timeline.init_app(app)
    app.cli.add_command(audit)
