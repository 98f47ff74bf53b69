"""The report as CSV, XLSX and JSON files, each table as the HTML page shows it."""

import csv
import io
import json
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook

from caseflow.reports.labels import tables

# A cell a spreadsheet would run as a formula is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_json(figures: dict) -> bytes:
    """Return the figures as JSON (counts as integers, money as strings)."""
    return json.dumps(figures, ensure_ascii=False, indent=2).encode("utf-8")


def to_csv(figures: dict) -> bytes:
    """Return every table in one CSV: table, code, label, value, previous value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["tableau", "code", "libellé", "valeur", "période précédente"])
    for table in tables(figures):
        for row in table.rows:
            writer.writerow([safe_cell(table.title), safe_cell(row.code), safe_cell(row.label),
                             row.value, row.previous])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def to_xlsx(figures: dict) -> bytes:
    """Return a workbook with one sheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables(figures):
        sheet = workbook.create_sheet(table.sheet)
        sheet.append([table.title])
        sheet.append(["Code", "Libellé", "Valeur", "Période précédente"])
        for row in table.rows:
            sheet.append([safe_cell(row.code), safe_cell(row.label),
                          _number(row.value), _number(row.previous)])
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 60
        sheet.column_dimensions["C"].width = 16
        sheet.column_dimensions["D"].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value):
    """Money arrives as text with two decimals; the sheet gets it as an exact number."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return safe_cell(value)
    return value
