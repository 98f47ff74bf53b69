"""The coordinator's administration: user accounts and the document kinds."""


def init_app(app) -> None:
    """Register the accounts and document kinds pages."""
    from caseflow.admin.views import bp

    app.register_blueprint(bp)
