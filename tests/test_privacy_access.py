"""Law 25 in the partner's view: files and contacts only under a consent in force, a
withdrawal that takes effect at once, access that ends with the referral, own financing
decisions only, and every view of personal information audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from caseflow.documents import services as documents
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import DocumentKind
from caseflow.financing.services import FinancingFields, add_line
from caseflow.privacy.consents import withdraw_consent
from caseflow.privacy.models import Consent
from caseflow.reference.models import Fund
from caseflow.referrals.services import act, add_note
from tests.builders import (
    csrf_token,
    give_consent,
    make_dossier,
    organisation,
    page_text,
    refer,
)

EMAIL = "comite@gentilly.exemple"


@pytest.fixture
def referred(app, db, advisor):
    """A dossier with a charter on file, referred to the MRC de Bécancour."""
    from caseflow.documents.views import upload_folder

    dossier = make_dossier(advisor, title="Épicerie de Gentilly")
    kind = db.session.scalar(select(DocumentKind).where(DocumentKind.code == "charte"))
    with app.test_request_context():
        attachment = documents.attach(dossier, advisor, dossier.version, kind,
                                      "charte-gentilly.pdf", tiny_pdf("Charte"),
                                      upload_folder(), 10_000_000)
    db.session.commit()
    referral = refer(dossier, advisor, "mrc-becancour")
    return dossier, attachment, referral


def _file(dossier, attachment) -> str:
    return f"/dossiers/{dossier.id}/files/{attachment.id}"


def test_without_a_document_consent_the_charter_file_is_404(db, advisor, partner_client,
                                                          referred):
    dossier, attachment, _referral = referred
    give_consent(dossier, advisor, "share_contacts", "mrc-becancour")
    page = page_text(partner_client.get(f"/dossiers/{dossier.id}"))
    assert EMAIL in page  # the contacts are covered...
    assert "charte-gentilly.pdf" not in page  # ...the files are not
    assert partner_client.get(_file(dossier, attachment)).status_code == 404
    # A document consent for another organisation does not open the file either.
    give_consent(dossier, advisor, "share_documents", "mrc-drummond")
    assert partner_client.get(_file(dossier, attachment)).status_code == 404
    give_consent(dossier, advisor, "share_documents", "mrc-becancour")
    response = partner_client.get(_file(dossier, attachment))
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def test_a_consent_out_of_its_period_shares_nothing(db, advisor, partner_client, referred):
    dossier, attachment, _referral = referred
    give_consent(dossier, advisor, "share_documents", "mrc-becancour",
                 starts_on=hub_today() - timedelta(days=30),
                 ends_on=hub_today() - timedelta(days=1))
    assert partner_client.get(_file(dossier, attachment)).status_code == 404


def test_a_withdrawn_consent_hides_contacts_and_files_at_once(db, advisor, partner_client,
                                                            advisor_client, referred):
    dossier, attachment, _referral = referred
    contacts = give_consent(dossier, advisor, "share_contacts", "mrc-becancour")
    files = give_consent(dossier, advisor, "share_documents", "mrc-becancour")
    page = page_text(partner_client.get(f"/dossiers/{dossier.id}"))
    assert EMAIL in page and "charte-gentilly.pdf" in page
    assert partner_client.get(_file(dossier, attachment)).status_code == 200

    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}")
    for consent in (contacts, files):
        response = advisor_client.post(
            f"/dossiers/{dossier.id}/consentements/{consent.id}/retrait",
            data={"csrf_token": token, "version": db.session.get(type(dossier),
                                                                  dossier.id).version})
        assert response.status_code == 303
    page = page_text(partner_client.get(f"/dossiers/{dossier.id}"))
    assert EMAIL not in page and "charte-gentilly.pdf" not in page
    assert "pas encore consenti" in page
    assert partner_client.get(_file(dossier, attachment)).status_code == 404
    withdrawn = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consent.withdrawn")).all()
    assert len(withdrawn) == 2 and {e.actor_id for e in withdrawn} == {advisor.id}
    assert {c.status for c in db.session.scalars(select(Consent))} == {"withdrawn"}
    # The dossier page shows who withdrew it.
    staff_page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Retiré par" in staff_page and advisor.full_name in staff_page


def test_recording_a_consent_from_the_dossier_page(db, advisor, advisor_client, referred):
    dossier, _attachment, _referral = referred
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}")
    form = {"csrf_token": token, "version": dossier.version, "purpose": "share_documents",
            "organisation": "", "method": "written"}
    refused = advisor_client.post(f"/dossiers/{dossier.id}/consentements", data=form)
    assert refused.status_code == 400 and "Choisissez l'organisation" in page_text(refused)
    assert db.session.scalar(select(Consent.id)) is None
    response = advisor_client.post(f"/dossiers/{dossier.id}/consentements",
                                   data={**form, "organisation": "mrc-becancour"})
    assert response.status_code == 303
    consent = db.session.scalar(select(Consent))
    assert (consent.purpose, consent.organisation.code, consent.method, consent.status,
            consent.recorded_by_id) == ("share_documents", "mrc-becancour", "written",
                                        "active", advisor.id)
    again = advisor_client.post(f"/dossiers/{dossier.id}/consentements",
                                data={**form, "organisation": "mrc-becancour",
                                      "version": db.session.get(type(dossier),
                                                                dossier.id).version})
    assert again.status_code == 400 and "déjà consigné et en vigueur" in page_text(again)
    assert len(db.session.scalars(select(Consent)).all()) == 1
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Transmettre les documents et fichiers à une organisation" in page
    assert "Par écrit (formulaire signé)" in page


def test_a_consent_declared_with_a_referral_becomes_a_record(db, advisor):
    dossier = make_dossier(advisor)
    refer(dossier, advisor, "mrc-becancour", consent=True)
    consent = db.session.scalar(select(Consent))
    assert (consent.purpose, consent.organisation.code, consent.method) == (
        "share_contacts", "mrc-becancour", "referral")


def test_a_returned_referral_is_404_by_every_route(app, db, advisor, partner, partner_client,
                                                  referred):
    dossier, attachment, referral = referred
    give_consent(dossier, advisor, "share_documents", "mrc-becancour")
    note = page_text(partner_client.get("/notifications"))
    assert dossier.reference in note or "Épicerie de Gentilly" in note
    assert partner_client.get(f"/partenaires/referencements/{referral.id}").status_code == 200
    act(referral, partner, "return", referral.version, "Hors de notre territoire.")
    db.session.commit()
    for path in (f"/dossiers/{dossier.id}", _file(dossier, attachment),
                 f"/partenaires/referencements/{referral.id}",  # the notification's link
                 f"/partenaires/referencements/{referral.id}/financement"):
        assert (path, partner_client.get(path).status_code) == (path, 404)
    token = csrf_token(partner_client, "/")
    assert partner_client.post(f"/partenaires/referencements/{referral.id}/notes",
                               data={"csrf_token": token, "body": "Encore?"}).status_code == 404
    for path in ("/partenaires/?onglet=all", "/partenaires/?onglet=closed", "/",
                 "/notifications", "/dossiers/?q=Gentilly"):
        text = page_text(partner_client.get(path))
        assert "Épicerie de Gentilly" not in text and dossier.reference not in text, path


def test_after_completion_the_partner_keeps_its_referral_record_only(db, advisor, partner,
                                                                   partner_client, referred):
    dossier, attachment, referral = referred
    give_consent(dossier, advisor, "share_contacts", "mrc-becancour")
    give_consent(dossier, advisor, "share_documents", "mrc-becancour")
    act(referral, partner, "accept", referral.version)
    add_note(referral, partner, "Analyse du dossier commencée.")
    db.session.commit()
    act(referral, partner, "complete", referral.version, "Aide accordée.", "successful")
    db.session.commit()
    assert partner_client.get(f"/dossiers/{dossier.id}").status_code == 404
    assert partner_client.get(_file(dossier, attachment)).status_code == 404
    response = partner_client.get(f"/partenaires/referencements/{referral.id}")
    record = page_text(response)
    assert response.status_code == 200
    assert "Analyse du dossier commencée." in record and "Aide accordée." in record
    assert EMAIL not in record and "charte-gentilly.pdf" not in record
    assert "Comité promoteur de Gentilly" not in record


def test_a_partner_sees_only_its_own_organisations_financing_decisions(
        db, advisor, partner, partner_client, referred):
    dossier, _attachment, referral = referred
    fund = db.session.scalar(select(Fund).where(Fund.code == "fdt-es"))
    other = db.session.scalar(select(Fund).where(Fund.code == "risq"))
    add_line(dossier, advisor, dossier.version, FinancingFields(
        fund=fund, decision="authorised", amount_authorised=Decimal("12345"),
        decided_on=hub_today(), organisation=organisation("mrc-becancour")))
    add_line(dossier, advisor, dossier.version, FinancingFields(
        fund=other, decision="refused", decided_on=hub_today(), organisation=organisation("risq")))
    add_line(dossier, advisor, dossier.version, FinancingFields(fund=other, decision="pending"))
    db.session.commit()
    page = page_text(partner_client.get(f"/partenaires/referencements/{referral.id}"))
    assert "12\u00a0345" in page.replace("\u202f", "\u00a0") and "MRC de Bécancour" in page
    assert "Réseau d'investissement social du Québec" not in page and "RISQ" not in page


def test_every_view_of_personal_information_by_a_partner_is_audited(
        db, advisor, partner, partner_client, referred):
    dossier, attachment, referral = referred
    give_consent(dossier, advisor, "share_contacts", "mrc-becancour")
    give_consent(dossier, advisor, "share_documents", "mrc-becancour")
    partner_client.get(f"/dossiers/{dossier.id}")
    partner_client.get(_file(dossier, attachment))
    views = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier.viewed_by_partner").order_by(AuditEvent.seq)).all()
    assert [(e.actor_id, e.changes["dossier"], e.entity_type, e.changes["seen"])
            for e in views] == [
        (partner.id, dossier.id, "referral", ["contacts", "documents", "facts"]),
        (partner.id, dossier.id, "attachment", ["documents"])]


def test_withdrawing_a_consent_twice_or_from_another_dossier_changes_nothing(
        db, advisor, advisor_client, referred):
    dossier, _attachment, _referral = referred
    other = make_dossier(advisor, title="Autre dossier")
    consent = give_consent(dossier, advisor, "share_contacts", "mrc-becancour")
    withdraw_consent(consent, advisor, None)
    db.session.commit()
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}")
    assert advisor_client.post(f"/dossiers/{other.id}/consentements/{consent.id}/retrait",
                               data={"csrf_token": token, "version": other.version}
                               ).status_code == 404
    again = advisor_client.post(f"/dossiers/{dossier.id}/consentements/{consent.id}/retrait",
                                data={"csrf_token": token, "version": dossier.version + 9})
    assert again.status_code == 303
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consent.withdrawn")).all()) == 1
