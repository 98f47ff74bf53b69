"""The English catalog covers every French message of the interface."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "caseflow" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def _source_messages() -> set[str]:
    messages = set()
    for folder, method in [("caseflow", "python"), ("templates", "jinja2")]:
        pattern = "**.py" if method == "python" else "**.html"
        options = {} if method == "python" else {"extensions": "jinja2.ext.do",
                                                  "silent": "false"}
        # Folders such as _macros/ and _partials/ hold messages too (Babel skips "_" folders).
        found = extract_from_dir(ROOT / folder, method_map=[(pattern, method)],
                                 options_map={pattern: options}, keywords=KEYWORDS,
                                 directory_filter=lambda path: not Path(path).name.startswith("."))
        for _filename, _lineno, message, _comments, _context in found:
            messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def test_every_interface_message_has_an_english_translation():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id
                  for m in catalog if m.id and (all(m.string) if isinstance(m.string, tuple)
                                                else m.string)}
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run pybabel extract/update and translate: " + repr(missing[:5])


def test_compiled_catalog_matches_its_source():
    def entries(catalog) -> dict:
        def plain(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        return {plain(m.id): plain(m.string) for m in catalog if m.id}

    with open(CATALOG / "messages.po", "rb") as handle:
        source = entries(read_po(handle))
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = entries(read_mo(handle))
    assert compiled == source, "run: pybabel compile -d caseflow/translations"
