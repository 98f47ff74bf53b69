"""Defects found in review, each kept from coming back."""

import io
import re

from sqlalchemy import select

from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import Attachment
from caseflow.errors import DomainError
from caseflow.notifications.models import OutgoingEmail
from caseflow.referrals import services as referrals
from tests.builders import add_intervention, csrf_token, make_dossier, page_text, refer


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


def test_dates_out_of_any_record_are_refused(advisor_client, coordinator_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/interventions/new")
    response = advisor_client.post(f"/dossiers/{dossier.id}/interventions/new", data={
        "csrf_token": token, "version": dossier.version, "occurred_on": "0001-01-01",
        "kind": "meeting", "subjects": ["info-es"]})
    assert response.status_code == 400
    assert "trop ancienne" in page_text(response)
    for query in ["periode=0001-01-01..0001-12-31", "debut=9999-12-30&fin=9999-12-31"]:
        assert coordinator_client.get(f"/rapports/?{query}").status_code == 400
    assert coordinator_client.get("/rapports/").status_code == 200


def test_a_huge_audit_page_number_is_just_an_empty_page(coordinator_client):
    assert coordinator_client.get("/audit/?page=99999999999999999999").status_code == 200


def test_an_intervention_opens_with_its_subjects_ticked(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    intervention = add_intervention(dossier, advisor, ("info-programmes", "infrastructure"))
    page = advisor_client.get(f"/dossiers/{dossier.id}/interventions/{intervention.id}/edit")
    html = page.get_data(as_text=True)
    ticked = set(re.findall(r'<input checked[^>]*value="([a-z-]+)"', html)) | set(
        re.findall(r'<input[^>]*value="([a-z-]+)"[^>]*checked', html))
    assert ticked == {"info-programmes", "infrastructure"}


def test_only_an_ended_period_is_published(coordinator_client, db):
    token = csrf_token(coordinator_client, "/rapports/")
    coordinator_client.post("/rapports/publier?periode=2030-2031", data={"csrf_token": token})
    page = page_text(coordinator_client.get("/rapports/?periode=2030-2031"))
    assert "Seule une période terminée peut être publiée." in page
    assert "Publié le" not in page


def test_a_download_is_named_for_what_the_file_is(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/documents/charte")
    advisor_client.post(f"/dossiers/{dossier.id}/documents/charte/files", data={
        "csrf_token": token, "version": dossier.version,
        "file": (io.BytesIO(tiny_pdf("x")), "charte.html")},
        content_type="multipart/form-data")
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "charte.pdf"


def test_the_referral_step_opens_the_referral_form(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = advisor_client.get(f"/dossiers/{dossier.id}/actions/refer")
    assert response.status_code == 303
    assert f"/dossiers/{dossier.id}/referrals/new?through=refer" in response.headers["Location"]


def test_the_partner_home_counts_the_referrals(partner_client, db, advisor):
    refer(make_dossier(advisor), advisor)
    page = page_text(partner_client.get("/"))
    assert "1 nouveau référencement" in page
