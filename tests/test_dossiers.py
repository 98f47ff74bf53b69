"""An advisor's day: open a dossier, log interventions, move it through its workflow."""

import re
import threading

import pytest
from sqlalchemy import func, select

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.database import hub_today
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier, UnauditedStateChange
from caseflow.dossiers.workflows import engine
from caseflow.referrals.services import ReferralFields, refer_through_workflow
from tests.builders import (
    add_intervention,
    csrf_token,
    login,
    make_dossier,
    make_user,
    organisation,
    page_text,
)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def transition_events(db, dossier_id) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.dossier_id == dossier_id, AuditEvent.action == "dossier.transition")))


def post_action(client, dossier, trigger, **data):
    token = csrf_token(client, f"/dossiers/{dossier.id}")
    return client.post(f"/dossiers/{dossier.id}/actions/{trigger}",
                       data={"csrf_token": token, "version": dossier.version, **data})


def test_opening_a_dossier_through_the_form(advisor_client, db, advisor):
    token = csrf_token(advisor_client, "/dossiers/new")
    response = advisor_client.post("/dossiers/new", data={
        "csrf_token": token, "workflow": "accompagnement", "title": "Friperie solidaire",
        "promoter_gender": "femme", "territory": "drummond", "sector": "commerce-detail",
        "stage": "demarrage", "legal_form": "obnl", "origin": "mrc",
        "advisor": str(advisor.id), "contacts-0-name": "Présidence du CA",
        "contacts-0-email": "ca@friperie.exemple", "women_count": "4", "men_count": "0"})
    assert response.status_code == 303
    dossier = db.session.scalar(select(Dossier))
    assert dossier.title == "Friperie solidaire" and dossier.state == "reception"
    assert dossier.reference.endswith("-0001") and dossier.origin.code == "mrc"
    page = page_text(advisor_client.get(response.headers["Location"]))
    assert "Friperie solidaire" in page and "Accueil et analyse des besoins" in page
    assert "Dossier ouvert" in page and "Présidence du CA" in page


def test_references_are_unique_and_sequential(db, advisor):
    first = make_dossier(advisor)
    second = make_dossier(advisor, title="Deuxième")
    number = int(first.reference.split("-")[1])
    assert second.reference == f"{first.reference[:4]}-{number + 1:04d}"


