"""Bar charts of the dashboard, drawn as SVG on the server: each bar links to its list."""

from markupsafe import Markup, escape

from caseflow.i18n import colon

BAR_HEIGHT = 24
LABEL_WIDTH = 230
CHART_WIDTH = 560


def linked_bars(rows: list[tuple[str, int, str]], title: str) -> Markup:
    """Return an SVG horizontal bar chart of (label, count, url) rows; no script needed."""
    if not rows:
        return Markup("")
    largest = max(count for _label, count, _url in rows) or 1
    height = BAR_HEIGHT * len(rows) + 8
    parts = [f'<svg class="report-chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
             f'width="100%" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    room = CHART_WIDTH - LABEL_WIDTH - 50
    for index, (label, count, url) in enumerate(rows):
        y = index * BAR_HEIGHT + 4
        width = round(room * count / largest)
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<a href="{escape(url)}"><title>{escape(label)}{colon()}{count}</title>'
                     f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" '
                     f'font-size="12" fill="#212529">{escape(short)}</text>'
                     f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(width, 1)}" height="16" '
                     f'rx="2" fill="#0d6efd"></rect>'
                     f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}" font-size="12" '
                     f'fill="#212529">{count}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
