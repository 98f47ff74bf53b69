"""Notifications: in-app notices, the e-mail outbox and the "À traiter" page."""


def init_app(app) -> None:
    """Register the pages, the navbar badge, the after-request sender and the CLI group."""
    from caseflow.notifications import background
    from caseflow.notifications.cli import notifications
    from caseflow.notifications.views import bp, navbar_globals

    app.register_blueprint(bp)
    app.context_processor(navbar_globals)
    app.after_request(background.send_after_response)
    app.cli.add_command(notifications)
