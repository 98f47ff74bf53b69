"""The bodies and tables the hub sits on, managed by the coordinator: their committees, their
objective, and how the annual report words their line."""

import pytest
from sqlalchemy import select

from caseflow.activities.models import Body
from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from tests.builders import csrf_token, plain_text


def body(db, code) -> Body:
    db.session.expire_all()
    return db.session.scalars(select(Body).where(Body.code == code)).one()


def body_form(client, url, **changes) -> dict:
    form = {"csrf_token": csrf_token(client, url), "label_fr": "Comité de suivi du projet",
            "label_en": "Project follow-up committee", "parent": "", "objective": "",
            "meeting_qualifier": "", "phrase_fr": "", "phrase_en": "", "active": "y"}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def edit_form(client, db, code, **changes) -> dict:
    found = body(db, code)
    url = f"/activites/instances/{found.id}"
    form = body_form(client, url, label_fr=found.label_fr, label_en=found.label_en,
                     parent=found.parent.code if found.parent else "",
                     objective=found.objective or "",
                     meeting_qualifier=found.meeting_qualifier or "",
                     phrase_fr=found.phrase_fr, phrase_en=found.phrase_en,
                     prints_total="y" if found.prints_total else None,
                     names_events="y" if found.names_events else None,
                     version=str(found.version))
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def board_meetings(client, count):
    for number in range(count):
        response = client.post("/activites/nouvelle", data={
            "csrf_token": csrf_token(client, "/activites/nouvelle"),
            "occurred_on": hub_today().isoformat(), "kind": "meeting",
            "title": f"Conseil d'administration ({number + 1})", "body": "ca-pole",
            "objective": "1.1"})
        assert response.status_code == 303


def report(client) -> str:
    from caseflow.reports.periods import fiscal_year_of

    return plain_text(client.get(f"/rapports/?periode={fiscal_year_of(hub_today()).label}"))


def test_the_page_lists_the_bodies_with_their_committees_and_wording(coordinator_client):
    page = plain_text(coordinator_client.get("/activites/instances"))
    assert "Conseil d'administration du Pôle" in page
    assert "› Comité : Exécutif du Pôle" in page
    assert "« de l'exécutif »" in page and "régulières" in page
    assert "événements nommés" in page


def test_the_coordinator_adds_a_committee_and_the_report_counts_it_on_its_body_s_line(
        coordinator_client, db):
    response = coordinator_client.post("/activites/instances", data=body_form(
        coordinator_client, "/activites/instances", label_fr="Comité des finances du Pôle",
        label_en="The hub's finance committee", parent="ca-pole",
        phrase_fr="du comité des finances", phrase_en="of the finance committee"))
    assert response.status_code == 303
    added = body(db, "comite-des-finances-du-pole")
    assert added.parent.code == "ca-pole" and added.phrase_fr == "du comité des finances"
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "activity_body.added")).all()
    assert event.entity_id == added.id and event.changes["parent"] == [None, "ca-pole"]
    board_meetings(coordinator_client, 2)
    response = coordinator_client.post("/activites/nouvelle", data={
        "csrf_token": csrf_token(coordinator_client, "/activites/nouvelle"),
        "occurred_on": hub_today().isoformat(), "kind": "meeting",
        "title": "Budget", "body": added.code, "objective": "1.1"})
    assert response.status_code == 303
    assert "Conseil d'administration du Pôle | 2 rencontres régulières | 1 rencontre du " \
        "comité des finances" in report(coordinator_client)
    # The audit viewer names the body and the activity as a person reads them.
    viewer = plain_text(coordinator_client.get("/audit/?action=activity_body.added"))
    assert "Instance ajoutée" in viewer
    assert "Comité des finances du Pôle (comite-des-finances-du-pole)" in viewer
    viewer = plain_text(coordinator_client.get("/audit/?action=activity.added"))
    assert f"Activité : Budget ({hub_today().isoformat()})" in viewer


