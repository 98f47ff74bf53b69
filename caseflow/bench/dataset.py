"""A large, realistic dataset for the benchmark, written with bulk inserts.

The rows respect the model (reference lists, workflow states, referral lifecycle, money
constraints) and the audit log is a valid chain, so every page and `audit verify` work on it.
Everything follows from the seed: two runs with the same seed write the same rows.
"""

import io
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import func, select, update

from caseflow.audit.models import AuditEvent, AuditHead
from caseflow.audit.services import chain_hash, jsonable
from caseflow.auth.models import User
from caseflow.auth.passwords import hash_password
from caseflow.database import HUB_TIME_ZONE
from caseflow.dossiers.models import (
    Counter,
    Dossier,
    Intervention,
    PromoterContact,
    intervention_subject,
)
from caseflow.dossiers.workflows import definition
from caseflow.extensions import db
from caseflow.financing.models import FinancingLine
from caseflow.reference.models import (
    Fund,
    LegalForm,
    Organisation,
    Origin,
    PromoterGender,
    Sector,
    Stage,
    Subject,
    Territory,
)
from caseflow.referrals.models import Referral

WORKFLOW = "accompagnement"
PASSWORD = "banc-essai-2026"
BATCH = 5000

# Per dossier, on average: 5 interventions, 0.3 referral, 0.15 financing line.
INTERVENTIONS_PER_DOSSIER = 5
REFERRAL_SHARE = 0.30
FINANCING_SHARE = 0.15
ADVISORS = 9  # besides the busy advisor who holds about 11 % of the dossiers
BUSY_SHARE = 0.11

# Where the dossiers stand, and how referrals ended (weights).
STATE_WEIGHTS = {"reception": 8, "referral": 4, "constitution": 5, "financing": 4,
                 "follow_up": 9, "closed": 70}
REFERRAL_WEIGHTS = {"sent": 1, "acknowledged": 1, "accepted": 2, "returned": 1,
                    "completed": 5, "withdrawn": 1}
FIRST_NAMES = ("Anne", "Benoît", "Chantal", "Denis", "Élise", "François", "Geneviève",
               "Hugo", "Isabelle", "Jacques", "Karine", "Louis", "Marie", "Nicolas",
               "Odile", "Pierre", "Rachel", "Sylvain", "Thérèse", "Vincent")
LAST_NAMES = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin",
              "Lavoie", "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque")
PROJECT_WORDS = ("Coopérative", "Marché", "Café", "Atelier", "Ressourcerie", "Épicerie",
                 "Centre", "Jardin", "Maison", "Réseau", "Cuisine", "Fermette")
PLACE_WORDS = ("du village", "des Bois-Francs", "solidaire", "de quartier", "du lac",
               "régional", "des aînés", "jeunesse", "collective", "du Centre-du-Québec")


@dataclass(frozen=True)
class People:
    """Who the benchmark logs in as."""

    coordinator: str
    busy_advisor: str
    partner: str
    password: str = PASSWORD


@dataclass
class Counts:
    dossiers: int = 0
    interventions: int = 0
    referrals: int = 0
    financing_lines: int = 0
    audit_events: int = 0


def _ids(model) -> list[int]:
    return list(db.session.scalars(select(model.id).order_by(model.id)))


class _Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.connection = db.session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"

    def write(self, table, rows: list[dict]) -> None:
        if not rows:
            return
        if self.postgresql:
            self._copy(table, rows)
        else:
            for start in range(0, len(rows), BATCH):
                self.connection.execute(table.insert(), rows[start:start + BATCH])

    def _copy(self, table, rows: list[dict]) -> None:
        columns = list(rows[0])
        cursor = self.connection.connection.driver_connection.cursor()
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([_copy_value(row[name]) for name in columns])


def _copy_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


class _Chain:
    """Audit events in sequence, each hashed onto the one before."""

    def __init__(self, key: bytes, start_seq: int, start_hash: str):
        self.key, self.seq, self.hash = key, start_seq, start_hash
        self.rows: list[dict] = []

    def add(self, when: datetime, actor: dict, action: str, entity_type: str, entity_id: int,
            dossier_id: int, changes: dict, reason: str | None = None) -> None:
        self.seq += 1
        event = SimpleNamespace(
            seq=self.seq, occurred_at=when, actor_id=actor["id"], actor_role=actor["role"],
            actor_organisation_id=actor["organisation_id"], action=action,
            entity_type=entity_type, entity_id=entity_id, dossier_id=dossier_id,
            changes=jsonable(changes), reason=reason, request_id=f"bench-{self.seq}")
        event.hash = chain_hash(self.key, self.hash, event)
        row = vars(event).copy()
        row["previous_hash"] = self.hash
        self.rows.append(row)
        self.hash = event.hash


