"""Checking every row of the interventions file, and gathering the rows of each dossier.

Rows with the same `dossier` reference form one dossier: a dossier column left empty on a
row takes the value the other rows give; two rows that give different values disagree.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from caseflow.database import hub_today
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW
from caseflow.imports.catalogue import Catalogue, email_key
from caseflow.imports.problems import Problem
from caseflow.imports.reading import Sheet
from caseflow.imports.values import ValueProblem, parse_count, parse_date, split_list

DOSSIER_LISTS = ("territory", "sector", "stage", "legal_form", "promoter_gender", "origin")
REQUIRED_DOSSIER = ("title", "opened_on", *DOSSIER_LISTS)
# Columns whose meaning depends on the dossier's workflow, read once it is known.
WORKFLOW_COLUMNS = ("protocol_objectives", "state", "outcome")
# The column that gives each field the engine may require of an imported dossier.
REQUIRED_COLUMNS = {"outcome": "outcome", "objectives": "protocol_objectives"}
MAX_REFERENCE = 20
MAX_TITLE = 200
MAX_MINUTES = 24 * 60
INVALID = object()


def missing_reason() -> str:
    """Return the reason given for an empty required value."""
    return _("valeur obligatoire manquante")


@dataclass
class Cell:
    """A value of one column, as a row writes it and as it was read."""
    row: int
    text: str
    value: object


@dataclass
class DossierSpec:
    """What the rows of one reference say about its dossier."""

    reference: str
    first_row: int
    cells: dict[str, Cell] = field(default_factory=dict)
    deferred: list[tuple[int, str, str]] = field(default_factory=list)
    last_date: date | None = None

    def value(self, name: str, default=None):
        """Return a column's value for the dossier, or a default when no row gives one."""
        cell = self.cells.get(name)
        return default if cell is None or cell.value is INVALID else cell.value


@dataclass
class InterventionSpec:
    """One checked intervention row, ready to write."""
    reference: str
    row: int
    occurred_on: date
    kind: str
    minutes: int | None
    notes: str
    subjects: tuple[str, ...]
    referred_to: tuple[str, ...]

    def key(self) -> tuple:
        """Return what makes this intervention the same as one already recorded."""
        return (self.reference, self.occurred_on, self.kind, self.minutes, self.notes,
                frozenset(self.subjects))