def test_the_coordinator_changes_how_the_report_words_a_body(coordinator_client, db):
    board_meetings(coordinator_client, 2)
    assert "Conseil d'administration du Pôle | 2 rencontres régulières" in report(
        coordinator_client)
    url = f"/activites/instances/{body(db, 'ca-pole').id}"
    response = coordinator_client.post(url, data=edit_form(
        coordinator_client, db, "ca-pole", label_fr="Conseil du Pôle", meeting_qualifier=""))
    assert response.status_code == 303
    page = report(coordinator_client)
    assert "Conseil du Pôle | 2 rencontres" in page and "régulières" not in page
    board = body(db, "ca-pole")
    assert board.version == 2
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "activity_body.edited")).all()
    assert event.changes == {"label_fr": ["Conseil d'administration du Pôle", "Conseil du Pôle"],
                             "meeting_qualifier": ["regular", None]}
    # Its English label and wording are the coordinator's too.
    response = coordinator_client.post(url, data=edit_form(
        coordinator_client, db, "ca-pole", label_en="Board of the hub",
        meeting_qualifier="regular"))
    assert response.status_code == 303
    token = csrf_token(coordinator_client, "/")
    coordinator_client.post("/language", data={"locale": "en", "csrf_token": token, "next": "/"})
    assert "Board of the hub | 2 regular meetings" in report(coordinator_client)


@pytest.mark.parametrize("changes, message", [
    ({"label_fr": ""}, "Ce champ est obligatoire."),
    ({"label_fr": "x" * 201}, "200"),
    ({"phrase_fr": "x" * 121}, "120"),
    # Only bodies of their own are offered as a committee's body.
    ({"parent": "executif-pole"}, "N'est pas un choix valide."),
    ({"parent": "inconnue"}, "N'est pas un choix valide."),
    ({"objective": "9.9"}, "N'est pas un choix valide."),
    ({"meeting_qualifier": "annuelles"}, "N'est pas un choix valide."),
    ({"code": "Pas Un Code"}, "minuscules"),
    ({"code": "ca-pole"}, "déjà pris"),
    ({"label_fr": "Comité\x00 caché"}, ""),
])
def test_a_bad_body_is_refused_and_nothing_is_written(coordinator_client, db, changes, message):
    before = len(db.session.scalars(select(Body)).all())
    response = coordinator_client.post("/activites/instances", data=body_form(
        coordinator_client, "/activites/instances", **changes))
    assert response.status_code == 400
    assert message in plain_text(response)
    assert len(db.session.scalars(select(Body)).all()) == before
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "activity_body.added")).all() == []


def test_a_body_with_committees_cannot_become_a_committee(coordinator_client, db):
    url = f"/activites/instances/{body(db, 'ca-pole').id}"
    response = coordinator_client.post(url, data=edit_form(coordinator_client, db, "ca-pole",
                                                           parent="crds"))
    assert response.status_code == 400
    assert "elle ne peut pas devenir le comité d'une autre" in plain_text(response)
    assert body(db, "ca-pole").parent is None and body(db, "ca-pole").version == 1


def test_a_stale_edit_is_refused(coordinator_client, db):
    url = f"/activites/instances/{body(db, 'crds').id}"
    stale = edit_form(coordinator_client, db, "crds", label_fr="CRDS")
    fresh = edit_form(coordinator_client, db, "crds", label_fr="Comité régional")
    assert coordinator_client.post(url, data=fresh).status_code == 303
    response = coordinator_client.post(url, data=stale)
    assert response.status_code == 409
    assert body(db, "crds").label_fr == "Comité régional"


def test_a_deactivated_body_leaves_the_activity_form_and_keeps_its_activities(
        coordinator_client, db):
    board_meetings(coordinator_client, 1)
    url = f"/activites/instances/{body(db, 'ca-pole').id}"
    form = edit_form(coordinator_client, db, "ca-pole")
    del form["active"]
    assert coordinator_client.post(url, data=form).status_code == 303
    assert not body(db, "ca-pole").active
    assert 'value="ca-pole"' not in coordinator_client.get("/activites/nouvelle").get_data(
        as_text=True)
    assert "Conseil d'administration du Pôle | 1 rencontre régulière" in report(
        coordinator_client)


def test_only_the_coordinator_manages_the_bodies(advisor_client, partner_client,
                                                 coordinator_client, db):
    board = body(db, "ca-pole")
    for client in (advisor_client, partner_client):
        assert client.get("/activites/instances").status_code == 403
        # A refusal on one body's page does not tell that it exists.
        assert client.get(f"/activites/instances/{board.id}").status_code == 404
        assert client.post(f"/activites/instances/{board.id}",
                           data={"label_fr": "Pris"}).status_code in (400, 404)
    assert body(db, "ca-pole").label_fr == "Conseil d'administration du Pôle"
    assert coordinator_client.get("/activites/instances/999999").status_code == 404