def _moment(day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)),
                             HUB_TIME_ZONE)
    return local.astimezone(UTC)


def _fiscal_start(today: date) -> date:
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def generate(dossiers: int, *, seed: int = 2026, years: int = 10,
             today: date | None = None) -> tuple[People, Counts]:
    """Write `dossiers` dossiers over `years` fiscal years, with their people and history.

    Runs inside the application context; commits in one transaction.
    """
    rng = random.Random(seed)
    today = today or date.today()
    first_day = date(_fiscal_start(today).year - years + 1, 4, 1)
    span = (today - first_day).days
    writer = _Writer()
    counts = Counts()

    refs = {model: _ids(model) for model in (Territory, Sector, Stage, LegalForm, Origin,
                                             PromoterGender, Subject, Fund)}
    subjects = list(db.session.execute(select(Subject.id, Subject.code).order_by(Subject.id)))
    organisations = list(db.session.execute(
        select(Organisation.id, Organisation.code).where(Organisation.active)
        .order_by(Organisation.id)))
    fund_codes = dict(db.session.execute(select(Fund.id, Fund.code)).all())
    organisation_codes = dict(organisations)
    if not all(refs.values()) or not organisations:
        raise RuntimeError("reference lists are empty: run `caseflow init-db` first")

    people, actors = _people(writer, organisations, rng)
    busy, others = actors["advisors"][0], actors["advisors"][1:]

    workflow = definition(WORKFLOW)
    states = list(STATE_WEIGHTS)
    state_weights = list(STATE_WEIGHTS.values())
    outcomes = [choice.code for choice in workflow.outcomes] or [None]
    referral_states = list(REFERRAL_WEIGHTS)
    referral_weights = list(REFERRAL_WEIGHTS.values())
    head = db.session.get(AuditHead, 1)
    chain = _Chain(current_app.config["AUDIT_KEY"].encode("utf-8"),
                   head.seq if head else 0, head.hash if head else "")

    next_id = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1
               for model in (Dossier, PromoterContact, Intervention, Referral, FinancingLine)}
    per_year: dict[int, int] = {}
    for name, value in db.session.execute(select(Counter.name, Counter.value)):
        if name.startswith("dossier-"):
            per_year[int(name.removeprefix("dossier-"))] = value
    rows = {table: [] for table in ("dossier", "contact", "intervention", "subject",
                                    "referral", "financing")}

    def flush_rows() -> None:
        writer.write(Dossier.__table__, rows["dossier"])
        writer.write(PromoterContact.__table__, rows["contact"])
        writer.write(Intervention.__table__, rows["intervention"])
        writer.write(intervention_subject, rows["subject"])
        writer.write(Referral.__table__, rows["referral"])
        writer.write(FinancingLine.__table__, rows["financing"])
        writer.write(AuditEvent.__table__, chain.rows)
        counts.audit_events += len(chain.rows)
        for batch in rows.values():
            batch.clear()
        chain.rows = []

    order = sorted(first_day + timedelta(days=rng.randrange(span + 1)) for _ in range(dossiers))
    for opened_on in order:
        dossier_id = next_id[Dossier]
        next_id[Dossier] += 1
        advisor = busy if rng.random() < BUSY_SHARE else rng.choice(others)
        year = opened_on.year
        per_year[year] = per_year.get(year, 0) + 1
        state = rng.choices(states, state_weights)[0]
        created = _moment(opened_on, rng)
        age = (today - opened_on).days
        entered = created + timedelta(days=rng.randrange(max(age, 1)))
        updated = entered
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        title = f"{rng.choice(PROJECT_WORDS)} {rng.choice(PLACE_WORDS)} {dossier_id}"
        women = rng.randrange(6)
        dossier = {
            "id": dossier_id, "reference": f"{year}-{per_year[year]:04d}", "title": title,
            "description": "", "promoter_name": name,
            "promoter_gender_id": rng.choice(refs[PromoterGender]),
            "women_count": women, "men_count": rng.randrange(6),
            "territory_id": rng.choice(refs[Territory]), "sector_id": rng.choice(refs[Sector]),
            "stage_id": rng.choice(refs[Stage]), "legal_form_id": rng.choice(refs[LegalForm]),
            "origin_id": rng.choice(refs[Origin]), "advisor_id": advisor["id"],
            "workflow": WORKFLOW, "workflow_version": workflow.version, "state": state,
            "state_entered_at": entered,
            "next_follow_up": None if state == "closed"
            else today + timedelta(days=rng.randrange(-30, 90)),
            "outcome": rng.choice(outcomes) if state == "closed" else None,
            "opened_on": opened_on, "created_at": created, "updated_at": updated,
            "version": 1,
        }
        rows["dossier"].append(dossier)
        email = f"promoteur{dossier_id}@exemple.test"
        rows["contact"].append({"id": next_id[PromoterContact], "dossier_id": dossier_id,
                                "position": 0, "name": name, "email": email,
                                "phone": f"819-555-{dossier_id % 10000:04d}"})
        next_id[PromoterContact] += 1
        chain.add(created, advisor, "dossier.created", "dossier", dossier_id, dossier_id,
                  {"title": [None, title], "state": [None, workflow.initial],
                   "workflow": [None, f"{WORKFLOW}@{workflow.version}"]})
        for _ in range(INTERVENTIONS_PER_DOSSIER):
            intervention_id = next_id[Intervention]
            next_id[Intervention] += 1
            occurred = opened_on + timedelta(days=rng.randrange(max(age, 1)))
            rows["intervention"].append({
                "id": intervention_id, "dossier_id": dossier_id, "occurred_on": occurred,
                "kind": rng.choice(("meeting", "call", "email", "workshop")),
                "minutes": rng.choice((15, 30, 45, 60, 90, 120)),
                "notes": "Suivi du plan d'affaires.", "private": rng.random() < 0.5,
                "author_id": advisor["id"], "created_at": _moment(occurred, rng)})
            subject = rng.choice(subjects)
            rows["subject"].append({"intervention_id": intervention_id,
                                    "subject_id": subject[0]})
            added = rows["intervention"][-1]
            chain.add(_moment(occurred, rng), advisor, "intervention.added", "intervention",
                      intervention_id, dossier_id,
                      {name: [None, added[name]] for name in
                       ("occurred_on", "kind", "minutes", "notes", "private")}
                      | {"subjects": [None, [subject[1]]]})
        if rng.random() < REFERRAL_SHARE:
            organisation_id, _code = rng.choice(organisations)
            referral_state = rng.choices(referral_states, referral_weights)[0]
            sent = created + timedelta(days=rng.randrange(1, 30))
            if state == "referral":
                referral_state = rng.choice(("sent", "acknowledged", "accepted"))
            rows["referral"].append(_referral(next_id[Referral], dossier_id, organisation_id,
                                              advisor["id"], referral_state, sent, rng))
            chain.add(sent, advisor, "referral.sent", "referral", next_id[Referral],
                      dossier_id, {"organisation": _code, "state": [None, "sent"],
                                   "request": "", "consent_to_share": True},
                      reason=rows["referral"][-1]["reason"])
            next_id[Referral] += 1
            counts.referrals += 1
        if rng.random() < FINANCING_SHARE:
            rows["financing"].append(_financing(next_id[FinancingLine], dossier_id,
                                                refs[Fund], organisations, opened_on, rng))
            line = rows["financing"][-1]
            chain.add(created + timedelta(days=2), advisor, "financing.added",
                      "financing_line", next_id[FinancingLine], dossier_id,
                      {name: [None, line[name]] for name in
                       ("amount_requested", "amount_authorised", "decision", "decided_on",
                        "investment", "jobs_created", "jobs_maintained", "notes")}
                      | {"fund": [None, fund_codes[line["fund_id"]]],
                         "organisation": [None, organisation_codes[line["organisation_id"]]]})
            next_id[FinancingLine] += 1
            counts.financing_lines += 1
        if state == "closed":
            chain.add(entered - timedelta(days=30), advisor, "dossier.transition", "dossier",
                      dossier_id, dossier_id, {"state": [workflow.initial, "follow_up"]})
            chain.add(entered, advisor, "dossier.transition", "dossier", dossier_id,
                      dossier_id, {"state": ["follow_up", "closed"],
                                   "outcome": [None, dossier["outcome"]]})
        elif state != workflow.initial:
            chain.add(entered, advisor, "dossier.transition", "dossier", dossier_id,
                      dossier_id, {"state": [workflow.initial, state]})
        counts.dossiers += 1
        counts.interventions += INTERVENTIONS_PER_DOSSIER
        if len(rows["dossier"]) >= BATCH:
            flush_rows()
    flush_rows()

    for year, value in per_year.items():
        name = f"dossier-{year}"
        if db.session.get(Counter, name) is None:
            db.session.add(Counter(name=name, value=value))
        else:
            db.session.execute(update(Counter).where(Counter.name == name).values(value=value))
    if head is None:
        db.session.add(AuditHead(id=1, seq=chain.seq, hash=chain.hash))
    else:
        db.session.execute(update(AuditHead).where(AuditHead.id == 1)
                           .values(seq=chain.seq, hash=chain.hash))
    if writer.postgresql:
        _reset_sequences()
    db.session.commit()
    _analyse(writer.postgresql)
    return people, counts


