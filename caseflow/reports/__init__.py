"""The annual activity report, computed from the data, and its published periods."""

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    """Register the report pages, the `report` command, charts and the timeline entry."""
    from caseflow.audit import timeline
    from caseflow.reports.charts import bars
    from caseflow.reports.cli import report
    from caseflow.reports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(report)
    app.add_template_global(
        lambda rows, title: bars([(row.label, row.value) for row in rows], title), "chart")
    timeline.register(app, {"report.published": _l("Bilan publié")})
