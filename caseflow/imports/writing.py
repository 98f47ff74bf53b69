"""Writing a checked file: rows in bulk, one audit event for each thing created.

Rows are written with the models directly (a few flushes and bulk inserts for the whole
file, no query per row). Each dossier, referral and financing line gets its "….imported"
event on the dossier's audit trail, in the same transaction; the interventions imported on
a dossier share one "intervention.imported" event that lists each of them (id and values):
one event per intervention cost two thirds of a 10 000-row import.
"""

import re
from datetime import UTC, datetime, time

from sqlalchemy import case, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from caseflow.audit.services import Entry, record_many
from caseflow.database import HUB_TIME_ZONE, utcnow
from caseflow.dossiers.models import (
    Counter,
    Dossier,
    DossierObjective,
    Intervention,
    intervention_subject,
)
from caseflow.extensions import db
from caseflow.financing.models import FinancingLine
from caseflow.financing.services import FIELDS as FINANCING_FIELDS
from caseflow.imports.catalogue import Catalogue
from caseflow.imports.rows import DOSSIER_LISTS, REQUIRED_COLUMNS, DossierSpec
from caseflow.referrals.models import Referral

# References the app itself gives (2017-0042): the year's counter must move past them.
APP_REFERENCE = re.compile(r"(\d{4})-(\d{1,6})")


def noon(day) -> datetime:
    """Return noon of a day in the hub's time zone, in UTC (when a past event is dated)."""
    return datetime.combine(day, time(12), tzinfo=HUB_TIME_ZONE).astimezone(UTC)


def _state(spec: DossierSpec, catalogue: Catalogue) -> str:
    """Return the state the engine lets this imported dossier start in, or raise ValueError."""
    workflow = spec.value("workflow")
    state = spec.value("state", catalogue.definitions[workflow].initial)
    placement = catalogue.placement(workflow, state)
    if not placement.allowed:
        # The rows were checked: a state the engine refuses is a bug, not a bad file.
        raise ValueError(f"dossier {spec.reference!r}: workflow {workflow!r} does not let an "
                         f"imported dossier start in state {state!r}")
    missing = sorted(name for name in placement.requires
                     if not spec.value(REQUIRED_COLUMNS.get(name, name)))
    if missing:
        raise ValueError(f"dossier {spec.reference!r}: state {state!r} of workflow "
                         f"{workflow!r} needs {', '.join(missing)}")
    return state


def _dossier(spec: DossierSpec, catalogue: Catalogue) -> Dossier:
    """Return a new dossier built from what its rows say."""
    workflow = spec.value("workflow")
    definition = catalogue.definitions[workflow]
    lists = {f"{name}_id": catalogue.items[name][spec.value(name)].id for name in DOSSIER_LISTS}
    return Dossier(
        reference=spec.reference, title=spec.value("title"), opened_on=spec.value("opened_on"),
        workflow=workflow, workflow_version=definition.version,
        state=_state(spec, catalogue), outcome=spec.value("outcome"),
        state_entered_at=noon(spec.last_date) if spec.last_date else utcnow(),
        advisor_id=spec.value("advisor_email"), **lists,
        objectives=[DossierObjective(code=code)
                    for code in sorted(spec.value("protocol_objectives", ()))])


def _dossier_changes(spec: DossierSpec, dossier: Dossier, catalogue: Catalogue) -> dict:
    """Return the audit changes of an imported dossier, as its opening records them."""
    changes = {name: [None, spec.value(name)] for name in ("title", *DOSSIER_LISTS,
                                                           "opened_on")}
    advisor = next((u for u in catalogue.advisors.values() if u.id == dossier.advisor_id), None)
    changes["advisor"] = [None, advisor.email if advisor else None]
    changes["objectives"] = [None, sorted(spec.value("protocol_objectives", ()))]
    changes["state"] = [None, dossier.state]
    changes["workflow"] = [None, f"{dossier.workflow}@{dossier.workflow_version}"]
    if dossier.outcome:
        changes["outcome"] = [None, dossier.outcome]
    return changes


def _bump_counters(references) -> None:
    """Move each year's reference counter past the references imported for that year."""
    highest: dict[int, int] = {}
    for reference in references:
        match = APP_REFERENCE.fullmatch(reference)
        if match:
            year, number = int(match.group(1)), int(match.group(2))
            highest[year] = max(highest.get(year, 0), number)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for year, number in highest.items():
        name = f"dossier-{year}"
        db.session.execute(insert(Counter).values(name=name, value=0)
                           .on_conflict_do_nothing(index_elements=["name"]))
        db.session.execute(update(Counter).where(Counter.name == name).values(
            value=case((Counter.value < number, number), else_=Counter.value))
            .execution_options(synchronize_session=False))


