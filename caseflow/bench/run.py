"""`caseflow bench`: caseflow against its floor, on one generated database, in one run.

1. A database is generated (or reused when the same size and seed are already there).
2. caseflow is served by gunicorn as the README's production command serves it, and so is the
   floor (caseflow/bench/floor.py), both on loopback, on the same database.
3. Each scenario runs at each level of concurrency, caseflow and the floor interleaved
   round-robin; the medians of the repetitions are kept.
4. Statements per request are counted in-process; commands (`report`, `audit verify`, the
   import) are timed as whole processes.
Results are printed and written as JSON and Markdown under benchmarks/results/.
"""

import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from caseflow.bench import load

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "benchmarks" / "data"
WORKERS = 2


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def peak_rss_mb(self) -> float:
        peak = 0
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                continue
        return round(peak / 1024, 1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(name: str, app: str, env: dict) -> Server:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return Server(name, port, process)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} did not start") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name} did not answer on port {port}")


@dataclass
class Scenario:
    """One thing a person does, in caseflow and in the floor."""

    name: str
    role: str  # "advisor", "partner" or "coordinator"
    caseflow: object  # (session, number) -> path, or a callable doing the request
    floor: object
    post: bool = False


def _scenarios(facts: dict) -> list[Scenario]:
    advisor_id, organisation_id = facts["advisor_id"], facts["organisation_id"]
    territory, territory_id, state = facts["territory"], facts["territory_id"], facts["state"]
    mine = facts["dossiers_of_advisor"]
    words = [quote(word) for word in facts["search_words"]]
    deep = facts["deep_seq"]
    start, end = facts["fiscal_year"]

    def pick(items, number):
        return items[number % len(items)]

    scenarios = [
        Scenario("caseload: mine", "advisor", lambda n: "/dossiers/",
                 lambda n: f"/caseload/mine/{advisor_id}"),
        Scenario("caseload: territory + state", "advisor",
                 lambda n: f"/dossiers/?scope=all&territory={territory}&state={state}",
                 lambda n: f"/caseload/filtered/{territory_id}/{state}"),
        Scenario("caseload: all", "coordinator", lambda n: "/dossiers/?scope=all",
                 lambda n: "/caseload/all"),
        # Page 200 as the list reaches it: through its "next page" link (a keyset cursor).
        Scenario("caseload: page 200", "coordinator",
                 lambda n: f"/dossiers/?scope=all&apres={quote(facts['page_200'][0])}",
                 lambda n: f"/caseload/all?before={quote(facts['page_200'][1])}"),
        Scenario("search", "advisor",
                 lambda n: f"/dossiers/?scope=all&q={pick(words, n)}",
                 lambda n: f"/search?q={pick(words, n)}"),
        Scenario("dossier page", "advisor", lambda n: f"/dossiers/{pick(mine, n)}",
                 lambda n: f"/dossiers/{pick(mine, n)}"),
        Scenario("partner inbox", "partner", lambda n: "/partenaires/",
                 lambda n: f"/partner/{organisation_id}"),
        Scenario("hub referral list", "coordinator", lambda n: "/referencements/",
                 lambda n: "/referrals"),
        Scenario("audit log: first page", "coordinator", lambda n: "/audit/",
                 lambda n: "/audit"),
        Scenario("audit log: deep page", "coordinator", lambda n: facts["deep_audit_path"],
                 lambda n: f"/audit?before={deep}"),
        Scenario("audit log: one action", "coordinator",
                 lambda n: "/audit/?action=dossier.transition", lambda n: "/audit"),
        Scenario("hub dashboard", "coordinator", lambda n: "/desk/dashboard",
                 lambda n: "/dashboard"),
        Scenario("annual report", "coordinator",
                 lambda n: f"/rapports/?period={start.year}-{end.year}",
                 lambda n: f"/report/{start}/{end}"),
        Scenario("annual report XLSX", "coordinator",
                 lambda n: f"/rapports/export.xlsx?period={start.year}-{end.year}",
                 lambda n: f"/report/{start}/{end}"),
    ]
    return scenarios


def _transition_scenario(facts: dict) -> Scenario:
    pool = iter(facts["reception_pool"])  # each request moves one dossier, once
    floor_pool = iter(facts["floor_reception_pool"])
    lock = threading.Lock()

    def caseflow(session, _number):
        with lock:
            dossier_id = next(pool)
        page = session.get(f"/dossiers/{dossier_id}/actions/start_follow_up")
        if page.status_code != 200:
            return page
        version = _hidden(page.text, "version")
        return session.post(f"/dossiers/{dossier_id}/actions/start_follow_up", {
            "csrf_token": load.csrf_token(page.text), "version": version, "comment": ""})

    def floor(session, _number):
        with lock:
            dossier_id = next(floor_pool)
        session.get(f"/dossiers/{dossier_id}")
        return session.post(f"/dossiers/{dossier_id}/transition", {})

    return Scenario("transition POST", "coordinator", caseflow, floor, post=True)


