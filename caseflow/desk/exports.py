"""Lists as CSV and XLSX files, their cells neutralised as the report's are."""

import csv
import io

from flask import Response
from openpyxl import Workbook

from caseflow.reports.exports import safe_cell

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_csv(header: list[str], rows) -> bytes:
    """Return the rows as a CSV (semicolons, BOM so Excel reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows, title: str) -> bytes:
    """Return the rows as a one-sheet workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(kind: str, name: str, header: list[str], rows) -> Response:
    """Answer with the rows as a CSV or XLSX attachment."""
    rows = list(rows)
    body = to_csv(header, rows) if kind == "csv" else to_xlsx(header, rows, name)
    response = Response(body, content_type=CONTENT_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response
