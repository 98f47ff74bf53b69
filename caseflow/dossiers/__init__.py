"""Dossiers: promoter groups' requests for accompaniment, moved through their workflow."""


def init_app(app) -> None:
    """Register the caseload and dossier forms, the workflow pages and guard registry, the
    dossier's timeline entries, and what the templates need of dossiers."""
    from caseflow.boundary import describe_conflicts
    from caseflow.dossiers import access, pages, queries, timeline, versions, workflows
    from caseflow.dossiers.models import INTERVENTION_KIND_LABELS
    from caseflow.dossiers.views import bp
    from caseflow.dossiers.workflow_views import bp as workflows_bp

    workflows.init_app(app)
    access.init_app(app)
    timeline.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(workflows_bp)
    app.add_template_global(workflows.definition, "workflow_definition")
    app.add_template_global(lambda: sorted(workflows.engine().definitions.items()),
                            "workflow_definitions")
    app.add_template_global(lambda kind: INTERVENTION_KIND_LABELS.get(kind, kind),
                            "intervention_kind")
    app.add_template_filter(workflows.definition, "workflow_definition")
    app.add_template_global(versions.notice, "workflow_notice")
    describe_conflicts(app, queries.changes_meanwhile)
    app.add_template_global(pages.caseload_tools, "caseload_tools")