def test_the_walkthrough_an_advisor_does(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/interventions/new")
    response = advisor_client.post(f"/dossiers/{dossier.id}/interventions/new", data={
        "csrf_token": token, "version": dossier.version, "occurred_on": "2026-01-15",
        "kind": "meeting", "subjects": ["info-programmes", "gouvernance"], "minutes": "90",
        "notes": "Première rencontre du comité"})
    assert response.status_code == 303
    db.session.refresh(dossier)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/referrals/new?through=refer")
    response = advisor_client.post(f"/dossiers/{dossier.id}/referrals/new?through=refer", data={
        "csrf_token": token, "version": dossier.version, "organisation": "mrc-becancour",
        "reason": "Vers la MRC pour le FDT", "request": "Analyser la demande au FDT"})
    assert response.status_code == 303
    db.session.refresh(dossier)
    assert dossier.state == "referral" and dossier.next_follow_up is not None
    assert [r.organisation.code for r in dossier.referrals] == ["mrc-becancour"]
    response = post_action(advisor_client, dossier, "close", outcome="formalise")
    assert response.status_code == 303
    db.session.refresh(dossier)
    assert dossier.state == "closed" and dossier.outcome == "formalise"
    assert dossier.next_follow_up is None
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    for step in ["Dossier ouvert", "Intervention consignée", "Vers la MRC pour le FDT",
                 "Accueil et analyse des besoins → Référencement", "Projet formalisé"]:
        assert step in page


def test_a_guard_refusal_is_shown_in_french_and_changes_nothing(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    events = count(db, AuditEvent)
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Consignez au moins une intervention avant cette étape." in page
    response = post_action(advisor_client, dossier, "close", outcome="abandon")
    assert response.status_code == 422
    assert "Consignez au moins une intervention avant cette étape." in \
        page_text(response)
    db.session.refresh(dossier)
    assert dossier.state == "reception" and count(db, AuditEvent) == events


def test_a_trigger_invalid_for_the_state_is_refused(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = post_action(advisor_client, dossier, "reopen", comment="pourquoi pas")
    assert response.status_code == 422
    assert "n'est pas possible à l'étape" in page_text(response)
    db.session.refresh(dossier)
    assert dossier.state == "reception"


def test_only_the_coordinator_reopens_a_closed_dossier(app, advisor_client, coordinator_client,
                                                       db, advisor):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    services.apply_transition(dossier, advisor, "close", dossier.version, outcome="abandon")
    db.session.commit()
    response = post_action(advisor_client, dossier, "reopen", comment="Le groupe revient")
    assert response.status_code == 422
    assert "Votre rôle ne permet pas" in page_text(response)
    response = post_action(coordinator_client, dossier, "reopen", comment="Le groupe revient")
    assert response.status_code == 303
    db.session.refresh(dossier)
    assert dossier.state == "reception" and dossier.outcome is None


def test_a_comment_is_required_where_the_definition_says_so(coordinator_client, db, advisor):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    services.apply_transition(dossier, advisor, "close", dossier.version, outcome="abandon")
    db.session.commit()
    response = post_action(coordinator_client, dossier, "reopen", comment="   ")
    assert response.status_code == 422
    assert "Un commentaire est requis" in page_text(response)


def test_the_referral_step_needs_a_referral(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = post_action(advisor_client, dossier, "refer", comment="Vers la MRC")
    assert response.status_code == 422
    assert "Choisissez l'organisation à qui référer le dossier." in page_text(response)


def test_the_referral_step_opens_the_referral_form(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = advisor_client.get(f"/dossiers/{dossier.id}/actions/refer")
    assert response.status_code == 303
    assert f"/dossiers/{dossier.id}/referrals/new?through=refer" in response.headers["Location"]


@pytest.mark.parametrize("workflow", ["accompagnement", "protocole-nicolet-yamaska"])
def test_every_transition_through_the_service_for_each_role(db, workflow):
    """Walk each transition from each source: allowed roles apply it, others are refused."""
    staff = {"advisor": make_user("advisor"), "coordinator": make_user("coordinator"),
             "partner": make_user("partner")}
    definition = engine().definition(workflow)
    for transition in definition.transitions:
        for source in transition.sources:
            for role, user in staff.items():
                dossier = make_dossier(staff["advisor"], workflow,
                                       legal_form_code="non-constituee",
                                       objectives=["accueil-orientation"]
                                       if definition.objectives else [])
                add_intervention(dossier, staff["advisor"])
                dossier.state = source  # place the dossier; the flush check must refuse this
                with pytest.raises(UnauditedStateChange):
                    db.session.flush()
                db.session.rollback()
                _force_state(db, dossier, source)
                fields = {"comment": "motif", "outcome": "autre"}
                if role in transition.roles and "referral" in transition.fields:
                    refer_through_workflow(dossier, user, dossier.version, ReferralFields(
                        organisation("mrc-becancour"), "motif"), transition.trigger)
                    db.session.commit()
                    assert dossier.state == transition.dest, (transition.trigger, source, role)
                elif role in transition.roles:
                    services.apply_transition(dossier, user, transition.trigger,
                                              dossier.version, **fields)
                    db.session.commit()
                    assert dossier.state == transition.dest, (transition.trigger, source, role)
                else:
                    with pytest.raises(services.TransitionNotAllowed) as refused:
                        services.apply_transition(dossier, user, transition.trigger,
                                                  dossier.version, **fields)
                    assert refused.value.refusal.reason == "role"
                    db.session.rollback()


def _force_state(db, dossier, state):
    """Put a test dossier in a state with a raw update, as a fixture would."""
    from sqlalchemy import update

    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(state=state))
    db.session.commit()
    db.session.refresh(dossier)


def test_editing_a_field_records_before_and_after(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/edit")
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}/edit"))
    assert "Épicerie coopérative de Gentilly" in page
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit", data={
        "csrf_token": token, "version": dossier.version, "title": "Épicerie solidaire",
        "promoter_name": "Comité promoteur de Gentilly",
        "description": "",
        "promoter_gender": "femme", "territory": "erable", "sector": "commerce-detail",
        "stage": "predemarrage", "legal_form": "cooperative", "origin": "direct",
        "advisor": str(advisor.id), "women_count": "3", "men_count": "1",
        "contacts-0-name": "Présidence du comité",
        "contacts-0-email": "comite@gentilly.exemple"})
    assert response.status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "dossier.updated"))
    # The title may name people: sealed in the chain, read back beside it.
    assert "Épicerie" not in repr(event.changes)
    assert reveal([event])[0].changes == {
        "title": ["Épicerie coopérative de Gentilly", "Épicerie solidaire"],
        "territory": ["becancour", "erable"]}
    assert event.actor_id == advisor.id and event.request_id


