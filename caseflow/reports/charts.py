"""Bar charts drawn as SVG on the server: no script, printable, readable by screen readers."""

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 220
CHART_WIDTH = 560


def bars(rows: list[tuple[str, int]], title: str) -> Markup:
    """Return an SVG horizontal bar chart of (label, count) rows."""
    rows = [row for row in rows if row[1]] or rows
    largest = max((count for _label, count in rows), default=0) or 1
    height = BAR_HEIGHT * len(rows) + 8
    parts = [f'<svg class="report-chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
             f'width="100%" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    room = CHART_WIDTH - LABEL_WIDTH - 40
    for index, (label, count) in enumerate(rows):
        y = index * BAR_HEIGHT + 4
        width = round(room * count / largest)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" '
                     f'font-size="12" fill="#212529">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="16" '
                     f'rx="2" fill="#0d6efd"></rect>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}" font-size="12" '
                     f'fill="#212529">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
