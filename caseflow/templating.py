"""What every template can use: money, dates, the locale and labels. Plumbing only: each
slice adds its own template globals in its `init_app`."""

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_datetime

from caseflow.database import HUB_TIME_ZONE, hub_today
from caseflow.i18n import language
from caseflow.money import format_amount


def init_app(app) -> None:
    app.add_template_filter(_local_time, "local_time")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_money, "money")
    app.add_template_filter(_tenths, "tenths")
    app.add_template_filter(label, "label")
    app.add_template_global(label, "label")
    app.add_template_global(_file_size, "file_size")
    app.add_template_global(hub_today, "today_date")
    app.add_template_global(_days_since, "days_since")
    app.add_template_global(current_locale, "current_locale")


def label(item) -> str:
    """Return an item's label (a workflow state, an outcome...) in the request's language."""
    if item is None:
        return ""
    return item.label_en if language() == "en" else item.label_fr


def current_locale() -> str:
    """Return the locale code the language form and the html tag use."""
    return "en" if language() == "en" else "fr_CA"


def _tenths(value) -> str:
    """Show a figure to one decimal in the reader's language (3,5 / 3.5); a dash for none."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text if language() == "en" else text.replace(".", ",")


def _money(value) -> str:
    """Show an amount in the reader's language: 94 115 $ in French, $94,115 in English."""
    if value is None:
        return ""
    if language() != "en":
        return format_amount(value)
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    cents = value != value.to_integral_value()
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{2 if cents else 0}f}"


def _file_size(size: int) -> str:
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _local_time(value) -> str:
    """Show a UTC timestamp in the hub's time zone."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _day(value) -> str:
    """Show a date the Québec way (AAAA-MM-JJ)."""
    return value.isoformat() if value else ""


def _days_since(moment) -> int:
    """Count the hub's calendar days since a moment: 0 the same day, never fewer."""
    if not moment:
        return 0
    return max((hub_today() - moment.astimezone(HUB_TIME_ZONE).date()).days, 0)
