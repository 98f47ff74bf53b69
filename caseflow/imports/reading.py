"""Reading a spreadsheet (CSV in UTF-8 with commas or semicolons, or XLSX) into rows.

Column names are matched ignoring case, accents, spaces and hyphens, in English or by
their French alias; each row keeps the number the spreadsheet shows (the header is 1).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from caseflow.imports.problems import Problem
from caseflow.imports.values import closest_text, normalise

# canonical name: (French name, other accepted names...)
INTERVENTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "dossier": ("dossier", "reference"),
    "title": ("titre",),
    "opened_on": ("ouvert_le", "date_ouverture"),
    "territory": ("territoire",),
    "sector": ("secteur",),
    "stage": ("phase",),
    "legal_form": ("forme_juridique",),
    "promoter_gender": ("groupe_promoteur",),
    "origin": ("provenance",),
    "workflow": ("parcours",),
    "protocol_objectives": ("objectifs_protocole",),
    "advisor_email": ("courriel_conseiller",),
    "intervention_date": ("date_intervention",),
    "kind": ("type",),
    "subjects": ("sujets",),
    "minutes": ("minutes", "duree"),
    "referred_to": ("refere_a",),
    "state": ("etat",),
    "outcome": ("bilan",),
    "notes": ("notes",),
}
INTERVENTION_REQUIRED = ("dossier", "title", "opened_on", "territory", "sector", "stage",
                         "legal_form", "promoter_gender", "origin", "intervention_date",
                         "subjects")
FINANCING_COLUMNS: dict[str, tuple[str, ...]] = {
    "dossier": ("dossier", "reference"),
    "fund": ("fonds",),
    "organisation": ("organisation", "organisme"),
    "amount_requested": ("montant_demande",),
    "amount_authorised": ("montant_autorise", "amount_authorized"),
    "decision": ("decision",),
    "decided_on": ("decide_le", "date_decision"),
    "investment": ("investissement",),
    "jobs_created": ("emplois_crees",),
    "jobs_maintained": ("emplois_maintenus",),
    "notes": ("notes",),
}
FINANCING_REQUIRED = ("dossier", "fund", "decision")
# More rows than this is not a year of a hub's work: refuse before spending time on it.
MAX_ROWS = 200_000
# A workbook's parts as they say they inflate; a real one of MAX_ROWS rows stays far below.
XLSX_MAX_INFLATED = 256 * 1024 * 1024
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f]")
CHUNK_BYTES = 1024 * 1024


class TooManyRows(Exception):
    """The file holds more rows than an import takes."""


@dataclass
class Sheet:
    """The rows of one file, by canonical column name, and the names the file used."""

    name: str
    columns: dict[str, tuple[str, ...]]
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    french: bool = False

    def column(self, canonical: str) -> str:
        """Return a column's name as the file writes it (or would, when it is missing)."""
        if canonical in self.headers:
            return self.headers[canonical]
        return self.columns[canonical][0] if self.french else canonical


def _key(text: str) -> str:
    """Return a column name as compared: no accents, lower case, underscores."""
    return normalise(text).replace(" ", "_")


def _cell(value) -> str:
    """Return a spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # A computed cell may hold 1234.5600000000001: read it as the 1234.56 it shows.
        if abs(value - round(value, 2)) < 1e-6:
            return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).strip()


def _xlsx_records(content: bytes):
    """Yield the rows of a workbook's first sheet as text."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in values]
    finally:
        workbook.close()


def _text(content: bytes) -> str | None:
    """Decode a CSV: UTF-8 (with or without BOM), else Windows-1252 as older Excel saves."""
    if b"\x00" in content:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not CONTROL.search(text):
            return text
    return None


def _csv_records(text: str):
    """Yield the records of a CSV, guessing its delimiter from the header."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [value.strip() for value in record]


def _records(name: str, content: bytes):
    """Return the rows of a file as an iterator of lists of text, or None when it is not a
    spreadsheet; raise TooManyRows, before reading them, for a workbook over the limit."""
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    return None
                _check_workbook_size(archive)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            return None
        return _guarded(_xlsx_records(content))
    text = _text(content)
    if text is None:
        return None
    return _guarded(_csv_records(text))


def _check_workbook_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would inflate past what a real one does, or whose sheets hold
    more rows than the limit, counting their row tags as they inflate (never all at once)."""
    members = archive.infolist()
    if sum(member.file_size for member in members) > XLSX_MAX_INFLATED:
        raise TooManyRows
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        rows, tag = 0, None
        with archive.open(member) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                if tag is None:
                    # The sheet's own spelling of a row tag (`<row`, or `<x:row` when prefixed),
                    # then counted at the speed of bytes.count, chunk by chunk (a tag cut
                    # between two chunks is missed: the exact count is made while reading).
                    found = ROW_TAG.search(chunk)
                    if found is None:
                        continue
                    tag = found.group()[:-1]
                rows += chunk.count(tag + b" ") + chunk.count(tag + b">")
                if rows > MAX_ROWS:
                    raise TooManyRows


