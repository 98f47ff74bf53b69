"""The pages run as many SQL statements on a large database as on a small one."""

import pytest
from sqlalchemy import event

from caseflow.bench import load, run
from caseflow.bench.dataset import generate
from caseflow.reports.services import FIGURES

pytestmark = pytest.mark.usefixtures("db")


def _client(app, email, password):
    client = app.test_client()
    page = client.get("/login")
    answer = client.post("/login", data={"csrf_token": load.csrf_token(page.text),
                                         "email": email, "password": password})
    assert answer.status_code in (302, 303)
    return client


def _count(app, client, path) -> tuple[int, int]:
    from caseflow.extensions import db

    # The report's figures are kept until something is written: count what computing them
    # costs (what grows with the data), not the kept copy.
    app.extensions.pop(FIGURES, None)
    statements = [0]

    def count(*_args, **_kwargs):
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        status = client.get(path).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return status, statements[0]


def test_statements_per_page_do_not_grow_with_the_data(app):
    people, _counts = generate(60, seed=11)
    facts = run._facts(app, people, quick=True)
    scenarios = run._scenarios(facts)
    clients = {role: _client(app, email, people.password) for role, email in (
        ("advisor", people.busy_advisor), ("partner", people.partner),
        ("coordinator", people.coordinator))}
    paths = {scenario.name: (scenario.role, scenario.caseflow(2)) for scenario in scenarios}
    for role, path in paths.values():  # warm the caches a first request fills
        clients[role].get(path)
    small = {name: _count(app, clients[role], path) for name, (role, path) in paths.items()}

    generate(240, seed=12)  # four times as much data, the same pages
    large = {name: _count(app, clients[role], path) for name, (role, path) in paths.items()}

    for name in paths:
        assert small[name][0] == 200, (name, small[name])
        assert large[name][0] == 200, (name, large[name])
    assert {name: count for name, (_s, count) in large.items()} == \
        {name: count for name, (_s, count) in small.items()}
