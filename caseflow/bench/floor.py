"""The floor: a bare Flask + SQLAlchemy app doing each scenario's essential SQL.

No login, no CSRF, no layout: one query per thing the page shows and a bare Jinja table.
What caseflow costs above this is what its own code adds. Served by gunicorn like caseflow:
`gunicorn 'caseflow.bench.floor:create()'` with CASEFLOW_DATABASE_URL set.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from flask import Flask, abort, render_template_string, request
from sqlalchemy import create_engine, event, text

from caseflow.audit.services import chain_hash

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
