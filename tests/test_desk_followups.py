"""Follow-ups set by hand, the daily digest, home tiles, saved filters, and constant costs."""

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select, update

from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier
from caseflow.notifications.models import OutgoingEmail
from tests.builders import (
    add_intervention,
    csrf_token,
    fr,
    make_dossier,
    make_user,
    page_text,
    refer,
)


def _due(db, dossier, day) -> None:
    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(
        next_follow_up=day))
    db.session.commit()


def test_an_advisor_sets_and_moves_the_next_follow_up_by_hand(db, advisor, advisor_client):
    dossier = make_dossier(advisor)
    path = f"/dossiers/{dossier.id}/follow-up"
    token = csrf_token(advisor_client, path)
    due = hub_today() + timedelta(days=10)
    seen = dossier.version
    response = advisor_client.post(path, data={
        "csrf_token": token, "version": seen, "due": due.isoformat(),
        "note": "Un retour du groupe sur la charte est attendu."})
    assert response.status_code == 303
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert due.isoformat() in page and "Un retour du groupe sur la charte" in page
    event_ = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "dossier.follow_up_set"))
    assert event_.changes["next_follow_up"] == [None, due.isoformat()]
    stale = advisor_client.post(path, data={"csrf_token": token, "version": seen,
                                            "due": hub_today().isoformat()})
    assert stale.status_code == 409  # the version moved: nothing overwritten blindly
    far = advisor_client.post(path, data={"csrf_token": token,
                                          "version": db.session.get(Dossier, dossier.id).version,
                                          "due": (hub_today() + timedelta(days=5000)).isoformat()})
    assert far.status_code == 400 and "trois prochaines années" in page_text(far)


def test_the_digest_lists_exactly_the_due_and_overdue_follow_ups(db, runner, coordinator,
                                                                advisor):
    today = hub_today()
    other = make_user("advisor", full_name="Sans suivi dû")
    quiet = make_user("advisor", full_name="Ne veut pas de courriels")
    quiet.digest_enabled = False
    db.session.commit()
    overdue = make_dossier(advisor, title="En retard")
    due_today = make_dossier(advisor, title="Aujourd'hui")
    later = make_dossier(advisor, title="Plus tard")
    closed = make_dossier(advisor, title="Fermé")
    add_intervention(closed, advisor)
    services.apply_transition(closed, advisor, "close", closed.version, outcome="formalise")
    db.session.commit()
    _due(db, overdue, today - timedelta(days=4))
    _due(db, due_today, today)
    _due(db, later, today + timedelta(days=1))
    _due(db, make_dossier(other, title="Autre futur"), today + timedelta(days=3))
    _due(db, make_dossier(quiet, title="Muet en retard"), today - timedelta(days=1))
    result = runner.invoke(args=["notifications", "digest", "--no-weekly"])
    assert result.exit_code == 0, result.output
    mails = db.session.scalars(select(OutgoingEmail)).all()
    assert [m.to_address for m in mails] == [advisor.email]
    body = mails[0].body
    assert "En retard" in body and "Aujourd'hui" in body
    assert "Plus tard" not in body and "Fermé" not in body
    assert body.index("Suivis en retard") < body.index("· En retard") \
        < body.index("Suivis prévus aujourd'hui") < body.index("· Aujourd'hui")
    weekly = runner.invoke(args=["notifications", "digest", "--weekly"])
    assert "weekly summaries: 1" in weekly.output
    summary = db.session.scalar(select(OutgoingEmail).where(
        OutgoingEmail.to_address == coordinator.email))
    assert fr("Conseil Test : 3 · 1 · 2") in summary.body  # open · overdue · due within 7 days


def test_each_person_turns_the_follow_up_emails_off(db, advisor, advisor_client):
    token = csrf_token(advisor_client, "/account/emails")
    assert advisor_client.post("/account/emails", data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert advisor.digest_enabled is False


def _count(client, path: str) -> int:
    match = re.search(r'id="caseload-count">(\d+)', page_text(client.get(path)))
    return int(match.group(1)) if match else 0


def test_home_tiles_count_exactly_what_their_list_shows(db, advisor, advisor_client):
    open_one = make_dossier(advisor)
    closed = make_dossier(advisor)
    add_intervention(closed, advisor)
    services.apply_transition(closed, advisor, "close", closed.version, outcome="formalise")
    db.session.commit()
    _due(db, open_one, hub_today() - timedelta(days=1))
    html = advisor_client.get("/").get_data(as_text=True)
    tiles = re.findall(r'href="(/dossiers/\?[^"]+)">\s*<div class="card-body"><p class="display-6'
                       r' mb-0[^"]*">(\d+)</p>', html)
    assert len(tiles) == 3
    assert tiles[0][1] == "1"  # the closed dossier is not "en cours"
    for path, count in tiles:
        assert _count(advisor_client, path.replace("&amp;", "&")) == int(count), path


def test_saved_filters_belong_to_their_person(db, advisor, advisor_client, app):
    make_dossier(advisor, territory_code="drummond")
    token = csrf_token(advisor_client, "/dossiers/")
    response = advisor_client.post("/desk/filters", data={
        "csrf_token": token, "list_name": "caseload", "query": "territory=drummond",
        "name": "Drummond"})
    assert response.status_code == 303
    assert "territory=drummond" in response.headers["Location"]
    assert "Drummond</a>" in advisor_client.get("/dossiers/").get_data(as_text=True)
    from tests.builders import login

    other = make_user("advisor")
    client = app.test_client()
    login(client, other.email)
    assert ">Drummond</a>" not in client.get("/dossiers/").get_data(as_text=True)


def test_interventions_list_shows_time_spent_and_exports(db, advisor, advisor_client):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor, minutes=45, kind="call")
    add_intervention(dossier, advisor, minutes=30)
    text = page_text(advisor_client.get("/desk/interventions?kind=call"))
    assert 'id="interventions-count">1 intervention' in text and "0,8 h au total" in text
    export = advisor_client.get("/desk/interventions.csv?kind=call")
    assert export.status_code == 200
    assert len(export.get_data(as_text=True).strip().splitlines()) == 2


# --- statements do not grow with the data ---------------------------------------------------

@contextmanager
def counting(engine):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _grow(db, coordinator, advisors, size: int) -> None:
    for number in range(size):
        advisor = advisors[number % len(advisors)]
        dossier = make_dossier(advisor, title=f"Dossier {number}",
                               territory_code=["becancour", "drummond", "erable"][number % 3])
        add_intervention(dossier, advisor, minutes=30)
        _due(db, dossier, hub_today() - timedelta(days=number % 5))
        if number % 2:
            refer(db.session.get(Dossier, dossier.id), advisor,
                  ["mrc-becancour", "mrc-drummond"][number % 2 - 1])


def test_dashboard_and_audit_viewer_cost_the_same_statements_with_more_data(
        db, coordinator, advisor, coordinator_client):
    advisors = [advisor, make_user("advisor", full_name="Deuxième")]
    paths = ["/desk/dashboard", "/audit/", "/audit/?action=referral.sent", "/desk/interventions"]
    costs = []
    for size in (3, 9):
        _grow(db, coordinator, advisors, size)
        advisors.append(make_user("advisor", full_name=f"Autre {size}"))
        cost = {}
        for path in paths:
            coordinator_client.get(path)
            with counting(db.engine) as seen:
                assert coordinator_client.get(path).status_code == 200
            cost[path] = len(seen)
        costs.append(cost)
    assert costs[0] == costs[1]