def test_a_stale_edit_gets_a_409_and_changes_nothing(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    stale = dossier.version
    add_intervention(dossier, advisor)  # someone else's change bumps the version
    events = count(db, AuditEvent)
    response = post_action(advisor_client, type("Seen", (), {"id": dossier.id,
                                                              "version": stale})(),
                           "refer", comment="ancienne vue")
    assert response.status_code == 409
    page = page_text(response)
    assert "modifié par quelqu'un d'autre" in page and "Accueil et analyse des besoins" in page
    db.session.refresh(dossier)
    assert dossier.state == "reception" and count(db, AuditEvent) == events


def test_two_concurrent_transitions_end_with_one_applied(app, db, advisor):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    seen, dossier_id = dossier.version, dossier.id
    clients = []
    for _ in range(2):
        client = app.test_client()
        login(client, advisor.email)
        clients.append((client, csrf_token(client, f"/dossiers/{dossier.id}")))
    results, barrier = [], threading.Barrier(2)

    def act(client, token, trigger, extra):
        barrier.wait()
        response = client.post(f"/dossiers/{dossier_id}/actions/{trigger}",
                               data={"csrf_token": token, "version": seen, **extra})
        results.append(response.status_code)

    threads = [threading.Thread(target=act, args=(*clients[0], "start_follow_up", {})),
               threading.Thread(target=act, args=(*clients[1], "start_constitution", {}))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [303, 409]
    db.session.refresh(dossier)
    assert dossier.state in ("follow_up", "constitution")
    assert len(transition_events(db, dossier.id)) == 1


def test_a_failure_after_the_state_change_leaves_neither_state_nor_event(app, db, advisor,
                                                                         monkeypatch):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    events = count(db, AuditEvent)

    def broken_record(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record", broken_record)
    with pytest.raises(RuntimeError):
        services.apply_transition(dossier, advisor, "start_constitution", dossier.version)
    db.session.rollback()
    db.session.refresh(dossier)
    assert dossier.state == "reception" and count(db, AuditEvent) == events


def test_a_state_change_without_its_event_is_refused_at_flush(db, advisor):
    dossier = make_dossier(advisor)
    dossier.state = "closed"
    with pytest.raises(UnauditedStateChange):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Dossier, dossier.id).state == "reception"


def test_removing_an_intervention_keeps_it_in_the_audit_log(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    intervention = add_intervention(dossier, advisor, notes="Appel de trop")
    db.session.refresh(dossier)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}")
    response = advisor_client.post(
        f"/dossiers/{dossier.id}/interventions/{intervention.id}/remove",
        data={"csrf_token": token, "version": dossier.version})
    assert response.status_code == 303
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "intervention.removed"))
    assert reveal([event])[0].changes["notes"] == ["Appel de trop", None]
    assert "Intervention retirée" in page_text(advisor_client.get(
        f"/dossiers/{dossier.id}"))


def test_an_intervention_opens_with_its_subjects_ticked(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    intervention = add_intervention(dossier, advisor, ("info-programmes", "infrastructure"))
    page = advisor_client.get(f"/dossiers/{dossier.id}/interventions/{intervention.id}/edit")
    html = page.get_data(as_text=True)
    ticked = set(re.findall(r'<input checked[^>]*value="([a-z-]+)"', html)) | set(
        re.findall(r'<input[^>]*value="([a-z-]+)"[^>]*checked', html))
    assert ticked == {"info-programmes", "infrastructure"}


def test_caseload_shows_my_dossiers_by_default(app, advisor_client, db, advisor):
    colleague = make_user("advisor")
    make_dossier(advisor, title="Mon dossier à moi")
    make_dossier(colleague, title="Le dossier d'une collègue")
    mine = page_text(advisor_client.get("/dossiers/"))
    assert "Mon dossier à moi" in mine and "Le dossier d'une collègue" not in mine
    everything = page_text(advisor_client.get("/dossiers/?scope=all"))
    assert "Le dossier d'une collègue" in everything


def test_caseload_filters_and_search(advisor_client, db, advisor):
    make_dossier(advisor, title="Théâtre d'été", territory_code="drummond",
                 sector_code="culture")
    make_dossier(advisor, title="Serre communautaire", territory_code="erable",
                 sector_code="agriculture")
    def page(query):
        return page_text(advisor_client.get(f"/dossiers/?{query}"))
    assert "Serre communautaire" not in page("territory=drummond")
    assert "Théâtre d'été" in page("territory=drummond")
    assert "Théâtre d'été" not in page("sector=agriculture")
    assert "Serre communautaire" in page("q=serre")
    assert "Serre communautaire" in page("q=Gentilly")  # the promoter group's name
    assert "Aucun dossier ne correspond" in page("state=closed")


def test_caseload_follow_up_filters(advisor_client, db, advisor):
    from datetime import timedelta

    late = make_dossier(advisor, title="Suivi en retard")
    soon = make_dossier(advisor, title="Suivi cette semaine")
    late.next_follow_up = hub_today() - timedelta(days=3)
    soon.next_follow_up = hub_today() + timedelta(days=2)
    db.session.commit()
    overdue = page_text(advisor_client.get("/dossiers/?follow_up=overdue"))
    assert "Suivi en retard" in overdue and "Suivi cette semaine" not in overdue
    week = page_text(advisor_client.get("/dossiers/?follow_up=week"))
    assert "Suivi cette semaine" in week and "Suivi en retard" not in week


def test_a_partner_gets_the_same_404_for_an_existing_dossier_as_for_a_missing_one(
        partner_client, db, advisor):
    dossier = make_dossier(advisor)
    assert partner_client.get("/dossiers/").status_code == 403
    existing = partner_client.get(f"/dossiers/{dossier.id}")
    missing = partner_client.get("/dossiers/999999")
    assert existing.status_code == missing.status_code == 404
    assert dossier.title not in page_text(existing)
