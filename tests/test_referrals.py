"""The referral's lifecycle, the hub's follow-up, and the partner's answers."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import CheckConstraint, select
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from caseflow.audit.models import AuditEvent
from caseflow.errors import DomainError
from caseflow.financing.models import FinancingLine
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.referrals import labels, lifecycle, services
from caseflow.referrals import services as referrals
from caseflow.referrals.models import Referral
from tests.builders import (
    add_intervention,
    csrf_token,
    login,
    make_dossier,
    make_user,
    organisation,
    page_text,
    refer,
)


def events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def referral(db, advisor):
    return refer(make_dossier(advisor), advisor)


ALLOWED = [
    ("sent", "acknowledge", "acknowledged"),
    ("sent", "accept", "accepted"),
    ("acknowledged", "accept", "accepted"),
    ("sent", "return", "returned"),
    ("acknowledged", "return", "returned"),
    ("accepted", "complete", "completed"),
]


def _place(db, referral, state, partner, advisor):
    path = {"sent": [], "acknowledged": ["acknowledge"], "accepted": ["accept"],
            "returned": ["return"], "completed": ["accept", "complete"],
            "withdrawn": ["withdraw"]}[state]
    for action in path:
        actor = advisor if action == "withdraw" else partner
        services.act(referral, actor, action, referral.version, "motif", "successful")
    db.session.commit()


@pytest.mark.parametrize(("start", "action", "end"), ALLOWED)
def test_each_step_a_partner_may_take(db, advisor, partner, referral, start, action, end):
    _place(db, referral, start, partner, advisor)
    services.act(referral, partner, action, referral.version, "parce que", "successful")
    db.session.commit()
    assert referral.state == end
    [event] = events(db, f"referral.{end}")
    assert event.actor_id == partner.id and event.changes["state"] == [start, end]


@pytest.mark.parametrize("start", ["sent", "acknowledged", "accepted"])
def test_the_hub_withdraws_an_open_referral(db, advisor, partner, referral, start):
    _place(db, referral, start, partner, advisor)
    services.act(referral, advisor, "withdraw", referral.version, "Le groupe renonce.")
    db.session.commit()
    assert referral.state == "withdrawn" and referral.withdraw_reason == "Le groupe renonce."


@pytest.mark.parametrize(("start", "action"), [
    ("accepted", "acknowledge"), ("returned", "accept"), ("completed", "return"),
    ("sent", "complete"), ("withdrawn", "accept"), ("completed", "withdraw"),
    ("returned", "withdraw"),
])
def test_a_step_from_the_wrong_state_is_refused_with_its_reason(db, advisor, partner, referral,
                                                                start, action):
    _place(db, referral, start, partner, advisor)
    actor = advisor if action == "withdraw" else partner
    with pytest.raises(DomainError, match="cette action n'est plus possible"):
        services.act(referral, actor, action, referral.version, "motif", "successful")


def test_only_the_receiving_organisation_answers_and_only_the_hub_withdraws(db, advisor,
                                                                           partner, referral):
    drummond = make_user("partner", organisation_code="mrc-drummond")
    for actor, action in [(drummond, "accept"), (advisor, "accept"), (partner, "withdraw")]:
        with pytest.raises(DomainError, match="Votre rôle ne permet pas"):
            services.act(referral, actor, action, referral.version, "motif")
    assert referral.state == "sent"


@pytest.mark.parametrize(("action", "text", "result", "message"), [
    ("return", "", None, "Indiquez la raison."),
    ("complete", "Fini", None, "Indiquez si le référencement a abouti."),
    ("complete", "", "successful", "Indiquez pourquoi"),
])
def test_a_reason_is_required_where_it_matters(db, advisor, partner, referral, action, text,
                                               result, message):
    if action == "complete":
        _place(db, referral, "accepted", partner, advisor)
    with pytest.raises(DomainError, match=message):
        services.act(referral, partner, action, referral.version, text, result)


def test_a_dossier_cannot_be_referred_twice_to_the_same_organisation(db, advisor, referral):
    with pytest.raises(DomainError, match="déjà référé"):
        refer(referral.dossier, advisor)
    second = refer(referral.dossier, advisor, "cdc-becancour")
    assert {r.organisation.code for r in referral.dossier.referrals} == {
        "mrc-becancour", "cdc-becancour"}
    assert second.state == "sent"


def test_concurrent_accept_and_withdraw_end_in_one_state(app, db, advisor, partner, referral):
    seen, referral_id, dossier_id = referral.version, referral.id, referral.dossier_id
    hub, mrc = app.test_client(), app.test_client()
    login(hub, advisor.email)
    login(mrc, partner.email)
    hub_token = csrf_token(hub, f"/dossiers/{dossier_id}")
    mrc_token = csrf_token(mrc, f"/partenaires/referencements/{referral_id}")
    results, barrier = {}, threading.Barrier(2)

    def post(name, client, url, data):
        barrier.wait()
        results[name] = client.post(url, data=data).status_code

    threads = [
        threading.Thread(target=post, args=("accept", mrc,
                         f"/partenaires/referencements/{referral_id}/accept",
                         {"csrf_token": mrc_token, "version": seen})),
        threading.Thread(target=post, args=("withdraw", hub,
                         f"/dossiers/{dossier_id}/referrals/{referral_id}/withdraw",
                         {"csrf_token": hub_token, "version": seen, "text": "Annulé"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [303, 409] or 404 in results.values(), results
    final = db.session.get(Referral, referral_id)
    applied = [e for e in events(db, "referral.accepted") + events(db, "referral.withdrawn")]
    assert len(applied) == 1
    assert final.state == applied[0].changes["state"][1]


def test_the_new_user_walkthrough(app, db, advisor, advisor_client):
    """The demo advisor refers a dossier to the MRC de Bécancour; its partner answers."""
    becancour = make_user("partner", organisation_code="mrc-becancour",
                          email="becancour@exemple.test")
    drummond = make_user("partner", organisation_code="mrc-drummond",
                         email="drummond@exemple.test")
    dossier = make_dossier(advisor, title="Épicerie solidaire de Gentilly")
    add_intervention(dossier, advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/referrals/new?through=refer")
    response = advisor_client.post(f"/dossiers/{dossier.id}/referrals/new?through=refer", data={
        "csrf_token": token, "version": dossier.version, "organisation": "mrc-becancour",
        "reason": "Demande au FDT", "request": "Analyser la demande", "consent_to_share": "y"})
    assert response.status_code == 303
    referral_id = db.session.scalar(select(Referral.id))

    mrc = app.test_client()
    login(mrc, becancour.email)
    inbox = page_text(mrc.get("/partenaires/?onglet=new"))
    assert "Épicerie solidaire de Gentilly" in inbox
    assert "Nouveau référencement" in page_text(mrc.get("/notifications"))
    for action in ("acknowledge", "accept"):
        version = db.session.get(Referral, referral_id).version
        token = csrf_token(mrc, f"/partenaires/referencements/{referral_id}")
        response = mrc.post(f"/partenaires/referencements/{referral_id}/{action}",
                            data={"csrf_token": token, "version": version})
        assert response.status_code == 303, page_text(response)[:2000]
    version = db.session.get(Referral, referral_id).dossier.version
    token = csrf_token(mrc, f"/partenaires/referencements/{referral_id}/financement")
    response = mrc.post(f"/partenaires/referencements/{referral_id}/financement", data={
        "csrf_token": token, "version": version, "fund": "fdt-es", "decision": "authorised",
        "amount_authorised": "25 000 $", "decided_on": "2026-11-02", "jobs_created": "2",
        "jobs_maintained": "0"})
    assert response.status_code == 303
    line = db.session.scalar(select(FinancingLine))
    assert line.amount_authorised == Decimal("25000.00")
    assert line.organisation.code == "mrc-becancour"

    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Accepté" in page and "25\u00a0000\u00a0$" in page
    assert "MRC de Bécancour" in page
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == advisor.id, Notification.kind == "referral.accepted"))

    other = app.test_client()
    login(other, drummond.email)
    for path in ["/partenaires/?onglet=all", "/notifications", "/"]:
        assert "Épicerie solidaire de Gentilly" not in page_text(other.get(path))
    assert other.get(f"/dossiers/{dossier.id}").status_code == 404
    assert other.get(f"/partenaires/referencements/{referral_id}").status_code == 404


def test_the_hub_list_filters_and_turnaround(advisor_client, db, advisor, partner):
    late = refer(make_dossier(advisor, title="Attente longue"), advisor)
    quick = refer(make_dossier(advisor, title="Réponse rapide"), advisor, "mrc-drummond")
    services.act(quick, make_user("partner", organisation_code="mrc-drummond"), "accept",
                 quick.version)
    db.session.commit()
    from datetime import timedelta

    from sqlalchemy import update

    db.session.execute(update(Referral).where(Referral.id == late.id)
                       .values(sent_at=late.sent_at - timedelta(days=20)))
    db.session.commit()
    waiting = page_text(advisor_client.get("/referencements/?waiting=10"))
    assert "Attente longue" in waiting and "Réponse rapide" not in waiting
    by_org = page_text(advisor_client.get("/referencements/?organisation=mrc-drummond"))
    assert "Réponse rapide" in by_org and "Attente longue" not in by_org
    assert "Délais de réponse" in by_org
    assert advisor_client.get("/referencements/?waiting=abc").status_code == 400
    assert organisation("mrc-drummond").name in by_org


def test_the_turnaround_is_the_median_of_the_last_twelve_months(db, advisor):
    from datetime import timedelta

    from sqlalchemy import update

    from caseflow.referrals import queries

    sent = [refer(make_dossier(advisor, title=f"Délai {n}"), advisor) for n in range(5)]
    db.session.commit()
    for referral, (days_ago, acknowledged_after) in zip(sent, [(10, 1), (10, 3), (10, 8),
                                                                (10, 5), (400, 90)],
                                                        strict=True):
        db.session.execute(update(Referral).where(Referral.id == referral.id).values(
            sent_at=referral.sent_at - timedelta(days=days_ago),
            acknowledged_at=referral.sent_at - timedelta(days=days_ago - acknowledged_after)))
    db.session.commit()
    (row,) = queries.turnaround()
    assert row["organisation"] == organisation("mrc-becancour").name
    assert row["count"] == 4  # the referral of 400 days ago is past the twelve months
    assert row["acknowledged"] == pytest.approx(4.0, abs=0.01)  # between 3 and 5 days
    assert row["accepted"] is None


def test_the_turnaround_reads_in_the_readers_language(advisor_client, db, advisor):
    from datetime import timedelta

    from sqlalchemy import update

    referral = refer(make_dossier(advisor, title="Délai d'un jour et demi"), advisor)
    db.session.commit()
    db.session.execute(update(Referral).where(Referral.id == referral.id).values(
        sent_at=referral.sent_at - timedelta(days=3),
        acknowledged_at=referral.sent_at - timedelta(days=1.5)))
    db.session.commit()
    assert "1,5" in page_text(advisor_client.get("/referencements/"))
    token = csrf_token(advisor_client, "/")
    advisor_client.post("/language", data={"locale": "en", "csrf_token": token, "next": "/"})
    english = page_text(advisor_client.get("/referencements/"))
    assert "1.5" in english and "1,5" not in english


def test_a_partner_note_reaches_the_advisor(app, db, advisor, partner, partner_client,
                                            referral):
    token = csrf_token(partner_client, f"/partenaires/referencements/{referral.id}")
    response = partner_client.post(f"/partenaires/referencements/{referral.id}/notes",
                                   data={"csrf_token": token, "body": "Rencontre fixée mardi."})
    assert response.status_code == 303
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == advisor.id, Notification.kind == "referral.note"))
    assert events(db, "referral.note")[0].actor_id == partner.id
    empty = partner_client.post(f"/partenaires/referencements/{referral.id}/notes",
                                data={"csrf_token": token, "body": "  "})
    assert empty.status_code == 400


def test_the_lifecycle_table_holds_together():
    """A state or an action added in one place of the table only fails here."""
    states = set(lifecycle.STATES)
    columns = set(Referral.__table__.columns.keys())
    assert lifecycle.INITIAL in states
    for action in lifecycle.ACTIONS.values():
        assert {*action.sources, action.dest} <= states, action.code
        assert action.by in (lifecycle.PARTNER, lifecycle.HUB), action.code
        written = {action.stamp, *action.also_stamps, *([action.text.column] if action.text
                                                        else [])}
        assert written <= columns, action.code
    reached, frontier = {lifecycle.INITIAL}, [lifecycle.INITIAL]
    while frontier:
        state = frontier.pop()
        for action in lifecycle.ACTIONS.values():
            if state in action.sources and action.dest not in reached:
                reached.add(action.dest)
                frontier.append(action.dest)
    assert reached == states, "unreachable from sent: " + repr(states - reached)
    # Open states are those something may still happen to; the others are final.
    assert set(lifecycle.OPEN_STATES) == {state for action in lifecycle.ACTIONS.values()
                                          for state in action.sources}
    partner_sees = set(lifecycle.PARTNER_STATES)
    for tab in lifecycle.TABS.values():
        assert set(tab.states) <= partner_sees, tab.code
    assert set(lifecycle.FINANCING_STATES) <= partner_sees
    assert set(labels.STATE_LABELS) == set(labels.STATE_CLASSES) == states
    [constraint] = [c for c in Referral.__table__.constraints
                    if isinstance(c, CheckConstraint) and str(c.sqltext).startswith("state ")]
    assert str(constraint.sqltext) == f"state IN {tuple(lifecycle.STATES)!r}"


def test_the_migrated_database_accepts_exactly_the_lifecycle_states(db, advisor, referral):
    for state in [*lifecycle.STATES, "archived"]:
        with db.engine.connect() as connection:
            try:
                connection.execute(sql("UPDATE referral SET state = :state WHERE id = :id"),
                                   {"state": state, "id": referral.id})
                accepted = True
            except IntegrityError:
                accepted = False
            connection.rollback()
        assert accepted == (state in lifecycle.STATES), state


def test_no_note_and_no_news_on_a_withdrawn_referral(db, advisor, partner):
    referral = refer(make_dossier(advisor), advisor)
    referrals.act(referral, advisor, "withdraw", referral.version, "Le groupe renonce.")
    db.session.commit()
    sent_before = db.session.scalars(select(OutgoingEmail)).all()
    try:
        referrals.add_note(referral, advisor, "Une dernière précision")
    except DomainError as error:
        assert "retiré" in error.message
    else:
        raise AssertionError("a note on a withdrawn referral was accepted")
    db.session.rollback()
    assert db.session.scalars(select(OutgoingEmail)).all() == sent_before
    withdrawn = [e for e in sent_before if e.to_address == partner.email]
    assert withdrawn and "/partenaires/referencements/" not in withdrawn[-1].body
