"""Retention under Law 25: dossiers past their term lose every trace of the people in them
(every table, the audit log and the uploads folder), the audit chain still verifies, and the
annual report of their years gives the same figures."""

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseflow.audit.services import verify
from caseflow.documents import services as documents
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import Attachment, DocumentKind
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.services import ContactFields
from caseflow.extensions import db as database
from caseflow.financing.services import FinancingFields, add_line
from caseflow.privacy.models import AnonymisedDossier
from caseflow.reference.models import Fund
from caseflow.referrals.services import add_note
from caseflow.reports.figures import compute
from caseflow.reports.periods import fiscal_year
from tests.builders import (
    add_intervention,
    dossier_fields,
    give_consent,
    make_dossier,
    organisation,
    page_text,
    refer,
)

# What identifies the people of the old dossier; none of it may survive retention.
SECRETS = ["Tremblay-Lavoie", "metl@courriel.exemple", "819 555-4242", "819 555-9999",
           "Bouchard-Nadeau", "sous-sol paroissial", "cafe-tremblay", "Gaspard Ouellet"]
# What identifies the people of a recent dossier; all of it must stay.
KEPT = ["Famille Pelletier", "pelletier@courriel.exemple", "819 555-1111"]


def _upload(app, dossier, actor, name, *lines, remove=False):
    from caseflow.documents.views import upload_folder

    kind = database.session.scalar(select(DocumentKind).where(DocumentKind.code == "charte"))
    with app.test_request_context():
        attachment = documents.attach(dossier, actor, dossier.version, kind, name,
                                      tiny_pdf(*lines), upload_folder(), 10_000_000)
        if remove:
            documents.remove(attachment, actor, dossier, dossier.version)
    database.session.commit()
    return attachment


def _old_dossier(app, advisor, partner):
    dossier = make_dossier(
        advisor, title="Café Tremblay-Lavoie", promoter_name="Famille Tremblay-Lavoie",
        description="Café porté par Gaspard Ouellet au sous-sol paroissial.",
        contacts=[ContactFields("Marie Tremblay-Lavoie", "metl@courriel.exemple",
                                "819 555-4242")], opened_on=date(2018, 5, 1))
    services.update_dossier(dossier, advisor, dossier.version, dataclasses.replace(
        dossier_fields(advisor=advisor, title="Café Tremblay-Lavoie",
                       promoter_name="Famille Tremblay-Lavoie", opened_on=date(2018, 5, 1),
                       description="Café porté par Gaspard Ouellet au sous-sol paroissial."),
        contacts=[ContactFields("Marie Tremblay-Lavoie", "metl@courriel.exemple",
                                "819 555-9999")]))
    database.session.commit()
    add_intervention(dossier, advisor, occurred_on=date(2018, 6, 10), subjects=(
        "info-programmes", "gouvernance"), notes="Visite du sous-sol paroissial.")
    add_intervention(dossier, advisor, occurred_on=date(2018, 9, 2), notes="")
    _upload(app, dossier, advisor, "charte-cafe-tremblay.pdf", "Charte Tremblay-Lavoie")
    _upload(app, dossier, advisor, "brouillon-cafe-tremblay.pdf", "Bouchard-Nadeau",
            remove=True)
    referral = refer(dossier, advisor, "mrc-becancour", consent=True,
                     reason="Demande de Gaspard Ouellet au fonds dédié.")
    add_note(referral, partner, "Appel à Bouchard-Nadeau prévu.")
    fund = database.session.scalar(select(Fund).where(Fund.code == "fdt-es"))
    add_line(dossier, advisor, dossier.version, FinancingFields(
        fund=fund, decision="authorised", amount_requested=Decimal("20000"),
        amount_authorised=Decimal("15000"), decided_on=date(2018, 11, 5), jobs_created=2,
        organisation=organisation("mrc-becancour"), notes="Accordé à Tremblay-Lavoie."))
    database.session.commit()
    services.apply_transition(dossier, advisor, "close", dossier.version,
                              comment="Fermé après l'appel de Bouchard-Nadeau.",
                              outcome="formalise")
    dossier.state_entered_at = datetime(2019, 2, 1, 15, tzinfo=UTC)  # closed years ago
    database.session.commit()
    return dossier


@pytest.fixture
def hub(app, db, advisor, partner):
    old = _old_dossier(app, advisor, partner)
    recent = make_dossier(advisor, title="Famille Pelletier", promoter_name="Famille Pelletier",
                          contacts=[ContactFields("Anne Pelletier", "pelletier@courriel.exemple",
                                                  "819 555-1111")])
    add_intervention(recent, advisor, notes="Première rencontre, Famille Pelletier.")
    _upload(app, recent, advisor, "charte-pelletier.pdf", "Famille Pelletier")
    return old, recent


