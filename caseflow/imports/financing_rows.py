"""Checking every row of the financing file, with the rules of the financing slice."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from caseflow.database import hub_today
from caseflow.errors import DomainError
from caseflow.financing.services import MAX_JOBS, FinancingFields, _check
from caseflow.imports.catalogue import Catalogue
from caseflow.imports.problems import Problem
from caseflow.imports.reading import Sheet
from caseflow.imports.rows import INVALID, missing_reason
from caseflow.imports.values import (
    Suggestions,
    ValueProblem,
    parse_count,
    parse_date,
    parse_money,
)

AMOUNTS = ("amount_requested", "amount_authorised", "investment")
JOBS = ("jobs_created", "jobs_maintained")


@dataclass
class FinancingSpec:
    """One checked financing line of the file, ready to write."""
    reference: str
    row: int
    fields: FinancingFields

    def key(self) -> tuple:
        """Return what makes this line the same as one already recorded."""
        f = self.fields
        return (self.reference, f.fund.code, f.organisation.code if f.organisation else None,
                f.decision, f.decided_on, f.amount_requested, f.amount_authorised,
                f.investment)


class FinancingRows:
    """Read the financing file into lines, collecting problems."""

    def __init__(self, sheet: Sheet, catalogue: Catalogue, known: set[str],
                 today: date | None = None):
        """Prepare to read a financing sheet against the known dossiers."""
        self.sheet, self.catalogue, self.known = sheet, catalogue, known
        self.closest_dossier = Suggestions(known)
        self.today = today or hub_today()
        self.problems: list[Problem] = []
        self.lines: list[FinancingSpec] = []

    def problem(self, row: int, column: str, value: str, reason: str, closest: str = ""):
        """Note a problem at a row and a column (by canonical name)."""
        self.problems.append(Problem(row, self.sheet.column(column), value, reason, closest,
                                     self.sheet.name))

    def missing(self, row: int, column: str) -> None:
        """Note an empty required value, unless the whole column is missing (said once)."""
        if column in self.sheet.headers:
            self.problem(row, column, "", missing_reason())

    def read(self) -> "FinancingRows":
        """Check every row."""
        for number, row in self.sheet.rows:
            self._row(number, row)
        return self

    def _parse(self, number: int, row: dict, name: str, parse, default=None):
        """Return a cell's value, its default when empty, or INVALID after noting why."""
        text = row.get(name, "")
        if not text:
            return default
        try:
            return parse(text)
        except ValueProblem as problem:
            self.problem(number, name, text, problem.reason, problem.closest)
            return INVALID

    def _item(self, list_name: str, items: dict):
        """Return a parser that turns a code or label into its model."""
        return lambda text: items[self.catalogue.matchers[list_name].code(text)]

    def _row(self, number: int, row: dict[str, str]) -> None:
        """Check one financing row and keep its line when it is clean."""
        reference = row.get("dossier", "")
        if not reference:
            self.missing(number, "dossier")
        elif reference not in self.known:
            self.problem(number, "dossier", reference,
                         _("dossier inconnu : ni dans le fichier des interventions ni dans "
                           "la base"), self.closest_dossier(reference))
        for name in ("fund", "decision"):
            if not row.get(name):
                self.missing(number, name)
        values = {
            "fund": self._parse(number, row, "fund",
                                self._item("fund", self.catalogue.items["fund"])),
            "organisation": self._parse(number, row, "organisation",
                                        self._item("organisation",
                                                   self.catalogue.organisations)),
            "decision": self._parse(number, row, "decision",
                                    self.catalogue.matchers["decision"].code),
            "decided_on": self._parse(number, row, "decided_on",
                                      lambda text: parse_date(text, self.today)),
            "notes": row.get("notes", "").strip(),
            "stage": self._parse(number, row, "stage",
                                 self.catalogue.matchers["application_stage"].code),
        }
        for name in AMOUNTS:
            default = None if name == "amount_authorised" else Decimal("0")
            values[name] = self._parse(number, row, name, parse_money, default)
        for name in JOBS:
            values[name] = self._parse(number, row, name,
                                       lambda text: parse_count(text, MAX_JOBS), 0)
        if INVALID in values.values() or None in (values["fund"], values["decision"]) \
                or reference not in self.known:
            return
        fields = FinancingFields(**values)
        try:
            _check(fields)
        except DomainError as error:
            name = error.field or "decision"
            self.problem(number, name, row.get(name, ""), error.message.rstrip("."))
            return
        self.lines.append(FinancingSpec(reference, number, fields))