def _inserted_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows in bulk and return their new ids, in the rows' order.

    PostgreSQL returns them from batched multi-row INSERTs. SQLite would insert one row at
    a time to promise their order; but the transaction that inserted them holds SQLite's
    only write lock, and each new row took the next rowid: they are the table's highest."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(
            insert(model).returning(model.id, sort_by_parameter_order=True), rows))
    session.execute(insert(model), rows)
    return sorted(session.scalars(select(model.id).order_by(model.id.desc()).limit(len(rows))))


def _insert_interventions(plan, ids: dict, authors: dict, catalogue: Catalogue) -> list[int]:
    """Insert the interventions, then their subjects in one statement; return their ids."""
    if not plan.interventions:
        return []
    session = db.session
    now = utcnow()
    rows = [{"dossier_id": ids[spec.reference], "occurred_on": spec.occurred_on,
             "kind": spec.kind, "minutes": spec.minutes, "notes": spec.notes, "private": False,
             "author_id": authors[spec.reference], "created_at": now}
            for spec in plan.interventions]
    new_ids = _inserted_ids(Intervention, rows)
    subjects = catalogue.items["subject"]
    session.execute(insert(intervention_subject), [
        {"intervention_id": new_id, "subject_id": subjects[code].id}
        for new_id, spec in zip(new_ids, plan.interventions, strict=True)
        for code in spec.subjects])
    return new_ids


def _intervention_entries(plan, ids: dict, new_ids: list[int], source: str) -> list[Entry]:
    """Return one event per dossier listing the interventions imported on it."""
    by_dossier: dict[str, list] = {}
    for new_id, spec in zip(new_ids, plan.interventions, strict=True):
        by_dossier.setdefault(spec.reference, []).append({
            "id": new_id, "occurred_on": spec.occurred_on, "kind": spec.kind,
            "minutes": spec.minutes, "notes": spec.notes, "subjects": list(spec.subjects)})
    return [Entry("intervention.imported", "dossier", ids[reference], dossier_id=ids[reference],
                  reason=source, changes={"interventions": created})
            for reference, created in by_dossier.items()]


def write(plan, catalogue: Catalogue, actor, source: str) -> None:
    """Write everything a checked file adds, audited, and flush (the caller commits)."""
    actor_id = actor.id if actor is not None else None
    session = db.session
    new = [(spec, _dossier(spec, catalogue)) for spec in plan.new_dossiers]
    session.add_all(dossier for _spec, dossier in new)
    session.flush()
    ids = {reference: dossier.id for reference, dossier in plan.existing.items()}
    authors = {reference: dossier.advisor_id or actor_id
               for reference, dossier in plan.existing.items()}
    events = []
    for spec, dossier in new:
        ids[spec.reference] = dossier.id
        authors[spec.reference] = dossier.advisor_id or actor_id
        events.append(Entry("dossier.imported", "dossier", dossier.id, dossier_id=dossier.id,
                            changes=_dossier_changes(spec, dossier, catalogue), reason=source))
    new_ids = _insert_interventions(plan, ids, authors, catalogue)
    events += _intervention_entries(plan, ids, new_ids, source)
    referrals = [Referral(dossier_id=ids[reference],
                          organisation_id=catalogue.organisations[organisation].id,
                          reason="", request="", consent_to_share=False,
                          state="sent", sent_by_id=actor_id, sent_at=noon(day))
                 for reference, organisation, day in plan.referrals]
    lines = [FinancingLine(dossier_id=ids[spec.reference], fund_id=spec.fields.fund.id,
                           organisation_id=spec.fields.organisation.id
                           if spec.fields.organisation else None,
                           **{name: getattr(spec.fields, name) for name in FINANCING_FIELDS
                              if name not in ("fund", "organisation")})
             for spec in plan.financing]
    session.add_all(referrals)
    session.add_all(lines)
    session.flush()
    for (_reference, organisation, _day), referral in zip(plan.referrals, referrals,
                                                          strict=True):
        events.append(Entry("referral.imported", "referral", referral.id,
                            dossier_id=referral.dossier_id, reason=source, changes={
                                "organisation": organisation, "state": [None, "sent"],
                                "sent_at": [None, referral.sent_at]}))
    for spec, line in zip(plan.financing, lines, strict=True):
        values = {name: getattr(spec.fields, name) for name in FINANCING_FIELDS}
        values["fund"] = spec.fields.fund.code
        values["organisation"] = spec.fields.organisation.code \
            if spec.fields.organisation else None
        events.append(Entry("financing.imported", "financing_line", line.id,
                            dossier_id=line.dossier_id, reason=source,
                            changes={name: [None, value] for name, value in values.items()}))
    record_many(events, actor=actor)
    touched = {spec.reference for spec in plan.interventions} | \
        {reference for reference, _o, _d in plan.referrals} | \
        {spec.reference for spec in plan.financing}
    for reference in touched & set(plan.existing):
        plan.existing[reference].touch()
    _bump_counters(spec.reference for spec, _dossier in new)
    session.flush()