def _hidden(html: str, name: str) -> str:
    import re

    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"',
                      html)
    return (found.group(1) or found.group(2)) if found else ""


def _facts(app, people, quick: bool) -> dict:
    """Ids and values the scenarios use, read from the generated database."""
    from sqlalchemy import func, select

    from caseflow.audit.models import AuditEvent
    from caseflow.auth.models import User
    from caseflow.dossiers.models import Dossier
    from caseflow.extensions import db
    from caseflow.reference.models import Territory

    with app.app_context():
        advisor = db.session.scalar(select(User).where(User.email == people.busy_advisor))
        partner = db.session.scalar(select(User).where(User.email == people.partner))
        mine = list(db.session.scalars(select(Dossier.id).where(
            Dossier.advisor_id == advisor.id).order_by(Dossier.id).limit(2000)))
        random.Random(7).shuffle(mine)
        territory = db.session.scalars(select(Territory).order_by(Territory.id)).first()
        reception = list(db.session.scalars(select(Dossier.id).where(
            Dossier.state == "reception").order_by(Dossier.id)))
        half = len(reception) // 2
        top = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
        today = date.today()
        start_year = today.year if today.month >= 4 else today.year - 1
        titles = list(db.session.scalars(select(Dossier.title).order_by(Dossier.id).limit(200)))
        page_200 = _page_cursor(app, 200)
    return {
        "advisor_id": advisor.id, "organisation_id": partner.organisation_id,
        "territory": territory.code, "territory_id": territory.id, "state": "follow_up",
        "dossiers_of_advisor": mine, "search_words": sorted({t.split()[0] for t in titles}),
        # The audit viewer pages by sequence (keyset): the deep page starts half-way down.
        "deep_seq": top // 2, "deep_audit_path": f"/audit/?before={max(top // 2, 1)}",
        "fiscal_year": (date(start_year - 1, 4, 1), date(start_year, 3, 31)),
        "reception_pool": reception[:half], "floor_reception_pool": reception[half:],
        "page_200": page_200,
    }


def _page_cursor(app, page: int) -> tuple[str, str]:
    """The cursors, caseflow's and the floor's, that start page `page` of the whole caseload
    in its default order (the last row of the page before), or its last page when shorter."""
    from sqlalchemy import func, select

    from caseflow.dossiers.models import Dossier
    from caseflow.dossiers.queries import SORTS, format_cursor
    from caseflow.extensions import db

    per_page = app.config["CASELOAD_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(Dossier))
    offset = max(0, min((page - 1) * per_page, total - per_page) - 1)
    updated_at, dossier_id = db.session.execute(
        select(Dossier.updated_at, Dossier.id)
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc()).offset(offset).limit(1)).one()
    return (format_cursor(SORTS["-updated"], updated_at, dossier_id),
            f"{updated_at.isoformat()}~{dossier_id}")


