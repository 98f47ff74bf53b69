"""Report periods: a fiscal year (April 1 to March 31, "2017-2018") or any date range."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from caseflow.database import HUB_TIME_ZONE

FISCAL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|:|/| au | to )\s*(\d{4}-\d{2}-\d{2})$")


EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


class PeriodError(ValueError):
    """The text names no period."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """Name the period as the hub does: 2017-2018 for a fiscal year, else the dates."""
        if self.start == date(self.start.year, 4, 1) and \
                self.end == date(self.start.year + 1, 3, 31):
            return f"{self.start.year}-{self.start.year + 1}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> "Period":
        """Return the period of the same length just before, or the previous fiscal year."""
        if self.label == f"{self.start.year}-{self.start.year + 1}":
            return fiscal_year(self.start.year - 1)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Return [start, end) in UTC, the period's days being the hub's local days."""
        start = datetime.combine(self.start, time(0), tzinfo=HUB_TIME_ZONE).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=HUB_TIME_ZONE)
        return start, end.astimezone(UTC)


def fiscal_year(first_year: int) -> Period:
    """Return the fiscal year that starts on April 1 of a year."""
    return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31))


def fiscal_year_of(day: date) -> Period:
    """Return the fiscal year a day falls in."""
    return fiscal_year(day.year if day.month >= 4 else day.year - 1)


def parse_period(text: str) -> Period:
    """Read "2017-2018" or "2017-04-01..2018-03-31" (also with ":" or " au ")."""
    text = (text or "").strip()
    match = FISCAL_YEAR.match(text)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1 or not 1990 <= first <= 2100:
            raise PeriodError(text)
        return fiscal_year(first)
    match = RANGE.match(text)
    if match:
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise PeriodError(text) from None
        if end < start or (end - start).days > 3660 or start < EARLIEST or end > LATEST:
            raise PeriodError(text)
        return Period(start, end)
    raise PeriodError(text)