def _guarded(records):
    """Yield records, in a way that a damaged file ends the reading instead of failing."""
    try:
        yield from records
    except csv.Error:
        raise _Unreadable from None
    except TooManyRows:
        raise
    except Exception:  # noqa: BLE001 (a damaged upload may fail anywhere in openpyxl)
        raise _Unreadable from None


class _Unreadable(Exception):
    """The file broke while its rows were read."""


def _numbered(records):
    """Return the non-empty records with their row numbers; stop past the row limit."""
    numbered = []
    for number, cells in enumerate(records, start=1):
        if any(cells):
            numbered.append((number, cells))
            if len(numbered) > MAX_ROWS:
                raise TooManyRows
    return numbered


def _header(sheet: Sheet, cells: list[str], required) -> list[Problem]:
    """Match the header's columns to canonical names; return its problems."""
    aliases = {_key(alias): canonical for canonical, names in sheet.columns.items()
               for alias in (canonical, *names)}
    french = {_key(names[0]) for canonical, names in sheet.columns.items()
              if _key(names[0]) != canonical}
    problems, french_count = [], 0
    for position, text in enumerate(cells):
        if not text:
            continue
        canonical = aliases.get(_key(text))
        if canonical is None:
            problems.append(Problem(1, text, text, _("colonne inconnue"),
                                    closest_text(_key(text), aliases), sheet.name))
        elif canonical in sheet.headers:
            problems.append(Problem(1, text, text, _("colonne en double")))
        else:
            sheet.headers[canonical] = text
            sheet.positions[canonical] = position
            french_count += _key(text) in french
    sheet.french = french_count * 2 > len(sheet.headers)
    if not sheet.headers:
        return [Problem(1, "", "", _("aucune colonne reconnue : ce n'est pas un fichier "
                                     "d'import"), file=sheet.name)]
    for canonical in required:
        if canonical not in sheet.headers:
            problems.append(Problem(1, sheet.column(canonical), "",
                                    _("colonne obligatoire absente"), file=sheet.name))
    return [Problem(p.row, p.column, p.value, p.reason, p.closest, sheet.name)
            for p in problems]


def read_sheet(name: str, content: bytes, columns: dict, required: tuple
               ) -> tuple[Sheet, list[Problem]]:
    """Read a file's header and rows; return the sheet and the problems of the file itself."""
    sheet = Sheet(name, columns)
    if not content.strip():
        return sheet, [Problem(1, "", "", _("le fichier est vide"), file=name)]
    unreadable = [Problem(1, "", "", _("le fichier n'est ni un CSV (UTF-8, virgule ou "
                                       "point-virgule) ni un classeur XLSX"), file=name)]
    try:
        records = _records(name, content)
        if records is None:
            return sheet, unreadable
        numbered = _numbered(records)
    except TooManyRows:
        return sheet, [Problem(1, "", "", _("le fichier a plus de %(count)d lignes",
                                            count=MAX_ROWS), file=name)]
    except _Unreadable:
        return sheet, unreadable
    if not numbered:
        return sheet, [Problem(1, "", "", _("le fichier est vide"), file=name)]
    (_number, cells), *data = numbered
    problems = _header(sheet, cells, required)
    if not data and sheet.headers:
        problems.append(Problem(1, "", "", _("le fichier n'a aucune ligne de données"),
                                file=name))
    if not sheet.headers:
        return sheet, problems
    width = len(numbered[0][1])
    for number, cells in data:
        row = {canonical: cells[position] if position < len(cells) else ""
               for canonical, position in sheet.positions.items()}
        extra = [value for value in cells[width:] if value]
        if extra:
            problems.append(Problem(number, "", extra[0], _("valeur sans colonne"),
                                    file=name))
        sheet.rows.append((number, row))
    return sheet, problems