def _statements(app, people, scenarios: list[Scenario]) -> dict[str, int]:
    """SQL statements one request of each scenario runs, counted in-process."""
    from sqlalchemy import event

    from caseflow.extensions import db
    from caseflow.reports.services import FIGURES

    counted: dict[str, int] = {}
    clients = {}
    with app.app_context():
        engine = db.engine
    for role, email in (("advisor", people.busy_advisor), ("partner", people.partner),
                        ("coordinator", people.coordinator)):
        client = app.test_client()
        page = client.get("/login")
        client.post("/login", data={"csrf_token": load.csrf_token(page.text), "email": email,
                                    "password": people.password})
        clients[role] = client
    statements = [0]

    def count(*_args, **_kwargs):
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for scenario in scenarios:
            if scenario.post:
                continue
            client = clients[scenario.role]
            client.get(scenario.caseflow(1))  # warm: caches, translations
            app.extensions.pop(FIGURES, None)  # the report's figures computed, not kept
            statements[0] = 0
            client.get(scenario.caseflow(2))
            counted[scenario.name] = statements[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counted


def _measure(server: Server, sessions, send, seconds, limit) -> tuple[dict, float]:
    cpu_before = server.cpu_seconds()
    outcome = load.run(sessions, send, seconds=seconds, limit=limit)
    cpu = server.cpu_seconds() - cpu_before
    summary = outcome.summary()
    summary["cpu_ms_per_request"] = round(cpu * 1000 / outcome.requests, 2) \
        if outcome.requests else 0.0
    return summary, outcome.throughput


def _median_summary(summaries: list[dict]) -> dict:
    keys = summaries[0].keys()
    merged = {key: statistics.median(s[key] for s in summaries) for key in keys}
    for key in ("requests", "errors", "non_2xx"):
        merged[key] = sum(s[key] for s in summaries)
    return merged


def _time_command(args: list[str], env: dict) -> dict:
    started = time.perf_counter()
    finished = subprocess.run([str(Path(sys.executable).with_name("caseflow")), *args],
                              cwd=ROOT, env=env, capture_output=True, text=True)
    return {"seconds": round(time.perf_counter() - started, 2), "exit": finished.returncode,
            "output": (finished.stdout + finished.stderr).strip().splitlines()[-1:]}


def bench(factory, *, dossiers: int, db_url: str | None, quick: bool, clients: list[int],
          seed: int = 2026, reuse: bool = False, only: str = "", echo=print) -> dict:
    """Run the whole benchmark; return the results (also written under benchmarks/results).

    `factory` builds the application (the app's own factory, as the CLI has it)."""
    from caseflow.bench.dataset import describe, generate

    kind = "postgresql" if db_url and db_url.startswith("postgresql") else "sqlite"
    instance = DATA / f"{kind}-{dossiers}-{seed}"
    instance.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{instance / 'caseflow.sqlite3'}"
    env = dict(os.environ, CASEFLOW_DATABASE_URL=url, CASEFLOW_INSTANCE_PATH=str(instance))
    app = factory({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(instance)})
    marker = instance / "generated.json"
    generated = json.loads(marker.read_text()) if marker.exists() else None
    if not reuse or generated is None or generated.get("url") != url:
        echo(f"Generating {dossiers} dossiers on {kind}...")
        started = time.perf_counter()
        with app.app_context():
            _reset(app)
            people, counts = generate(dossiers, seed=seed)
        generated = {"url": url, "people": vars(people), "counts": vars(counts),
                     "seconds": round(time.perf_counter() - started, 1)}
        marker.write_text(json.dumps(generated))
        echo(f"  {describe(counts)} in {generated['seconds']} s")
    from caseflow.bench.dataset import People

    people = People(**generated["people"])
    facts = _facts(app, people, quick)
    scenarios = _scenarios(facts)
    transition = _transition_scenario(facts)
    echo("Counting statements per request...")
    # A partial run counts only what it measures: the report pages alone take minutes.
    statements = _statements(app, people, [scenario for scenario in scenarios
                                           if only.lower() in scenario.name.lower()])

    caseflow = _serve("caseflow", "wsgi:app", env)
    floor = _serve("floor", "caseflow.bench.floor:create()", env)
    seconds, reps = (2.0, 2) if quick else (8.0, 3)
    results = {"scenarios": {}, "commands": {}}
    try:
        logins = {}
        for level in clients:
            logins[level] = {
                role: [load.logged_in(caseflow.url, email, people.password)
                       for _ in range(level)]
                for role, email in (("advisor", people.busy_advisor),
                                    ("partner", people.partner),
                                    ("coordinator", people.coordinator))}
        chosen = [scenario for scenario in [*scenarios, transition]
                  if only.lower() in scenario.name.lower()]
        for scenario in chosen:
            results["scenarios"][scenario.name] = entry = {
                "statements": statements.get(scenario.name), "levels": {}}
            for level in clients:
                own, bare = [], []
                for rep in range(reps):
                    order = [("caseflow", caseflow), ("floor", floor)]
                    if rep % 2:
                        order.reverse()
                    for name, server in order:
                        sessions = logins[level][scenario.role] if name == "caseflow" \
                            else [load.anonymous(floor.url) for _ in range(level)]
                        send = _sender(scenario, name)
                        limit = None
                        if scenario.post:  # each request consumes one dossier
                            limit = max(1, min(len(facts["reception_pool"]),
                                               len(facts["floor_reception_pool"]))
                                        // (reps * len(clients)))
                        summary, _ = _measure(server, sessions, send, seconds, limit)
                        (own if name == "caseflow" else bare).append(summary)
                mine, theirs = _median_summary(own), _median_summary(bare)
                ratio = round(mine["req_per_s"] / theirs["req_per_s"], 2) \
                    if theirs["req_per_s"] else None
                entry["levels"][str(level)] = {"caseflow": mine, "floor": theirs,
                                               "throughput_ratio": ratio}
                echo(f"  {scenario.name:28} {level:>3} clients: "
                     f"{mine['req_per_s']:7.1f} req/s p95 {mine['p95_ms']:7.1f} ms "
                     f"(floor {theirs['req_per_s']:7.1f} req/s) ratio {ratio} "
                     f"errors {mine['errors']} non-2xx {mine['non_2xx']}")
        results["peak_rss_mb"] = {"caseflow": caseflow.peak_rss_mb(),
                                  "floor": floor.peak_rss_mb()}
    finally:
        caseflow.stop()
        floor.stop()

    start, end = facts["fiscal_year"]
    if only:  # a partial run times no command
        results["run"] = _run_facts(generated, kind, dossiers, clients, quick, seconds, reps)
        _write(results, kind, dossiers)
        return results
    echo("Timing commands...")
    results["commands"]["caseflow report"] = _time_command(
        ["report", "--period", f"{start.year}-{end.year}", "--format", "json",
         "--output", str(instance / "report.json")], env)
    results["commands"]["caseflow audit verify"] = _time_command(["audit", "verify"], env)
    rows = 10_000 if quick else 100_000
    results["commands"][f"caseflow bench import --rows {rows}"] = _time_command(
        ["bench", "import", "--rows", str(rows), "--limit", "100000"], env)
    for name, timing in results["commands"].items():
        echo(f"  {name}: {timing['seconds']} s (exit {timing['exit']}) {timing['output']}")

    results["run"] = _run_facts(generated, kind, dossiers, clients, quick, seconds, reps)
    _write(results, kind, dossiers)
    return results


def _run_facts(generated, kind, dossiers, clients, quick, seconds, reps) -> dict:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "database": kind,
        "dossiers": dossiers, "counts": generated["counts"], "clients": clients,
        "quick": quick, "workers": WORKERS, "seconds_per_run": seconds, "repetitions": reps,
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
                   f"{os.cpu_count()} CPU · Python {platform.python_version()}"}


def _sender(scenario: Scenario, name: str):
    path_of = scenario.caseflow if name == "caseflow" else scenario.floor
    if scenario.post:
        return path_of
    return lambda session, number: session.get(path_of(number))


def _reset(app) -> None:
    """Start from an empty schema with the reference lists, as `caseflow init-db` leaves it."""
    from flask_migrate import upgrade

    from caseflow.extensions import db
    from caseflow.reference.seed import seed_reference_data

    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(directory=app.extensions["migrate"].directory)
    seed_reference_data()
    db.session.commit()


def _write(results: dict, kind: str, dossiers: int) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = RESULTS / f"{stamp}-{kind}-{dossiers}"
    base.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str))
    base.with_suffix(".md").write_text(markdown(results))


