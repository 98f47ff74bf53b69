"""The floor: a bare Flask + SQLAlchemy app doing each scenario's essential SQL.

No login, no CSRF, no layout: one query per thing the page shows and a bare Jinja table.
What caseflow costs above this is what its own code adds. Served by gunicorn like caseflow:
`gunicorn 'caseflow.bench.floor:create()'` with CASEFLOW_DATABASE_URL set.
"""

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import median
from types import SimpleNamespace

from flask import Flask, abort, render_template_string, request
from sqlalchemy import create_engine, event, text

from caseflow.audit.services import chain_hash
from caseflow.reports.periods import fiscal_year_of

PAGE = 50
TABLE = """<!doctype html><title>{{ title }}</title><table>
{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>
{% endfor %}</table><p>{{ total }}</p>"""

CASELOAD = """SELECT d.id, d.reference, d.title, d.state, d.updated_at, d.next_follow_up,
    t.label_fr, u.full_name
  FROM dossier d JOIN territory t ON t.id = d.territory_id
  LEFT JOIN user_account u ON u.id = d.advisor_id
  WHERE {where} ORDER BY d.updated_at DESC, d.id DESC LIMIT :limit OFFSET :offset"""
COUNT = "SELECT count(*) FROM dossier d WHERE {where}"


def create() -> Flask:
    app = Flask(__name__)
    url = os.environ["CASEFLOW_DATABASE_URL"]
    engine = create_engine(url, pool_pre_ping=False)
    key = (os.environ.get("CASEFLOW_AUDIT_KEY")
           or (Path(os.environ["CASEFLOW_INSTANCE_PATH"]) / "audit_key").read_text().strip()
           ).encode("utf-8")
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            connection.execute("PRAGMA busy_timeout = 30000")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")

    def rows(sql, **params):
        with engine.connect() as connection:
            return connection.execute(text(sql), params).all()

    def table(title, result, total=None):
        return render_template_string(TABLE, title=title, rows=result, total=total)

    def caseload(where, **params):
        page = request.args.get("page", 1, type=int)
        listed, keyset = where, {}
        if request.args.get("before"):  # a keyset page: the rows after (updated_at, id)
            moment, _, last_id = request.args["before"].rpartition("~")
            updated = datetime.fromisoformat(moment).astimezone(UTC)
            keyset = {"updated": updated.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
                       if engine.dialect.name == "sqlite" else updated, "last": int(last_id)}
            listed = (f"({where}) AND d.updated_at <= :updated AND (d.updated_at < :updated "
                      "OR d.id < :last)")
        result = rows(CASELOAD.format(where=listed), limit=PAGE, offset=(page - 1) * PAGE,
                      **params, **keyset)
        total = rows(COUNT.format(where=where), **params)[0][0]
        return table("caseload", result, total)

    @app.get("/caseload/mine/<int:advisor_id>")
    def caseload_mine(advisor_id):
        return caseload("d.advisor_id = :advisor AND d.state <> 'closed'", advisor=advisor_id)

    @app.get("/caseload/filtered/<int:territory_id>/<state>")
    def caseload_filtered(territory_id, state):
        return caseload("d.territory_id = :territory AND d.state = :state",
                        territory=territory_id, state=state)

    @app.get("/caseload/all")
    def caseload_all():
        return caseload("1 = 1")

    @app.get("/search")
    def search():
        pattern = "%" + request.args.get("q", "") + "%"
        return caseload("(d.reference LIKE :q OR d.title LIKE :q OR d.promoter_name LIKE :q)",
                        q=pattern)

    @app.get("/dossiers/<int:dossier_id>")
    def dossier(dossier_id):
        head = rows("""SELECT d.*, t.label_fr, s.label_fr, st.label_fr, u.full_name
            FROM dossier d JOIN territory t ON t.id = d.territory_id
            JOIN sector s ON s.id = d.sector_id JOIN stage st ON st.id = d.stage_id
            LEFT JOIN user_account u ON u.id = d.advisor_id WHERE d.id = :id""", id=dossier_id)
        if not head:
            abort(404)
        parts = [head[0]]
        for sql in ("SELECT name, email, phone FROM promoter_contact WHERE dossier_id = :id",
                    "SELECT occurred_on, kind, minutes, notes FROM intervention "
                    "WHERE dossier_id = :id ORDER BY occurred_on DESC, id DESC",
                    "SELECT r.state, r.sent_at, o.name FROM referral r JOIN organisation o "
                    "ON o.id = r.organisation_id WHERE r.dossier_id = :id",
                    "SELECT fund_id, amount_requested, decision FROM financing_line "
                    "WHERE dossier_id = :id",
                    "SELECT seq, action, occurred_at FROM audit_event WHERE dossier_id = :id "
                    "ORDER BY seq DESC LIMIT 20"):
            parts.extend(rows(sql, id=dossier_id))
        return table("dossier", parts)

    @app.post("/dossiers/<int:dossier_id>/transition")
    def transition(dossier_id):
        now = datetime.now(UTC)
        with engine.begin() as connection:
            found = connection.execute(text(
                "SELECT version, state FROM dossier WHERE id = :id"), {"id": dossier_id}).first()
            if found is None:
                abort(404)
            moved = connection.execute(text(
                "UPDATE dossier SET state = 'follow_up', version = version + 1, "
                "updated_at = :now WHERE id = :id AND version = :version"),
                {"id": dossier_id, "version": found.version, "now": now})
            if moved.rowcount != 1:
                abort(409)
            seq, previous = connection.execute(text(
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")).one()
            changes = {"state": [found.state, "follow_up"]}
            entry = SimpleNamespace(
                seq=seq, occurred_at=now, actor_id=None, actor_role="system",
                actor_organisation_id=None, action="dossier.transition", entity_type="dossier",
                entity_id=dossier_id, dossier_id=dossier_id, changes=changes, reason=None,
                request_id=f"floor-{seq}")
            digest = chain_hash(key, previous, entry)
            stored = now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now
            connection.execute(text(
                "INSERT INTO audit_event (seq, occurred_at, actor_role, action, entity_type, "
                "entity_id, dossier_id, changes, request_id, previous_hash, hash) VALUES "
                "(:seq, :at, 'system', 'dossier.transition', 'dossier', :id, :id, :changes, "
                ":request, :previous, :hash)"),
                {"seq": seq, "at": stored, "id": dossier_id, "changes": json.dumps(changes),
                 "request": entry.request_id, "previous": previous, "hash": digest})
            connection.execute(text("UPDATE audit_head SET hash = :hash WHERE id = 1"),
                               {"hash": digest})
        return "", 303, {"Location": f"/dossiers/{dossier_id}"}

    @app.get("/partner/<int:organisation_id>")
    def inbox(organisation_id):
        result = rows("""SELECT r.id, r.state, r.sent_at, d.reference, d.title
            FROM referral r JOIN dossier d ON d.id = r.dossier_id
            WHERE r.organisation_id = :org ORDER BY r.sent_at DESC, r.id DESC LIMIT :limit""",
                      org=organisation_id, limit=PAGE)
        return table("inbox", result)

    @app.get("/referrals")
    def referrals():
        result = rows("""SELECT r.id, r.state, r.sent_at, d.reference, d.title, o.name
            FROM referral r JOIN dossier d ON d.id = r.dossier_id
            JOIN organisation o ON o.id = r.organisation_id
            ORDER BY r.sent_at DESC, r.id DESC LIMIT :limit""", limit=PAGE)
        return table("referrals", result)

    @app.get("/audit")
    def audit():
        before = request.args.get("before", type=int)
        where = "WHERE seq < :before" if before else ""
        result = rows(f"""SELECT seq, occurred_at, action, entity_type, entity_id, actor_id
            FROM audit_event {where} ORDER BY seq DESC LIMIT :limit""",
                      before=before, limit=PAGE)
        return table("audit", result)

    @app.get("/dashboard")
    def dashboard():
        # The hub's dashboard for the current fiscal year, with the statements caseflow's runs:
        # open dossiers per advisor and state (age bands and follow-ups summed in), per
        # territory and sector, the ten longest at their step, interventions and hours per
        # author, waiting referrals per organisation, the referrals sent in the period.
        period = fiscal_year_of(date.today())
        start, end = period.utc_bounds()
        now, today = datetime.now(UTC), date.today()
        naive = engine.dialect.name == "sqlite"

        def at(moment):
            return moment.astimezone(UTC).replace(tzinfo=None) if naive else moment

        params = {"end_day": period.end, "start_day": period.start, "today": today,
                  "week": today + timedelta(days=7)}
        sums = ["sum(CASE WHEN d.opened_on <= :end_day THEN 1 ELSE 0 END)"]
        for index, (first, last) in enumerate([(0, 30), (31, 90), (91, 180), (181, None)]):
            condition = f"d.opened_on <= :end_day AND d.state_entered_at <= :first{index}"
            params[f"first{index}"] = at(now - timedelta(days=first))
            if last is not None:
                condition += f" AND d.state_entered_at > :last{index}"
                params[f"last{index}"] = at(now - timedelta(days=last + 1))
            sums.append(f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        sums += ["sum(CASE WHEN d.next_follow_up < :today THEN 1 ELSE 0 END)",
                 "sum(CASE WHEN d.next_follow_up >= :today AND d.next_follow_up <= :week "
                 "THEN 1 ELSE 0 END)"]
        result = rows(f"SELECT d.advisor_id, d.state, {', '.join(sums)} FROM dossier d "
                      "WHERE d.outcome IS NULL GROUP BY d.advisor_id, d.state", **params)
        result += rows("""SELECT d.territory_id, d.sector_id, count(*) FROM dossier d
            WHERE d.outcome IS NULL AND d.opened_on <= :end_day
            GROUP BY d.territory_id, d.sector_id""", **params)
        result += rows("""SELECT d.id, d.reference, d.title, d.state, d.state_entered_at,
            d.advisor_id FROM dossier d WHERE d.outcome IS NULL AND d.opened_on <= :end_day
            ORDER BY d.state_entered_at, d.id LIMIT 10""", **params)
        result += rows("""SELECT i.author_id, count(*), coalesce(sum(i.minutes), 0)
            FROM intervention i WHERE i.occurred_on >= :start_day AND i.occurred_on <= :end_day
            GROUP BY i.author_id""", **params)
        result += rows("SELECT id, full_name FROM user_account")
        result += rows("SELECT id, code, label_fr FROM territory ORDER BY position")
        result += rows("SELECT id, code, label_fr FROM sector ORDER BY position")
        result += rows("""SELECT o.code, o.name, w.count FROM organisation o JOIN (
                SELECT r.organisation_id, count(DISTINCT r.dossier_id) AS count FROM referral r
                WHERE r.state IN ('sent', 'acknowledged') AND r.sent_at <= :waited
                GROUP BY r.organisation_id) w ON w.organisation_id = o.id ORDER BY o.name""",
                       waited=at(now - timedelta(days=14)))
        if naive:
            days = "julianday({}) - julianday(r.sent_at)"
        else:
            days = "extract(epoch FROM {} - r.sent_at) / 86400.0"
        medians: dict = {}
        for code, name, acknowledged, answered in rows(f"""SELECT o.code, o.name,
                {days.format("r.acknowledged_at")},
                {days.format("coalesce(r.accepted_at, r.returned_at)")}
            FROM referral r JOIN organisation o ON o.id = r.organisation_id
            WHERE r.sent_at >= :start AND r.sent_at < :end""", start=at(start), end=at(end)):
            entry = medians.setdefault((code, name), ([], []))
            if acknowledged is not None:
                entry[0].append(float(acknowledged))
            if answered is not None:
                entry[1].append(float(answered))
        result += [(code, name, len(a), median(a) if a else None, median(b) if b else None)
                   for (code, name), (a, b) in sorted(medians.items())]
        return table("dashboard", result)

    @app.get("/report/<start>/<end>")
    def report(start, end):
        result = rows("""SELECT d.territory_id, i.kind, count(*), count(DISTINCT d.id),
                sum(i.minutes)
            FROM intervention i JOIN dossier d ON d.id = i.dossier_id
            WHERE i.occurred_on BETWEEN :start AND :end
            GROUP BY d.territory_id, i.kind""", start=start, end=end)
        result += rows("""SELECT f.fund_id, count(*), sum(f.amount_authorised), sum(f.investment)
            FROM financing_line f WHERE f.decision = 'authorised'
            AND f.decided_on BETWEEN :start AND :end GROUP BY f.fund_id""", start=start, end=end)
        return table("report", result)

    return app
