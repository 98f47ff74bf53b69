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
    _plan_globals(app)


def _plan_globals(app) -> None:
    """What the report's plan and funders' sections need of the lower slices."""
    from caseflow.reference.models import FUNDER_KIND_LABELS, Fund
    from caseflow.reports.bilan import bilan_for
    from caseflow.reports.labels import (
        _labels,
        activity_line,
        activity_names,
        projects_by_code,
        protocol_lines,
    )

    app.jinja_env.tests.setdefault("startswith", lambda value, prefix: str(value)
                                   .startswith(prefix))
    app.add_template_global(activity_line, "activity_line")
    app.add_template_global(activity_names, "activity_names")
    app.add_template_global(projects_by_code, "projects_by_code")
    app.add_template_global(protocol_lines, "protocol_lines")
    app.add_template_global(bilan_for, "protocol_bilan")
    app.add_template_global(lambda: _labels(Fund), "fund_labels")
    app.add_template_global(lambda kind: FUNDER_KIND_LABELS.get(kind, kind), "funder_kind_label")
    app.add_template_global(lambda code: {"obnl": "OBNL", "cooperative": "Coop"}.get(code, code),
                            "legal_form_short")