def _figure(value, digits: int = 1) -> str:
    """Return a measured figure as the table prints it (medians of two are halves)."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


def markdown(results: dict) -> str:
    run = results["run"]
    lines = [f"# caseflow bench: {run['database']}, {run['dossiers']} dossiers",
             "", f"{run['date']} · {run['machine']} · {run['workers']} gunicorn sync workers · "
             f"{run['repetitions']} × {run['seconds_per_run']} s per figure, medians", "",
             "| scenario | clients | req/s | floor req/s | ratio | p50 ms | p95 ms | p99 ms | "
             "CPU ms/req | floor CPU ms/req | errors | non-2xx | statements |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results["scenarios"].items():
        for level, figures in entry["levels"].items():
            own, floor = figures["caseflow"], figures["floor"]
            cells = [name, level, _figure(own["req_per_s"]), _figure(floor["req_per_s"]),
                     _figure(figures["throughput_ratio"], 2), _figure(own["p50_ms"]),
                     _figure(own["p95_ms"]), _figure(own["p99_ms"]),
                     _figure(own["cpu_ms_per_request"]), _figure(floor["cpu_ms_per_request"]),
                     own["errors"], own["non_2xx"],
                     entry["statements"] if entry["statements"] is not None else "—"]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    rss = results.get("peak_rss_mb", {})
    lines += ["", f"Peak RSS per worker: caseflow {rss.get('caseflow')} MB, "
                  f"floor {rss.get('floor')} MB.", "", "| command | seconds | exit |",
              "|---|---:|---:|"]
    for name, timing in results["commands"].items():
        lines.append(f"| `{name}` | {timing['seconds']} | {timing['exit']} |")
    return "\n".join(lines) + "\n"
