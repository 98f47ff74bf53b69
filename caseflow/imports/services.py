"""Importing files: read, check everything, and write only a file without any problem.

A dossier is matched by its reference, an intervention by (dossier, date, kind, minutes,
notes, subjects), a referral by (dossier, organisation, date sent), a financing line by
(dossier, fund, organisation, decision, date, amounts): what is already recorded is not
written again, so importing the same file twice changes nothing. Nothing here commits.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from caseflow.database import HUB_TIME_ZONE
from caseflow.dossiers.models import Dossier
from caseflow.errors import Conflict
from caseflow.extensions import db
from caseflow.imports.catalogue import Catalogue, email_key
from caseflow.imports.financing_rows import FinancingRows, FinancingSpec
from caseflow.imports.problems import Problem, sorted_problems
from caseflow.imports.reading import (
    FINANCING_COLUMNS,
    FINANCING_REQUIRED,
    INTERVENTION_COLUMNS,
    INTERVENTION_REQUIRED,
    read_sheet,
)
from caseflow.imports.rows import (
    DOSSIER_LISTS,
    INVALID,
    DossierSpec,
    InterventionRows,
    InterventionSpec,
)
from caseflow.imports.writing import write

# Facts of a dossier already in the database that a file must not contradict; its step and
# outcome are left out, since the dossier may have moved on since the file was made.
COMPARED = ("title", "opened_on", *DOSSIER_LISTS, "workflow", "advisor_email",
            "protocol_objectives")
CHUNK = 500


@dataclass
class Upload:
    """A file as received: its name and its bytes."""
    name: str
    content: bytes


@dataclass
class Plan:
    """What a clean file adds to the database."""

    new_dossiers: list[DossierSpec] = field(default_factory=list)
    existing: dict[str, Dossier] = field(default_factory=dict)
    interventions: list[InterventionSpec] = field(default_factory=list)
    referrals: list[tuple[str, str, date]] = field(default_factory=list)
    financing: list[FinancingSpec] = field(default_factory=list)


@dataclass
class ImportResult:
    """The problems found, or how many of each thing were (or would be) created."""

    problems: list[Problem]
    rows: int = 0
    dossiers: int = 0
    interventions: int = 0
    referrals: int = 0
    financing_lines: int = 0
    written: bool = False

    @property
    def changes(self) -> int:
        """Return how many rows the import adds in all."""
        return self.dossiers + self.interventions + self.referrals + self.financing_lines


def run_import(interventions: Upload, financing: Upload | None = None, *, actor=None,
               dry_run: bool = False, today: date | None = None) -> ImportResult:
    """Check both files and, unless only asked to check or a problem is found, write them
    (flushed, not committed: the caller commits once)."""
    sheet, problems = read_sheet(interventions.name, interventions.content,
                                 INTERVENTION_COLUMNS, INTERVENTION_REQUIRED)
    financing_sheet = None
    if financing is not None:
        financing_sheet, more = read_sheet(financing.name, financing.content,
                                           FINANCING_COLUMNS, FINANCING_REQUIRED)
        problems += more
    files = [interventions.name] + ([financing.name] if financing else [])
    catalogue = Catalogue.load()
    rows = InterventionRows(sheet, catalogue, today).read()
    wanted = set(rows.dossiers)
    if financing_sheet is not None:
        wanted |= {row.get("dossier", "") for _number, row in financing_sheet.rows}
    existing = _existing(wanted - {""})
    _contradictions(rows, existing)
    problems += rows.problems
    lines = []
    if financing_sheet is not None:
        checked = FinancingRows(financing_sheet, catalogue, set(rows.dossiers) | set(existing),
                                today).read()
        problems += checked.problems
        lines = checked.lines
    result = ImportResult(sorted_problems(problems, files), rows=len(sheet.rows))
    if result.problems:
        return result
    plan = _plan(rows, lines, existing)
    result.dossiers, result.interventions = len(plan.new_dossiers), len(plan.interventions)
    result.referrals, result.financing_lines = len(plan.referrals), len(plan.financing)
    if not dry_run and result.changes:
        try:
            write(plan, catalogue, actor, source="Import : " + ", ".join(files))
        except IntegrityError:
            raise Conflict(_("Ces dossiers ont été créés ou modifiés pendant l'import; rien "
                             "n'a été enregistré. Réessayez.")) from None
        result.written = True
    return result


def _existing(references: set[str]) -> dict[str, Dossier]:
    """Load the dossiers already recorded under these references, with what they hold."""
    found, ordered = {}, sorted(references)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for dossier in db.session.scalars(select(Dossier).where(Dossier.reference.in_(chunk))):
            found[dossier.reference] = dossier
    return found


def _recorded(dossier: Dossier, name: str):
    """Return a dossier's value of a column, as the file's rows are read."""
    if name in DOSSIER_LISTS:
        return getattr(dossier, name).code
    if name == "advisor_email":
        return dossier.advisor_id
    if name == "protocol_objectives":
        return frozenset(dossier.protocol_objectives)
    return getattr(dossier, name)


def _shown(dossier: Dossier, name: str) -> str:
    """Return a dossier's recorded value as text, to show beside the file's."""
    value = _recorded(dossier, name)
    if name == "advisor_email":
        return email_key(dossier.advisor.email) if dossier.advisor else ""
    if name == "protocol_objectives":
        return "; ".join(sorted(value))
    return value.isoformat() if isinstance(value, date) else str(value)


def _contradictions(rows: InterventionRows, existing: dict[str, Dossier]) -> None:
    """Refuse a reference already recorded for a dossier the file describes otherwise."""
    for reference, spec in rows.dossiers.items():
        dossier = existing.get(reference)
        if dossier is None:
            continue
        for name in COMPARED:
            cell = spec.cells.get(name)
            if cell is None or not cell.text or cell.value is INVALID:
                continue
            if cell.value != _recorded(dossier, name):
                rows.problem(cell.row, name, cell.text,
                             _("diffère du dossier %(reference)s déjà enregistré",
                               reference=reference), _shown(dossier, name))


def _local_date(moment) -> date:
    """Return the hub's calendar day of a moment."""
    return moment.astimezone(HUB_TIME_ZONE).date()


def _plan(rows: InterventionRows, lines: list[FinancingSpec],
          existing: dict[str, Dossier]) -> Plan:
    """Keep what the database does not hold yet, counting repeated rows as repeated."""
    plan = Plan(existing=existing)
    plan.new_dossiers = [spec for ref, spec in rows.dossiers.items() if ref not in existing]
    held, lines_held, referred = Counter(), Counter(), set()
    for reference, dossier in existing.items():
        for item in dossier.interventions:
            held[(reference, item.occurred_on, item.kind, item.minutes, item.notes,
                  frozenset(subject.code for subject in item.subjects))] += 1
        for referral in dossier.referrals:
            referred.add((reference, referral.organisation.code, _local_date(referral.sent_at)))
        for line in dossier.financing_lines:
            lines_held[(reference, line.fund.code,
                        line.organisation.code if line.organisation else None, line.decision,
                        line.decided_on, line.amount_requested, line.amount_authorised,
                        line.investment)] += 1
    for spec in rows.interventions:
        if held[spec.key()] > 0:
            held[spec.key()] -= 1
        else:
            plan.interventions.append(spec)
        for organisation in spec.referred_to:
            key = (spec.reference, organisation, spec.occurred_on)
            if key not in referred:
                referred.add(key)
                plan.referrals.append(key)
    for line in lines:
        if lines_held[line.key()] > 0:
            lines_held[line.key()] -= 1
        else:
            plan.financing.append(line)
    return plan