COORDINATOR_EMAIL = "banc.coordination@pole-es.test"


def _people(writer: _Writer, organisations, rng: random.Random):
    """Add the benchmark's people, or find them when an earlier run added them."""
    existing = list(db.session.execute(
        select(User.id, User.role, User.organisation_id, User.email)
        .where(User.email.like("banc.%")).order_by(User.id)))
    if any(row.email == COORDINATOR_EMAIL for row in existing):
        actors = {"advisors": [], "partners": []}
        for row in existing:
            actor = dict(row._mapping)
            if row.role == "advisor":
                actors["advisors"].append(actor)
            elif row.role == "partner":
                actors["partners"].append(actor)
        people = People(coordinator=COORDINATOR_EMAIL,
                        busy_advisor=actors["advisors"][0]["email"],
                        partner=actors["partners"][0]["email"])
        return people, actors
    password_hash = hash_password(PASSWORD)
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    users, actors = [], {"advisors": [], "partners": []}

    def add(email, name, role, organisation_id=None):
        user_id = start + len(users)
        users.append({"id": user_id, "email": email, "full_name": name, "role": role,
                      "organisation_id": organisation_id, "active": True, "locale": None,
                      "password_hash": password_hash, "session_token": f"bench{user_id:059d}",
                      "created_at": datetime.now(UTC)})
        return {"id": user_id, "role": role, "organisation_id": organisation_id,
                "email": email}

    coordinator = add(COORDINATOR_EMAIL, "Coordination (banc d'essai)",
                      "coordinator")
    for number in range(ADVISORS + 1):
        actors["advisors"].append(add(f"banc.conseil{number}@pole-es.test",
                                      f"Conseil {number} (banc d'essai)", "advisor"))
    for organisation_id, code in organisations:
        actors["partners"].append(add(f"banc.{code}@partenaires.test",
                                      f"Partenaire {code} (banc d'essai)", "partner",
                                      organisation_id))
    writer.write(User.__table__, users)
    people = People(coordinator=coordinator["email"],
                    busy_advisor=actors["advisors"][0]["email"],
                    partner=actors["partners"][0]["email"])
    return people, actors


