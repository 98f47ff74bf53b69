"""English is complete: no template shows words that bypass the catalog.

Every word a person reads in a template goes through `_()`/`ngettext()` (and so through
tests/test_translations.py, which fails on a msgid without its English); a word typed
straight into the markup would stay French in English. Brand and format names are allowed.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ALLOWED = {"caseflow", "CSV", "JSON", "XLSX", "PDF", "API", "OpenAPI", "Mermaid", "v"}
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
TAG = re.compile(r"<(script|style|pre|code)\b.*?</\1>|<[^>]*>", re.S | re.I)
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
WORD = re.compile(r"[^\W\d_]{2,}")


def words_outside_the_catalog(source: str) -> list[str]:
    found = []
    for value in READ_ATTRIBUTES.findall(source):
        found += WORD.findall(JINJA.sub(" ", value))
    text = TAG.sub(" ", JINJA.sub(" ", source))
    found += WORD.findall(text)
    return [word for word in found if word not in ALLOWED]


def test_every_template_word_goes_through_the_catalog():
    leftovers = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        words = words_outside_the_catalog(path.read_text(encoding="utf-8"))
        if words:
            leftovers[str(path.relative_to(TEMPLATES))] = words[:8]
    assert leftovers == {}


def test_the_check_finds_a_word_typed_into_the_markup():
    assert words_outside_the_catalog('<p>{{ _("Bonjour") }} <b>Dossiers</b></p>') == [
        "Dossiers"]
    assert words_outside_the_catalog('<a title="Fermer" href="#">x</a>') == ["Fermer"]
