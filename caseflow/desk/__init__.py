"""The composing slice: the pages that show several slices (home pages, the dossier page,
the audit log) and the demo hub. It may import every slice; none imports it."""


def init_app(app) -> None:
    """Register the composed pages, the dossier page's renderer and the `demo` command."""
    from caseflow.desk.cli import demo
    from caseflow.desk.dossier_page import render_dossier_page
    from caseflow.desk.lists import save_filter_form, saved_filters
    from caseflow.desk.views import bp
    from caseflow.dossiers import pages

    app.register_blueprint(bp)
    pages.register(app, render_dossier_page)
    pages.add_caseload_tools(app, "desk/_caseload_tools.html")
    app.add_template_global(saved_filters, "saved_filters")
    app.add_template_global(save_filter_form, "save_filter_form")
    app.cli.add_command(demo)