def _referral(referral_id, dossier_id, organisation_id, advisor_id, state, sent, rng):
    row = {"id": referral_id, "dossier_id": dossier_id, "organisation_id": organisation_id,
           "reason": "Besoin d'un financement local.", "request": "", "consent_to_share": True,
           "state": state, "sent_by_id": advisor_id, "sent_at": sent,
           "acknowledged_at": None, "accepted_at": None, "returned_at": None,
           "return_reason": None, "completed_at": None, "result": None, "result_note": None,
           "withdrawn_at": None, "withdraw_reason": None, "version": 1}
    later = sent + timedelta(days=rng.randrange(1, 20))
    if state in ("acknowledged", "accepted", "completed", "returned"):
        row["acknowledged_at"] = later
    if state in ("accepted", "completed"):
        row["accepted_at"] = later + timedelta(days=1)
    if state == "completed":
        row["completed_at"] = later + timedelta(days=rng.randrange(5, 60))
        row["result"] = rng.choice(("successful", "unsuccessful"))
    if state == "returned":
        row["returned_at"] = later + timedelta(days=1)
        row["return_reason"] = "Hors territoire."
    if state == "withdrawn":
        row["withdrawn_at"] = later
        row["withdraw_reason"] = "Le projet est abandonné."
    return row


def _financing(line_id, dossier_id, funds, organisations, opened_on, rng):
    requested = Decimal(rng.randrange(5, 200) * 1000)
    decision = rng.choice(("pending", "authorised", "authorised", "refused"))
    return {"id": line_id, "dossier_id": dossier_id, "fund_id": rng.choice(funds),
            "organisation_id": rng.choice(organisations)[0],
            "amount_requested": requested,
            "amount_authorised": requested / 2 if decision == "authorised" else None,
            "decision": decision,
            "decided_on": opened_on + timedelta(days=rng.randrange(10, 120))
            if decision != "pending" else None,
            "investment": requested * 4, "jobs_created": rng.randrange(4),
            "jobs_maintained": rng.randrange(4), "notes": "",
            "created_at": _moment(opened_on, rng)}


def _reset_sequences() -> None:
    connection = db.session.connection()
    for table in ("user_account", "dossier", "promoter_contact", "intervention", "referral",
                  "financing_line", "audit_event"):
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))")


def _analyse(postgresql: bool) -> None:
    """Refresh the planner's statistics, as a database that grew slowly would have them; on
    PostgreSQL also the visibility map, as autovacuum keeps it (without it, right after COPY,
    no index-only scan is planned)."""
    with db.engine.connect() as connection:
        if postgresql:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def describe(counts: Counts) -> str:
    out = io.StringIO()
    out.write(f"{counts.dossiers} dossiers, {counts.interventions} interventions, "
              f"{counts.referrals} referrals, {counts.financing_lines} financing lines, "
              f"{counts.audit_events} audit events")
    return out.getvalue()
