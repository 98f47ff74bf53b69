"""Law 25 for the coordinator: the access export of a person, the 30-day log of requests,
the confidentiality-incident register and the privacy page naming the person in charge."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier, PromoterContact
from caseflow.privacy.models import AccessRequest, ConfidentialityIncident
from tests.builders import csrf_token, page_text


@pytest.fixture
def demo(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _log_request(client, **fields):
    token = csrf_token(client, "/confidentialite/demandes")
    return client.post("/confidentialite/demandes", data={
        "csrf_token": token, "kind": "access", "requester": "Personne du groupe", **fields})


def _export(client, request_id):
    token = csrf_token(client, "/confidentialite/demandes")
    return client.post(f"/confidentialite/demandes/{request_id}/export",
                       data={"csrf_token": token})


def test_the_access_export_of_a_demo_promoter_holds_theirs_and_nobody_elses(
        db, demo, coordinator_client):
    contacts = db.session.scalars(select(PromoterContact).order_by(PromoterContact.id)).all()
    person = contacts[0]
    mine = [c for c in contacts if c.email == person.email]
    others = [c for c in contacts if c.email != person.email]
    assert others  # the demo has other people to leave out
    response = _log_request(coordinator_client, email=person.email.upper())
    assert response.status_code == 303
    request = db.session.scalar(select(AccessRequest))
    assert request.due_on == request.received_on + timedelta(days=30)
    response = _export(coordinator_client, request.id)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"donnees.json", "dossiers.csv", "contacts.csv", "interventions.csv",
            "files.csv", "consents.csv"} <= names
    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    data = json.loads(archive.read("donnees.json"))
    dossiers = {d.id: d for d in db.session.scalars(select(Dossier))}
    their = [dossiers[c.dossier_id] for c in mine]
    assert sorted(d["reference"] for d in data["dossiers"]) == sorted(d.reference
                                                                       for d in their)
    for dossier in their:  # every piece of their information...
        assert dossier.title in everything and dossier.reference in everything
        for intervention in dossier.interventions:
            assert intervention.occurred_on.isoformat() in everything
        for attachment in dossier.documents:
            for item in attachment.attachments:
                if item.removed_at is None:
                    assert f"{item.id}-{item.original_name}" in " ".join(names)
    for contact in mine:
        assert contact.name in everything and contact.email in everything
        assert contact.phone in everything
    for contact in others:  # ...and nothing of another person's
        assert contact.email not in everything and contact.phone not in everything
    for dossier in dossiers.values():
        if dossier not in their:
            assert dossier.reference not in everything
    contact_rows = list(csv.DictReader(io.StringIO(archive.read("contacts.csv").decode())))
    assert {row["email"] for row in contact_rows} == {person.email}
    db.session.expire_all()
    request = db.session.get(AccessRequest, request.id)
    assert request.answered_on == hub_today()
    exported = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "access_request.exported"))
    assert exported.changes["dossiers"] == [d.reference for d in their]
    assert person.email not in json.dumps(exported.changes)


def test_access_requests_are_the_coordinators_and_refuse_bad_input(
        db, coordinator_client, advisor_client, partner_client):
    for client in (advisor_client, partner_client):
        assert client.get("/confidentialite/demandes").status_code == 403
        assert client.get("/confidentialite/incidents").status_code == 403
        assert client.get("/confidentialite/reglages").status_code == 403
    nothing = _log_request(coordinator_client)
    assert nothing.status_code == 400 and "courriel de la personne ou le dossier" in \
        page_text(nothing)
    unknown = _log_request(coordinator_client, dossier="2099-9999")
    assert unknown.status_code == 400 and "Aucun dossier ne porte ce numéro" in \
        page_text(unknown)
    future = _log_request(coordinator_client, email="a@b.exemple",
                          received_on=(hub_today() + timedelta(days=3)).isoformat())
    assert future.status_code == 400
    assert db.session.scalar(select(AccessRequest.id)) is None
    assert _export(coordinator_client, 12345).status_code == 404


def test_an_overdue_request_stands_out(db, coordinator_client):
    received = hub_today() - timedelta(days=40)
    _log_request(coordinator_client, email="ancien@exemple.org",
                 received_on=received.isoformat())
    page = coordinator_client.get("/confidentialite/demandes").get_data(as_text=True)
    assert "text-bg-danger" in page


INCIDENT = {"description": "Courriel envoyé au mauvais destinataire",
            "information": "Nom et téléphone d'une promotrice", "people_count": "1",
            "occurred_on": "2026-11-02", "discovered_on": "2026-11-03",
            "circumstances": "Erreur d'adresse", "risk_assessment": "Faible",
            "commission_notified_on": "", "people_notified_on": "2026-11-04",
            "measures": "Demande de destruction au destinataire"}


def test_the_incident_register_keeps_the_regulations_fields_and_exports(
        db, coordinator, coordinator_client):
    token = csrf_token(coordinator_client, "/confidentialite/incidents")
    bad = coordinator_client.post("/confidentialite/incidents", data={
        **INCIDENT, "csrf_token": token, "occurred_on": "2026-11-09"})
    assert bad.status_code == 400 and "après sa découverte" in page_text(bad)
    response = coordinator_client.post("/confidentialite/incidents",
                                       data={**INCIDENT, "csrf_token": token})
    assert response.status_code == 303
    incident = db.session.scalar(select(ConfidentialityIncident))
    assert (incident.people_count, incident.discovered_on, incident.people_notified_on,
            incident.commission_notified_on) == (1, date(2026, 11, 3), date(2026, 11, 4), None)
    page = page_text(coordinator_client.get("/confidentialite/incidents"))
    assert INCIDENT["description"] in page and INCIDENT["measures"] in page
    export = coordinator_client.get("/confidentialite/incidents.csv")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["description"], r["information"], r["people_count"]) for r in rows] == [
        (INCIDENT["description"], INCIDENT["information"], "1")]
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("incident.%")).order_by(AuditEvent.seq)))
    assert actions == ["incident.recorded", "incident.exported"]


def test_the_privacy_page_names_the_person_in_charge_for_anyone(app, db, client,
                                                                coordinator_client):
    assert 'href="/confidentialite"' in client.get("/login").get_data(as_text=True)
    token = csrf_token(coordinator_client, "/confidentialite/reglages")
    response = coordinator_client.post("/confidentialite/reglages", data={
        "csrf_token": token, "officer_name": "Josée Gagnon", "officer_title": "Directrice",
        "officer_email": "vie-privee@pole-es.exemple", "officer_phone": "819 555-0000",
        "policy_fr": "Nous protégeons vos renseignements.\r\n\r\nDeuxième paragraphe.",
        "policy_en": "We protect your information.", "removed_files_days": "30"})
    assert response.status_code == 303
    page = page_text(client.get("/confidentialite"))
    assert "Josée Gagnon" in page and "vie-privee@pole-es.exemple" in page
    assert "Nous protégeons vos renseignements." in page
    assert "<p>Deuxième paragraphe.</p>" in page  # paragraphs typed in the text box
    english = app.test_client()
    token = csrf_token(english, "/login")
    english.post("/language", data={"csrf_token": token, "locale": "en", "next": "/"})
    page = page_text(english.get("/confidentialite"))
    assert "We protect your information." in page and "Josée Gagnon" in page
    assert "Protection of personal information" in page
    home = coordinator_client.get("/").get_data(as_text=True)
    assert 'href="/confidentialite"' in home  # the footer of every page
    token = csrf_token(coordinator_client, "/confidentialite/reglages")
    bad = coordinator_client.post("/confidentialite/reglages", data={
        "csrf_token": token, "officer_name": "X", "officer_email": "pas-un-courriel",
        "removed_files_days": "30"})
    assert bad.status_code == 400
    assert "Josée Gagnon" in page_text(client.get("/confidentialite"))


def test_a_groups_export_holds_its_earlier_values_from_the_audit_log(app, db, advisor,
                                                                     coordinator_client):
    import dataclasses

    from caseflow.dossiers import services
    from caseflow.dossiers.services import ContactFields
    from tests.builders import dossier_fields, make_dossier

    dossier = make_dossier(advisor, contacts=[ContactFields("Léa Roy", "lea@roy.exemple",
                                                            "819 555-1234")])
    services.update_dossier(dossier, advisor, dossier.version, dataclasses.replace(
        dossier_fields(advisor=advisor), contacts=[ContactFields("Léa Roy", "lea@roy.exemple",
                                                                 "819 555-9876")]))
    db.session.commit()
    assert _log_request(coordinator_client, kind="portability",
                        dossier=dossier.reference).status_code == 303
    request = db.session.scalar(select(AccessRequest))
    archive = zipfile.ZipFile(io.BytesIO(_export(coordinator_client, request.id).data))
    data = archive.read("donnees.json").decode()
    assert "819 555-9876" in data and "819 555-1234" in data  # now, and as it was