def _everything_stored(db) -> str:
    """Every row of every table, as text."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            parts.append(repr(tuple(row)))
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def _uploads(app) -> bytes:
    from caseflow.documents.views import upload_folder

    with app.test_request_context():
        folder = upload_folder()
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_retention_apply_removes_every_trace_and_keeps_chain_and_report(app, db, runner, hub):
    old, recent = hub
    before = compute(fiscal_year(2018))
    stored = _everything_stored(db)
    assert all(secret in stored for secret in KEPT)
    # Before: the people of the old dossier are in the database and its files on disk...
    assert [secret for secret in SECRETS if secret not in stored] == []
    assert b"Tremblay-Lavoie" in _uploads(app) and b"Bouchard-Nadeau" in _uploads(app)
    # ...but the audit log never held them in clear.
    from caseflow.audit.models import AuditEvent
    log = repr([(e.changes, e.reason) for e in db.session.scalars(select(AuditEvent))])
    assert not [secret for secret in SECRETS if secret in log]

    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{old.reference}: closed 2019-02-01, 7 years, due 2026-02-01" in dry.output
    assert "1 dossiers would be anonymised; 0 removed files would be destroyed." in dry.output
    assert _everything_stored(db) == stored  # a dry run changes nothing

    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "1 dossiers were anonymised" in result.output
    db.session.expire_all()
    stored = _everything_stored(db)
    left = [secret for secret in SECRETS if secret in stored]
    assert left == []
    uploads = _uploads(app)
    assert not [s for s in SECRETS if s.encode() in uploads]
    assert b"Famille Pelletier" in uploads and all(secret in stored for secret in KEPT)
    assert db.session.scalars(select(Attachment).where(
        Attachment.dossier_id == old.id)).all() == []
    assert db.session.get(AnonymisedDossier, old.id) is not None

    assert verify().ok
    audit = runner.invoke(args=["audit", "verify"])
    assert audit.exit_code == 0 and "Audit chain intact" in audit.output
    assert compute(fiscal_year(2018)) == before
    assert before["interventions"] == 2 and before["financing"]  # the figures were there

    again = runner.invoke(args=["retention", "apply"])
    assert "0 dossiers were anonymised" in again.output  # once is enough


def test_the_dossier_page_after_anonymisation_reads_without_the_people(app, db, runner, hub,
                                                                       advisor_client):
    old, _recent = hub
    assert runner.invoke(args=["retention", "apply"]).exit_code == 0
    page = page_text(advisor_client.get(f"/dossiers/{old.id}"))
    assert "Dossier anonymisé" in page and "[effacé]" in page
    assert not [secret for secret in SECRETS if secret in page]


def test_a_consent_to_keep_longer_and_a_longer_rule_hold_retention_back(app, db, runner,
                                                                        advisor, hub,
                                                                        coordinator_client):
    old, _recent = hub
    token = page_text(coordinator_client.get("/confidentialite/reglages"))
    from tests.builders import csrf_token
    token = csrf_token(coordinator_client, "/confidentialite/reglages")
    response = coordinator_client.post("/confidentialite/reglages/conservation",
                                       data={"csrf_token": token, "outcome_0": "10"})
    assert response.status_code == 303
    due = page_text(coordinator_client.get("/confidentialite/conservation"))
    assert old.reference not in due and "Aucun dossier" in due
    coordinator_client.post("/confidentialite/reglages/conservation",
                            data={"csrf_token": token, "outcome_0": ""})
    due = page_text(coordinator_client.get("/confidentialite/conservation"))
    assert old.reference in due and "Café Tremblay-Lavoie" in due
    give_consent(db.session.get(Dossier, old.id), advisor, "keep_beyond_term", None)
    due = page_text(coordinator_client.get("/confidentialite/conservation"))
    assert old.reference not in due
    refused = coordinator_client.post("/confidentialite/reglages/conservation",
                                      data={"csrf_token": token, "outcome_0": "500"})
    assert refused.status_code == 400 and "de 0 à 100 ans" in page_text(refused)


def test_the_coordinator_anonymises_from_the_retention_page(app, db, hub, coordinator_client,
                                                           advisor_client):
    old, _recent = hub
    assert advisor_client.get("/confidentialite/conservation").status_code == 403
    from tests.builders import csrf_token
    token = csrf_token(coordinator_client, "/confidentialite/conservation")
    unconfirmed = coordinator_client.post("/confidentialite/conservation",
                                          data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and "Cochez la case" in page_text(unconfirmed)
    assert db.session.get(AnonymisedDossier, old.id) is None
    response = coordinator_client.post("/confidentialite/conservation",
                                       data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 303
    assert db.session.get(AnonymisedDossier, old.id) is not None
    assert verify().ok


def test_removed_files_past_their_term_are_destroyed(app, db, runner, advisor):
    dossier = make_dossier(advisor)
    removed = _upload(app, dossier, advisor, "ancien.pdf", "Ancienne version", remove=True)
    kept = _upload(app, dossier, advisor, "actuel.pdf", "Version actuelle")
    assert b"Ancienne version" in _uploads(app)
    assert "0 removed files would be destroyed" in runner.invoke(
        args=["retention", "apply", "--dry-run"]).output
    removed.removed_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    result = runner.invoke(args=["retention", "apply"])
    assert "1 removed files were destroyed" in result.output
    uploads = _uploads(app)
    assert b"Ancienne version" not in uploads and b"Version actuelle" in uploads
    assert db.session.get(Attachment, kept.id) is not None
    assert verify().ok
