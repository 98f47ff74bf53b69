"""The English catalog covers every French message of the interface."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "caseflow" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def _source_messages() -> set[str]:
    messages = set()
    for folder, method in [("caseflow", "python"), ("templates", "jinja2")]:
        found = extract_from_dir(ROOT / folder, method_map=[("**.py", "python")]
                                 if method == "python" else [("**.html", "jinja2")],
                                 keywords=KEYWORDS)
        for _filename, _lineno, message, _comments, _context in found:
            messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def test_every_interface_message_has_an_english_translation():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run pybabel extract/update and translate: " + repr(missing[:5])


def test_compiled_catalog_matches_its_source():
    with open(CATALOG / "messages.po", "rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == source, "run: pybabel compile -d caseflow/translations"