class InterventionRows:
    """Read the interventions file into dossiers and interventions, collecting problems."""

    def __init__(self, sheet: Sheet, catalogue: Catalogue, today: date | None = None):
        """Prepare to read an interventions sheet against the catalogue."""
        self.sheet, self.catalogue = sheet, catalogue
        self.today = today or hub_today()
        self.problems: list[Problem] = []
        self.dossiers: dict[str, DossierSpec] = {}
        self.interventions: list[InterventionSpec] = []

    def problem(self, row: int, column: str, value: str, reason: str, closest: str = ""):
        """Note a problem at a row and a column (by canonical name)."""
        self.problems.append(Problem(row, self.sheet.column(column), value, reason, closest,
                                     self.sheet.name))

    def missing(self, row: int, column: str) -> None:
        """Note an empty required value, unless the whole column is missing (said once)."""
        if column in self.sheet.headers:
            self.problem(row, column, "", missing_reason())

    def read(self) -> "InterventionRows":
        """Check every row, then every dossier the rows form."""
        for number, row in self.sheet.rows:
            self._row(number, row)
        for spec in self.dossiers.values():
            self._dossier(spec)
        return self

    def _parse(self, number: int, name: str, text: str, parse):
        """Return a cell's value, or INVALID after noting why it cannot be read."""
        try:
            return parse(text)
        except ValueProblem as problem:
            self.problem(number, name, text, problem.reason, problem.closest)
            return INVALID

    def _code(self, matcher_name: str):
        """Return the function that finds a code in one of the catalogue's lists."""
        return self.catalogue.matchers[matcher_name].code

    def _dossier_parser(self, name: str):
        """Return the function that reads a dossier column."""
        if name == "title":
            return self._title
        if name == "opened_on":
            return lambda text: parse_date(text, self.today)
        if name == "advisor_email":
            return lambda text: self.catalogue.advisors[self._code("advisor_email")(
                email_key(text))].id
        return self._code(name)

    @staticmethod
    def _title(text: str) -> str:
        """Return a title, refusing one longer than the column holds."""
        if len(text) > MAX_TITLE:
            raise ValueProblem(_("dépasse %(count)d caractères", count=MAX_TITLE))
        return text

    def _offer(self, spec: DossierSpec, name: str, cell: Cell) -> None:
        """Keep the first value a dossier's rows give for a column; refuse a different one."""
        first = spec.cells.get(name)
        if first is None:
            spec.cells[name] = cell
        elif INVALID not in (first.value, cell.value) and first.value != cell.value:
            self.problem(cell.row, name, cell.text,
                         _("ne concorde pas avec la ligne %(row)d du même dossier",
                           row=first.row), first.text)

    def _row(self, number: int, row: dict[str, str]) -> None:
        """Check one row: its dossier columns and its intervention."""
        reference = row.get("dossier", "")
        spec = None
        if not reference:
            self.missing(number, "dossier")
        elif len(reference) > MAX_REFERENCE:
            self.problem(number, "dossier", reference,
                         _("dépasse %(count)d caractères", count=MAX_REFERENCE))
        else:
            spec = self.dossiers.setdefault(reference, DossierSpec(reference, number))
        for name in ("title", "opened_on", *DOSSIER_LISTS, "workflow", "advisor_email"):
            text = row.get(name, "")
            if text:
                value = self._parse(number, name, text, self._dossier_parser(name))
                if spec is not None:
                    self._offer(spec, name, Cell(number, text, value))
        if spec is not None:
            spec.deferred += [(number, name, row[name]) for name in WORKFLOW_COLUMNS
                              if row.get(name)]
        intervention = self._intervention(number, row, reference)
        if spec is not None and intervention is not None:
            self.interventions.append(intervention)
            spec.last_date = max(filter(None, (spec.last_date, intervention.occurred_on)))

    def _intervention(self, number: int, row: dict[str, str], reference: str):
        """Return the row's intervention, or None when a part of it is wrong."""
        occurred_on = INVALID
        if not row.get("intervention_date"):
            self.missing(number, "intervention_date")
        else:
            occurred_on = self._parse(number, "intervention_date", row["intervention_date"],
                                      lambda text: parse_date(text, self.today))
        kind = "meeting"
        if row.get("kind"):
            kind = self._parse(number, "kind", row["kind"], self._code("kind"))
        minutes = None
        if row.get("minutes"):
            minutes = self._parse(number, "minutes", row["minutes"],
                                  lambda text: parse_count(text, MAX_MINUTES))
        subjects = [self._parse(number, "subjects", item, self._code("subject"))
                    for item in split_list(row.get("subjects", ""))]
        if not subjects:
            self.missing(number, "subjects")
        referred_to = [self._parse(number, "referred_to", item, self._code("organisation"))
                       for item in split_list(row.get("referred_to", ""))]
        parts = [occurred_on, kind, minutes, *subjects, *referred_to]
        if not subjects or INVALID in parts:
            return None
        return InterventionSpec(reference, number, occurred_on, kind, minutes,
                                row.get("notes", "").strip(), tuple(sorted(set(subjects))),
                                tuple(dict.fromkeys(referred_to)))

    def _dossier(self, spec: DossierSpec) -> None:
        """Check a dossier once all its rows are read."""
        for name in REQUIRED_DOSSIER:
            if name not in spec.cells:
                self.missing(spec.first_row, name)
        workflow = spec.value("workflow", DEFAULT_WORKFLOW)
        if "workflow" not in spec.cells:
            spec.cells["workflow"] = Cell(spec.first_row, "", DEFAULT_WORKFLOW)
        if spec.cells["workflow"].value is INVALID:
            return
        for number, name, text in spec.deferred:
            self._offer(spec, name, Cell(number, text, self._workflow_value(
                number, name, text, workflow)))
        self._placement(spec, workflow)

    def _workflow_value(self, number: int, name: str, text: str, workflow: str):
        """Read an objectives, state or outcome cell against the dossier's workflow."""
        kind = {"protocol_objectives": "objective"}.get(name, name)
        reasons = {
            "objective": _("n'est pas un objectif du parcours « %(workflow)s »",
                           workflow=workflow),
            "state": _("n'est pas une étape du parcours « %(workflow)s »", workflow=workflow),
            "outcome": _("n'est pas un bilan du parcours « %(workflow)s »", workflow=workflow),
        }
        matcher = self.catalogue.workflow_matcher(workflow, kind)
        items = split_list(text) if kind == "objective" else [text]
        codes = set()
        for item in items:
            try:
                codes.add(matcher.code(item))
            except ValueProblem as problem:
                self.problem(number, name, item, reasons[kind], problem.closest)
                return INVALID
        return frozenset(codes) if kind == "objective" else codes.pop()

    def _placement(self, spec: DossierSpec, workflow: str) -> None:
        """Refuse a state the engine does not let an imported dossier start in, and require
        what the engine says a dossier there must carry (an outcome, objectives)."""
        definition = self.catalogue.definitions[workflow]
        state = spec.cells.get("state")
        if state is not None and state.value is INVALID:
            return
        placement = self.catalogue.placement(workflow, state.value if state else definition.initial)
        row, text = (state.row, state.text) if state else (spec.first_row, definition.initial)
        if not placement.allowed:
            self.problem(row, "state", text, _("n'est pas une étape du parcours « %(workflow)s »",
                                               workflow=workflow))
            return
        outcome = spec.cells.get("outcome")
        if "outcome" in placement.requires and outcome is None:
            self.problem(row, "outcome", "",
                         _("un dossier à l'étape « %(state)s » doit avoir un bilan", state=text))
        if "outcome" not in placement.requires and outcome is not None \
                and outcome.value is not INVALID:
            self.problem(outcome.row, "outcome", outcome.text,
                         _("un bilan ne s'inscrit que pour un dossier fermé"))
        if "objectives" in placement.requires and not spec.value(REQUIRED_COLUMNS["objectives"]):
            self.problem(row, "protocol_objectives", "",
                         _("un dossier fermé de ce parcours doit nommer ses objectifs"))
