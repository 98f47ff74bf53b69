"""Interface language: Québec French first, English second."""

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from caseflow.extensions import babel


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.add_extension("jinja2.ext.do")


def select_locale() -> str:
    """Choose the user's preferred language, then the session's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI speaks the hub's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("locale") in languages:  # asked for by this request (the API's Accept-Language)
        return g.locale
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    best = request.accept_languages.best_match(["fr-CA", "fr", "en"])
    return "en" if best == "en" else current_app.config["BABEL_DEFAULT_LOCALE"]


def language() -> str:
    """Return the language of the current request as the labels know it: "fr" or "en"."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "fr"
