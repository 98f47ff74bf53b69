"""Interface language: Québec French first, English second."""

import re
from functools import lru_cache

from babel import support
from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from markupsafe import Markup

from caseflow.extensions import babel

# French sets a non-breaking space before a colon (and inside guillemets), so a line never
# starts with ":" or "»". The catalog's French is written with plain spaces; they are set here.
_BEFORE_COLON = re.compile(r" (?=:(?:\s|$|<))")
_GUILLEMETS = re.compile(r"« | »")
NO_BREAK = "\u00a0"


@lru_cache(maxsize=8192)  # the catalog's messages, before their values are put in
def typeset(text: str) -> str:
    """Return French text with the non-breaking spaces of French typography."""
    text = _BEFORE_COLON.sub(NO_BREAK, text)
    return _GUILLEMETS.sub(lambda match: match.group().replace(" ", NO_BREAK), text)


def colon() -> str:
    """Return what separates a label from its value in the current language (" : " / ": ")."""
    return ": " if language() == "en" else NO_BREAK + ": "


def quoted(text) -> Markup:
    """Return text between the current language's quotation marks: « … » or “…”."""
    if language() == "en":
        return Markup("“%s”") % text
    return Markup("«%s%s%s»") % (NO_BREAK, text, NO_BREAK)


class _Typeset(support.NullTranslations):
    """A catalog whose French comes out with French typography's spaces."""

    def __init__(self, translations):
        super().__init__()
        self._translations = translations

    def gettext(self, message):
        return typeset(self._translations.gettext(message))

    def ngettext(self, singular, plural, num):
        return typeset(self._translations.ngettext(singular, plural, num))

    def pgettext(self, context, message):
        return typeset(self._translations.pgettext(context, message))

    def npgettext(self, context, singular, plural, num):
        return typeset(self._translations.npgettext(context, singular, plural, num))

    ugettext, ungettext, upgettext, unpgettext = gettext, ngettext, pgettext, npgettext


class HubDomain(Domain):
    """The app's messages; in French, typeset."""

    def get_translations(self):
        # A page asks for a hundred messages or more: the request keeps the catalog it chose
        # for as long as its locale stays the same object (force_locale and refresh swap it).
        context = g._get_current_object() if has_request_context() else None
        namespace = getattr(context, "_flask_babel", None)
        chosen = getattr(namespace, "hub_translations", None)
        if chosen is not None and chosen[0] is getattr(namespace, "babel_locale", None):
            return chosen[1]
        translations = self._choose()
        namespace = getattr(context, "_flask_babel", None)
        if namespace is not None:
            namespace.hub_translations = (getattr(namespace, "babel_locale", None), translations)
        return translations

    def _choose(self):
        translations = super().get_translations()
        locale = get_locale()
        if locale is None or locale.language != "fr":
            return translations
        key = (str(locale), "typeset")
        if key not in self.cache:
            self.cache[key] = _Typeset(translations)
        return self.cache[key]


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = HubDomain()
    app.add_template_global(colon, "colon")
    app.add_template_global(quoted, "quoted")
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
