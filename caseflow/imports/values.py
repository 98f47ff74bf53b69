"""Reading one cell: codes or labels ignoring case and accents, dates, amounts, counts."""

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from rapidfuzz import fuzz, process

from caseflow.database import hub_today
from caseflow.money import AmountError, parse_amount

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
QUEBEC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
SPACES = re.compile(r"[\s\u00a0\u202f]+")
SEPARATORS = re.compile(r"[\s_\-\u00a0\u202f]+")
# No dossier of the hub is older than this: an earlier date is a typing mistake.
EARLIEST = date(1950, 1, 1)
# A guess this far from the value is no help to the person who typed it.
CLOSEST_CUTOFF = 0.3
# How many refused values of one file get a closest guess: past that, the report names
# the values without one, so a file of thousands of unknown dossiers still answers at once.
CLOSEST_SEARCHES = 200


class ValueProblem(ValueError):
    """The cell cannot be read; the message says why, in French, to follow the value."""

    def __init__(self, reason: str, closest: str = ""):
        """Keep the reason and the closest valid value."""
        super().__init__(reason)
        self.reason = reason
        self.closest = closest


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Return text as compared: no accents, case folded, one space for any separator."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return SEPARATORS.sub(" ", plain).strip()


class Matcher:
    """Find the code a person meant, by its code or one of its labels."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        """Index every code and label by its compared form."""
        self._codes: dict[str, str] = {}
        for code, labels in entries:
            for text in (code, *labels):
                if text:
                    self._codes.setdefault(normalise(text), code)
        self._keys = list(self._codes)
        self._closest: dict[str, str] = {}  # a file repeats its mistakes: search each once

    def code(self, text: str) -> str:
        """Return the code of a value, or raise ValueProblem naming the closest one."""
        found = self._codes.get(normalise(text))
        if found is None:
            raise ValueProblem(_("inconnu"), self.closest(text))
        return found

    def closest(self, text: str) -> str:
        """Return the code closest to a value, or an empty string when none is close."""
        key = normalise(text)
        if key not in self._closest:
            guesses = difflib.get_close_matches(key, self._keys, n=1, cutoff=CLOSEST_CUTOFF)
            self._closest[key] = self._codes[guesses[0]] if guesses else ""
        return self._closest[key]


def closest_text(text: str, choices: Iterable[str]) -> str:
    """Return the choice closest to a value (e.g. a dossier reference), or empty."""
    found = process.extractOne(text, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return found[0] if found else ""


class Suggestions:
    """The closest choice for each refused value, searched at most `limit` times a file."""

    def __init__(self, choices: Iterable[str], limit: int = CLOSEST_SEARCHES):
        """Keep the choices once, for every search."""
        self.choices, self.limit = list(choices), limit
        self.found: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """Return the closest choice, or empty once the file has had its searches."""
        if text not in self.found:
            if len(self.found) >= self.limit:
                return ""
            self.found[text] = closest_text(text, self.choices)
        return self.found[text]


def parse_date(text: str, today: date | None = None) -> date:
    """Return the date written as ISO (2017-04-25) or as JJ/MM/AAAA (25/04/2017)."""
    cleaned = text.strip()
    match = ISO_DATE.fullmatch(cleaned)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = QUEBEC_DATE.fullmatch(cleaned)
        if not match:
            raise ValueProblem(_("n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)"))
        day, month, year = (int(part) for part in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueProblem(_("n'est pas une date qui existe")) from None
    if value > (today or hub_today()):
        raise ValueProblem(_("est dans le futur"))
    if value < EARLIEST:
        raise ValueProblem(_("est antérieure à %(year)d", year=EARLIEST.year))
    return value


def parse_money(text: str) -> Decimal:
    """Return an amount written the Québec way (94 115,00 $) or plainly (94115.00)."""
    try:
        return parse_amount(text)
    except AmountError:
        raise ValueProblem(_("n'est pas un montant valide (positif, par exemple "
                             "12 500,50 $)")) from None


def parse_count(text: str, maximum: int) -> int:
    """Return a whole number between 0 and a maximum (minutes, jobs)."""
    cleaned = SPACES.sub("", text)
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > len(str(maximum)) \
            or int(cleaned) > maximum:
        raise ValueProblem(_("n'est pas un nombre entier entre 0 et %(maximum)d",
                             maximum=maximum))
    return int(cleaned)


def split_list(text: str) -> list[str]:
    """Return the items of a `;`-separated cell, without blanks or repeats."""
    items = []
    for item in text.split(";"):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items
