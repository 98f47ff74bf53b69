"""Recording what was asked of each fund and what was decided, audited on the dossier."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.services import EARLIEST, check_version, flush_or_conflict
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.financing.models import DECISIONS, STAGES, FinancingLine
from caseflow.money import MAXIMUM

MAX_JOBS = 10_000


@dataclass
class FinancingFields:
    fund: object
    decision: str
    amount_requested: Decimal = Decimal("0")
    amount_authorised: Decimal | None = None
    decided_on: date | None = None
    investment: Decimal = Decimal("0")
    jobs_created: int = 0
    jobs_maintained: int = 0
    organisation: object = None
    notes: str = ""
    stage: str | None = None


FIELDS = ("fund", "organisation", "amount_requested", "amount_authorised", "decision",
          "decided_on", "investment", "jobs_created", "jobs_maintained", "notes", "stage")


def _check(fields: FinancingFields) -> None:
    if fields.fund is None:
        raise DomainError(_("Choisissez un fonds ou un programme."), "fund")
    if fields.decision not in DECISIONS:
        raise DomainError(_("Décision inconnue."), "decision")
    if fields.stage is not None and fields.stage not in STAGES:
        raise DomainError(_("Étape de la demande inconnue."), "stage")
    for name in ("amount_requested", "amount_authorised", "investment"):
        value = getattr(fields, name)
        if value is not None and not (Decimal("0") <= value <= MAXIMUM):
            raise DomainError(_("Montant invalide."), name)
    for name in ("jobs_created", "jobs_maintained"):
        if not 0 <= (getattr(fields, name) or 0) <= MAX_JOBS:
            raise DomainError(_("Entrez un nombre d'emplois entre 0 et 10 000."), name)
    if fields.decided_on is not None and fields.decided_on > hub_today():
        raise DomainError(_("La date de décision ne peut pas être dans le futur."), "decided_on")
    if fields.decided_on is not None and fields.decided_on < EARLIEST:
        raise DomainError(_("Cette date est trop ancienne (avant 1950)."), "decided_on")
    if fields.decision != "pending" and fields.decided_on is None:
        raise DomainError(_("Indiquez la date de la décision."), "decided_on")
    if fields.decision == "authorised" and fields.amount_authorised is None:
        raise DomainError(_("Indiquez le montant autorisé."), "amount_authorised")


def _snapshot(line: FinancingLine) -> dict:
    values = {name: getattr(line, name) for name in FIELDS}
    values["fund"] = line.fund.code if line.fund else None
    values["organisation"] = line.organisation.code if line.organisation else None
    return values


def _apply(line: FinancingLine, fields: FinancingFields) -> None:
    for name in FIELDS:
        value = getattr(fields, name)
        setattr(line, name, value.strip() if isinstance(value, str) else value)


def add_line(dossier: Dossier, actor: User, expected_version: int | None,
             fields: FinancingFields) -> FinancingLine:
    """Record an application to a fund on a dossier."""
    check_version(dossier, expected_version)
    _check(fields)
    line = FinancingLine(dossier_id=dossier.id)
    _apply(line, fields)
    dossier.financing_lines.append(line)
    dossier.touch()
    flush_or_conflict(dossier)
    record("financing.added", "financing_line", line.id, actor=actor, dossier_id=dossier.id,
           changes={name: [None, value] for name, value in _snapshot(line).items()})
    flush_or_conflict(dossier)
    return line


def update_line(line: FinancingLine, dossier: Dossier, actor: User,
                expected_version: int | None, fields: FinancingFields) -> dict:
    """Correct a financing line or record its decision."""
    check_version(dossier, expected_version)
    _check(fields)
    before = _snapshot(line)
    _apply(line, fields)
    after = _snapshot(line)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        dossier.touch()
        flush_or_conflict(dossier)
        record("financing.edited", "financing_line", line.id, actor=actor,
               dossier_id=dossier.id, changes=changes)
        flush_or_conflict(dossier)
    return changes


def remove_line(line: FinancingLine, dossier: Dossier, actor: User,
                expected_version: int | None) -> None:
    """Remove a financing line entered by mistake; the audit log keeps what it said."""
    check_version(dossier, expected_version)
    before, identifier = _snapshot(line), line.id
    dossier.financing_lines.remove(line)
    db.session.delete(line)
    dossier.touch()
    flush_or_conflict(dossier)
    record("financing.removed", "financing_line", identifier, actor=actor,
           dossier_id=dossier.id, changes={name: [value, None] for name, value in before.items()})
    flush_or_conflict(dossier)


def totals(lines: list[FinancingLine]) -> dict:
    """Return the sums shown under a dossier's financing lines."""
    authorised = [line for line in lines if line.decision == "authorised"]
    return {
        "requested": sum((line.amount_requested for line in lines), Decimal("0")),
        "authorised": sum((line.amount_authorised or Decimal("0") for line in authorised),
                          Decimal("0")),
        "investment": sum((line.investment for line in authorised), Decimal("0")),
        "jobs_created": sum(line.jobs_created for line in authorised),
        "jobs_maintained": sum(line.jobs_maintained for line in authorised),
    }
