"""Constitution documents gate the workflow; files are kept safely; financing in Québec notation."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseflow.audit.models import AuditEvent
from caseflow.documents.checklist import missing_required
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import Attachment, DossierDocument
from caseflow.dossiers.models import Dossier
from caseflow.financing.models import FinancingLine
from tests.builders import add_intervention, csrf_token, fr, make_dossier, page_text


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def upload(client, dossier, code, name, content):
    """Send a file as the checklist item's page does: to the page's own address."""
    token = csrf_token(client, f"/dossiers/{dossier.id}/documents/{code}")
    return client.post(f"/dossiers/{dossier.id}/documents/{code}",
                       data={"csrf_token": token, "version": dossier.version,
                             "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def set_status(client, dossier, code, status):
    token = csrf_token(client, f"/dossiers/{dossier.id}/documents/{code}")
    return client.post(f"/dossiers/{dossier.id}/documents/{code}",
                       data={"csrf_token": token, "version": dossier.version, "status": status})


def start_financing(client, dossier):
    token = csrf_token(client, f"/dossiers/{dossier.id}")
    return client.post(f"/dossiers/{dossier.id}/actions/start_financing",
                       data={"csrf_token": token, "version": dossier.version})


def test_financing_waits_for_the_charter_and_bylaws(advisor_client, db, advisor):
    dossier = make_dossier(advisor)  # a co-operative: charter and by-laws are required
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert fr("Documents constitutifs à valider d'abord : Charte (statuts constitutifs), "
              "Règlements généraux.") in page
    response = start_financing(advisor_client, dossier)
    assert response.status_code == 422
    assert "Charte (statuts constitutifs), Règlements généraux" in page_text(response)
    assert set_status(advisor_client, dossier, "charte", "validated").status_code == 303
    db.session.refresh(dossier)
    response = start_financing(advisor_client, dossier)
    assert response.status_code == 422
    text = page_text(response)
    assert "Règlements généraux" in text and "Charte (statuts" not in text
    db.session.refresh(dossier)
    assert set_status(advisor_client, dossier, "reglements-generaux",
                      "not_applicable").status_code == 303
    db.session.refresh(dossier)
    assert start_financing(advisor_client, dossier).status_code == 303
    db.session.refresh(dossier)
    assert dossier.state == "financing"


def test_a_form_with_no_required_document_goes_straight_to_financing(advisor_client, db,
                                                                      advisor):
    dossier = make_dossier(advisor, legal_form_code="non-constituee")
    assert start_financing(advisor_client, dossier).status_code == 303


def test_an_allowed_file_is_kept_and_downloaded_by_the_advisor(app, advisor_client, db,
                                                                advisor):
    dossier = make_dossier(advisor)
    content = tiny_pdf("Charte", "Coopérative")
    response = upload(advisor_client, dossier, "charte", "charte-v1.pdf", content)
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "charte-v1.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.document.status == "draft"
    [path] = stored_files(app)
    assert path.name == attachment.stored_name and "charte" not in str(path)
    assert "static" not in str(path)
    download = advisor_client.get(f"/dossiers/{dossier.id}/files/{attachment.id}")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "charte-v1.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [
    ("charte.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ("charte.pdf", b"<html><body>pas un PDF</body></html>"),
    ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
    ("image.png", b"GIF89a\x01\x00\x01\x00"),
    ("vide.pdf", b""),
])
def test_a_file_that_is_not_what_it_claims_is_refused(app, advisor_client, db, advisor, name,
                                                       content):
    dossier = make_dossier(advisor)
    events = count(db, AuditEvent)
    response = upload(advisor_client, dossier, "charte", name, content)
    assert response.status_code == 400
    assert "Type de fichier refusé" in page_text(response) or "vide" in page_text(response)
    assert count(db, Attachment) == 0 and count(db, AuditEvent) == events
    assert stored_files(app) == []


def test_a_refused_file_leaves_the_browser_on_the_item_s_page(app, advisor_client, db,
                                                             advisor):
    dossier = make_dossier(advisor)
    page_url = f"/dossiers/{dossier.id}/documents/charte"
    assert f'action="{page_url}"' in advisor_client.get(page_url).get_data(as_text=True)
    response = upload(advisor_client, dossier, "charte", "programme.pdf", b"MZ\x90\x00")
    assert response.status_code == 400 and "Type de fichier refusé" in page_text(response)
    # The page answered at its own address, and its form still posts there: reloading it or
    # choosing another file keeps the user on the item.
    assert f'action="{page_url}"' in response.get_data(as_text=True)
    assert count(db, Attachment) == 0 and stored_files(app) == []
    # The page's other form still changes the status.
    assert set_status(advisor_client, dossier, "charte", "draft").status_code == 303


def test_a_file_over_the_limit_gets_a_french_413_and_nothing_is_written(app, advisor_client,
                                                                       db, advisor):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    app.config["MAX_CONTENT_LENGTH"] = 4096
    dossier = make_dossier(advisor)
    events = count(db, AuditEvent)
    for size in (2000, 10_000):  # above the file limit, then above the request limit
        response = upload(advisor_client, dossier, "charte", "gros.pdf",
                          b"%PDF-1.4\n" + b"0" * size)
        assert response.status_code == 413
        assert "Fichier trop volumineux" in page_text(response)
    assert count(db, Attachment) == 0 and count(db, AuditEvent) == events
    assert stored_files(app) == []


def test_a_path_traversal_name_is_stored_safely(app, advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = upload(advisor_client, dossier, "charte", "../../../etc/passwd.pdf",
                      tiny_pdf("x"))
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "passwd.pdf"
    [path] = stored_files(app)
    assert path.resolve().is_relative_to((Path(app.instance_path) / "uploads").resolve())


def test_a_download_is_named_for_what_the_file_is(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/documents/charte")
    advisor_client.post(f"/dossiers/{dossier.id}/documents/charte/files", data={
        "csrf_token": token, "version": dossier.version,
        "file": (io.BytesIO(tiny_pdf("x")), "charte.html")},
        content_type="multipart/form-data")
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "charte.pdf"


def test_office_and_text_files_are_recognised(advisor_client, db, advisor):
    import zipfile

    def archive(entries):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            for name, data in entries.items():
                package.writestr(name, data)
        return buffer.getvalue()

    dossier = make_dossier(advisor)
    samples = {
        "reglements.docx": archive({"word/document.xml": "<w:document/>"}),
        "budget.xlsx": archive({"xl/workbook.xml": "<workbook/>"}),
        "charte.odt": archive({"mimetype": "application/vnd.oasis.opendocument.text"}),
        "notes.txt": "Règlements à revoir\n".encode(),
        "membres.csv": b"nom;courriel;role\nA;a@exemple.test;membre\n",
        "logo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    }
    for name, content in samples.items():
        db.session.refresh(dossier)
        assert upload(advisor_client, dossier, "reglements-generaux", name,
                      content).status_code == 303, name
    types = set(db.session.scalars(select(Attachment.content_type)))
    assert {"text/plain", "text/csv", "image/png",
            "application/vnd.oasis.opendocument.text"} <= types


def test_without_access_the_download_is_a_404(app, advisor_client, partner_client, db,
                                               advisor):
    dossier = make_dossier(advisor)
    upload(advisor_client, dossier, "charte", "charte.pdf", tiny_pdf("x"))
    attachment = db.session.scalar(select(Attachment))
    url = f"/dossiers/{dossier.id}/files/{attachment.id}"
    assert partner_client.get(url).status_code == 404
    assert partner_client.get(f"/dossiers/{dossier.id}/files/999999").status_code == 404
    other = make_dossier(advisor, title="Autre dossier")
    assert advisor_client.get(f"/dossiers/{other.id}/files/{attachment.id}").status_code == 404


def test_a_removed_file_leaves_its_trace(app, advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    upload(advisor_client, dossier, "charte", "charte.pdf", tiny_pdf("x"))
    attachment = db.session.scalar(select(Attachment))
    db.session.refresh(dossier)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/documents/charte")
    response = advisor_client.post(f"/dossiers/{dossier.id}/files/{attachment.id}/remove",
                                   data={"csrf_token": token, "version": dossier.version})
    assert response.status_code == 303
    assert advisor_client.get(f"/dossiers/{dossier.id}/files/{attachment.id}").status_code \
        == 404
    assert len(stored_files(app)) == 1  # kept until retention removes it
    assert "Fichier retiré" in page_text(advisor_client.get(f"/dossiers/{dossier.id}"))


def financing_form(dossier, **values):
    data = {"version": dossier.version, "fund": "fdt-es", "organisation": "mrc-becancour",
            "amount_requested": "25 000 $", "decision": "pending", "investment": "",
            "jobs_created": "0", "jobs_maintained": "0"}
    data.update(values)
    return data


def post_financing(client, dossier, **values):
    token = csrf_token(client, f"/dossiers/{dossier.id}/financing/new")
    return client.post(f"/dossiers/{dossier.id}/financing/new",
                       data={"csrf_token": token, **financing_form(dossier, **values)})


@pytest.mark.parametrize("typed", ["12 500,50 $", "12500.50", "12\u00a0500,50\u00a0$",
                                   "12,500.50"])
def test_amounts_in_quebec_notation_are_stored_exactly(advisor_client, db, advisor, typed):
    dossier = make_dossier(advisor)
    response = post_financing(advisor_client, dossier, amount_requested=typed)
    assert response.status_code == 303
    line = db.session.scalar(select(FinancingLine))
    assert line.amount_requested == Decimal("12500.50")


@pytest.mark.parametrize("typed", ["sNaN", "NaN", "1e999999", "-5", "Infinity", "12.345",
                                   "douze mille", "999999999999"])
def test_absurd_amounts_are_refused_in_french(advisor_client, db, advisor, typed):
    dossier = make_dossier(advisor)
    events = count(db, AuditEvent)
    response = post_financing(advisor_client, dossier, amount_requested=typed)
    assert response.status_code == 400
    assert "Montant invalide" in page_text(response)
    assert count(db, FinancingLine) == 0 and count(db, AuditEvent) == events


def test_an_authorisation_needs_its_amount_and_date(advisor_client, db, advisor):
    dossier = make_dossier(advisor)
    response = post_financing(advisor_client, dossier, decision="authorised")
    assert response.status_code == 400
    assert "Indiquez la date de la décision." in page_text(response)
    response = post_financing(advisor_client, dossier, decision="authorised",
                              decided_on="2026-03-15")
    assert "Indiquez le montant autorisé." in page_text(response)
    response = post_financing(advisor_client, dossier, decision="authorised",
                              decided_on="2026-03-15", amount_authorised="25 000 $",
                              investment="350 000 $", jobs_created="3", jobs_maintained="2")
    assert response.status_code == 303
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "25\u00a0000\u00a0$" in page and "350\u00a0000\u00a0$" in page
    assert fr("emplois créés : 3") in page


def test_each_change_is_on_the_timeline_and_the_chain_verifies(app, advisor_client, runner,
                                                              db, advisor):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    upload(advisor_client, dossier, "charte", "charte.pdf", tiny_pdf("x"))
    db.session.refresh(dossier)
    set_status(advisor_client, dossier, "charte", "validated")
    db.session.refresh(dossier)
    post_financing(advisor_client, dossier)
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    for label in ["Fichier déposé", "Document mis à jour", "Financement ajouté"]:
        assert label in page
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.dossier_id == dossier.id)))
    assert {"attachment.added", "document.updated", "financing.added"} <= actions
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_document_and_financing_changes_bump_the_dossier_version(advisor_client, db,
                                                                 advisor):
    dossier = make_dossier(advisor)
    before = dossier.version
    post_financing(advisor_client, dossier)
    db.session.refresh(dossier)
    assert dossier.version > before
    stale = post_financing(advisor_client, type("Seen", (), {"id": dossier.id,
                                                            "version": before})())
    assert stale.status_code == 409
    assert count(db, FinancingLine) == 1


def test_demo_dossiers_have_checklists_files_and_financing(runner, db):
    assert runner.invoke(args=["demo"]).exit_code == 0
    in_financing = db.session.scalars(select(Dossier).where(
        Dossier.state == "financing")).all()
    assert in_financing
    for dossier in in_financing:
        assert not missing_required(dossier), dossier.reference
    assert count(db, Attachment) > 10 and count(db, DossierDocument) > 10
    decisions = set(db.session.scalars(select(FinancingLine.decision)))
    assert {"pending", "authorised"} <= decisions
    for line in db.session.scalars(select(FinancingLine).where(
            FinancingLine.decision == "authorised")):
        assert line.amount_authorised > 0 and line.decided_on is not None


def test_the_coordinator_extends_the_document_list(coordinator_client, advisor_client, db,
                                                   advisor):
    token = csrf_token(coordinator_client, "/admin/document-kinds")
    response = coordinator_client.post("/admin/document-kinds", data={
        "csrf_token": token, "code": "convention-actionnaires", "label_fr":
        "Convention entre membres", "label_en": "Members' agreement",
        "required_for": ["cooperative"], "active": "y"})
    assert response.status_code == 303
    dossier = make_dossier(advisor)
    assert "Convention entre membres" in missing_required(dossier)
    assert "Convention entre membres" in page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    again = coordinator_client.post("/admin/document-kinds", data={
        "csrf_token": token, "code": "convention-actionnaires", "label_fr": "X",
        "label_en": "X"})
    assert again.status_code == 400 and "Ce code existe déjà." in page_text(again)
    assert advisor_client.get("/admin/document-kinds").status_code == 403
