"""Bad input on the dossier pages: refused in French, never a 5xx, and nothing written.

Every bad request is compared with a valid one that differs by a single field, so a
refusal proves the validation of that field. After each refusal the rows of dossier,
intervention, promoter_contact and audit_event are the same as before, and the audit
chain still verifies. The last tests check that the caseload and the dossier page cost
the same number of SQL statements however much data there is.
"""

import html
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from caseflow.audit.models import AuditEvent
from caseflow.dossiers import services
from caseflow.dossiers.choices import DOSSIER_LISTS, by_code
from caseflow.dossiers.models import Dossier, Intervention, PromoterContact
from caseflow.reference.models import Subject
from tests.builders import csrf_token, make_user

BIG = "x" * 100_000  # 100 kB of text
NUL = "du texte\x00avec un octet nul"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()

REQUIRED = "Ce champ est obligatoire."
NOT_A_CHOICE = "N'est pas un choix valide."
NOT_A_DATE = "N'est pas une date valide."
NOT_AN_INTEGER = "N'est pas un entier valide."
INVALID_CHARACTER = "Ce champ contient un caractère invalide."
CONFLICT = ("Ce dossier a été modifié par quelqu'un d'autre pendant que vous le consultiez. "
            "Rien n'a été enregistré.")
NOT_FOUND = "Page introuvable"
BAD_FILTERS = "Ces filtres ne sont pas valides. Corrigez-les ou effacez-les."


def too_long(limit: int) -> str:
    return f"Le champ ne peut pas contenir plus de {limit} caractères."


# --- Reading pages as a person does -------------------------------------------------------

ERROR_BLOCK = re.compile(
    r'<div class="(?:invalid-feedback|alert alert-danger|alert alert-warning)[^"]*"[^>]*>'
    r"(.*?)</div>", re.S)


def page_text(response) -> str:
    """The page as read: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.get_data(as_text=True)).replace("\xa0", " ")


def shown_errors(response) -> list[str]:
    """Every message shown as an error: under a field or in an alert box."""
    messages = []
    for block in ERROR_BLOCK.findall(response.get_data(as_text=True)):
        for line in re.sub(r"<[^>]+>", "\n", block).splitlines():
            text = html.unescape(line).replace("\xa0", " ").strip()
            if text:
                messages.append(text)
    return messages


# --- Building realistic data through the services ----------------------------------------

CODES = {"promoter_gender": "femme", "territory": "becancour", "sector": "agriculture",
         "stage": "predemarrage", "legal_form": "cooperative", "origin": "direct"}


@dataclass
class Built:
    id: int
    interventions: list[int]


def dossier_fields(advisor, title="Coopérative agricole du village", objectives=(),
                   contacts=(("Ana Tremblay", "ana@coop-village.ca", "819-555-0101"),),
                   **codes) -> services.DossierFields:
    values = {name: by_code(DOSSIER_LISTS[name], code) for name, code in {**CODES, **codes}.items()}
    return services.DossierFields(
        title=title, promoter_name="Groupe promoteur du village",
        description="Une coopérative de producteurs maraîchers.", women_count=2, men_count=1,
        advisor=advisor, opened_on=date(2025, 1, 15), objectives=list(objectives),
        contacts=[services.ContactFields(*contact) for contact in contacts], **values)


def intervention_fields(notes="Première rencontre avec le comité.", subjects=("gouvernance",),
                        occurred_on=date(2025, 2, 1)) -> services.InterventionFields:
    return services.InterventionFields(
        occurred_on=occurred_on, kind="meeting", minutes=45, notes=notes,
        subjects=[by_code(Subject, code) for code in subjects])


def make_dossier(db, actor, *, interventions=0, workflow="accompagnement", **fields) -> Built:
    """Open a dossier as `actor` through the service layer, with some interventions; commit."""
    dossier = services.open_dossier(actor, dossier_fields(actor, **fields), workflow)
    logged = [services.add_intervention(dossier, actor, None, intervention_fields())
              for _ in range(interventions)]
    db.session.commit()
    built = Built(dossier.id, [intervention.id for intervention in logged])
    db.session.rollback()
    return built


def version_of(db, dossier_id: int) -> int:
    version = db.session.get(Dossier, dossier_id).version
    db.session.rollback()
    return version


def snapshot(db):
    """Row counts of the four tables, and what each dossier and intervention says."""
    counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
              for model in (Dossier, Intervention, PromoterContact, AuditEvent)}
    dossiers = db.session.execute(
        select(Dossier.id, Dossier.version, Dossier.title, Dossier.state, Dossier.outcome)
        .order_by(Dossier.id)).all()
    interventions = db.session.execute(
        select(Intervention.id, Intervention.occurred_on, Intervention.kind,
               Intervention.minutes, Intervention.notes).order_by(Intervention.id)).all()
    contacts = db.session.execute(
        select(PromoterContact.dossier_id, PromoterContact.name, PromoterContact.email)
        .order_by(PromoterContact.id)).all()
    db.session.rollback()
    return counts, dossiers, interventions, contacts


def assert_nothing_changed(db, runner, before) -> None:
    assert snapshot(db) == before
    result = runner.invoke(args=["audit", "verify"])
    db.session.rollback()
    assert result.exit_code == 0, result.output
    assert "Audit chain intact" in result.output


def assert_form_error(response, message: str, status: int = 400) -> None:
    assert response.status_code == status, (response.status_code, shown_errors(response))
    assert message in shown_errors(response), shown_errors(response)


# --- Valid payloads; each bad case changes one field of these -----------------------------

def new_dossier_form(**changes) -> dict:
    form = {
        "title": "Coopérative agricole du village", "promoter_name": "Groupe promoteur",
        "description": "Une coopérative de producteurs maraîchers.",
        "workflow": "accompagnement", "promoter_gender": "femme", "women_count": "2",
        "men_count": "1", "territory": "becancour", "sector": "agriculture",
        "stage": "predemarrage", "legal_form": "cooperative", "origin": "direct",
        "advisor": "", "opened_on": "2025-01-15",
        "contacts-0-name": "Ana Tremblay", "contacts-0-email": "ana@coop-village.ca",
        "contacts-0-phone": "819-555-0101",
        "contacts-1-name": "", "contacts-1-email": "", "contacts-1-phone": "",
        "contacts-2-name": "", "contacts-2-email": "", "contacts-2-phone": "",
    }
    form.update(changes)
    return form


def edit_dossier_form(version: int, **changes) -> dict:
    form = new_dossier_form(title="Coopérative agricole du village (corrigé)",
                            version=str(version))
    del form["workflow"]
    form.update(changes)
    return form


def intervention_form(version: int, **changes) -> dict:
    form = {"version": str(version), "occurred_on": "2025-03-03", "kind": "call",
            "subjects": ["plan-affaires", "gouvernance"], "minutes": "30",
            "notes": "Appel de suivi du plan d'affaires."}
    form.update(changes)
    return form


@pytest.fixture
def token(advisor_client):
    return csrf_token(advisor_client, "/dossiers/")


@pytest.fixture
def dossier(db, advisor) -> Built:
    return make_dossier(db, advisor, interventions=1)


# --- The valid payloads are accepted (so each refusal below is about one bad field) -------

def test_the_valid_new_dossier_form_opens_a_dossier(db, runner, advisor_client, token):
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={**new_dossier_form(),
                                                          "csrf_token": token})
    assert response.status_code == 303
    dossier_id = int(response.headers["Location"].rsplit("/", 1)[1])
    counts, *_ = snapshot(db)
    assert counts == {**before[0], "dossier": 1, "promoter_contact": 1, "audit_event": 1}
    stored = db.session.get(Dossier, dossier_id)
    assert (stored.title, stored.territory.code, stored.contacts[0].email) == (
        "Coopérative agricole du village", "becancour", "ana@coop-village.ca")
    db.session.rollback()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_the_valid_edit_intervention_and_closing_forms_are_accepted(db, advisor_client, token,
                                                                      dossier):
    path = f"/dossiers/{dossier.id}"
    response = advisor_client.post(f"{path}/edit", data={
        **edit_dossier_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(f"{path}/interventions/new", data={
        **intervention_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(
        f"{path}/interventions/{dossier.interventions[0]}/edit",
        data={**intervention_form(version_of(db, dossier.id), notes="Notes corrigées."),
              "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(f"{path}/actions/close", data={
        "version": version_of(db, dossier.id), "outcome": "abandon", "csrf_token": token})
    assert response.status_code == 303
    stored = db.session.get(Dossier, dossier.id)
    assert stored.title == "Coopérative agricole du village (corrigé)"
    assert (stored.state, stored.outcome) == ("closed", "abandon")
    assert sorted(i.notes for i in stored.interventions) == [
        "Appel de suivi du plan d'affaires.", "Notes corrigées."]


# --- The dossier form, when opening and when editing ---------------------------------------

DOSSIER_CASES = [
    pytest.param({"title": ""}, REQUIRED, id="title-empty"),
    pytest.param({"title": "   "}, REQUIRED, id="title-blank"),
    pytest.param({"territory": ""}, REQUIRED, id="territory-empty"),
    pytest.param({"origin": ""}, REQUIRED, id="origin-empty"),
    pytest.param({"territory": "atlantide"}, NOT_A_CHOICE, id="territory-unknown"),
    pytest.param({"sector": "atlantide"}, NOT_A_CHOICE, id="sector-unknown"),
    pytest.param({"stage": "atlantide"}, NOT_A_CHOICE, id="stage-unknown"),
    pytest.param({"legal_form": "atlantide"}, NOT_A_CHOICE, id="legal-form-unknown"),
    pytest.param({"origin": "atlantide"}, NOT_A_CHOICE, id="origin-unknown"),
    pytest.param({"promoter_gender": "atlantide"}, NOT_A_CHOICE, id="gender-unknown"),
    pytest.param({"advisor": "999999"}, NOT_A_CHOICE, id="advisor-unknown"),
    pytest.param({"advisor": "abc"}, NOT_A_CHOICE, id="advisor-not-an-id"),
    pytest.param({"opened_on": "2026-02-30"}, NOT_A_DATE, id="date-february-30"),
    pytest.param({"opened_on": "15/01/2025"}, NOT_A_DATE, id="date-other-format"),
    pytest.param({"opened_on": TOMORROW}, "La date d'ouverture ne peut pas être dans le futur.",
                 id="date-future"),
    pytest.param({"women_count": "-1"}, "Entrez un nombre entre 0 et 999.", id="women-negative"),
    pytest.param({"men_count": "1000"}, "Entrez un nombre entre 0 et 999.", id="men-too-many"),
    pytest.param({"women_count": "abc"}, NOT_AN_INTEGER, id="women-not-a-number"),
    pytest.param({"contacts-0-email": "pas-un-courriel"}, "Adresse courriel invalide.",
                 id="contact-email-invalid"),
    pytest.param({"title": BIG}, too_long(200), id="title-100kB"),
    pytest.param({"promoter_name": BIG}, too_long(200), id="promoter-100kB"),
    pytest.param({"description": BIG}, too_long(5000), id="description-100kB"),
    pytest.param({"contacts-0-name": BIG}, too_long(200), id="contact-name-100kB"),
    pytest.param({"contacts-1-name": BIG}, too_long(200), id="second-contact-name-100kB"),
    pytest.param({"contacts-0-email": BIG}, too_long(254), id="contact-email-100kB"),
    pytest.param({"contacts-0-phone": BIG}, too_long(40), id="contact-phone-100kB"),
    pytest.param({"title": NUL}, INVALID_CHARACTER, id="title-nul"),
    pytest.param({"promoter_name": NUL}, INVALID_CHARACTER, id="promoter-nul"),
    pytest.param({"description": NUL}, INVALID_CHARACTER, id="description-nul"),
    pytest.param({"contacts-0-name": NUL}, INVALID_CHARACTER, id="contact-name-nul"),
    pytest.param({"contacts-0-phone": NUL}, INVALID_CHARACTER, id="contact-phone-nul"),
    pytest.param({"territory": "becancour\x00"}, NOT_A_CHOICE, id="territory-nul"),
]


@pytest.mark.parametrize(("changes", "message"), DOSSIER_CASES)
def test_a_bad_new_dossier_form_is_refused_in_french(db, runner, advisor_client, token,
                                                     changes, message):
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={**new_dossier_form(**changes),
                                                          "csrf_token": token})
    assert_form_error(response, message)
    assert "Nouveau dossier" in page_text(response)  # the form again, to correct
    assert_nothing_changed(db, runner, before)


@pytest.mark.parametrize(("changes", "message"), DOSSIER_CASES)
def test_a_bad_dossier_edit_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                                 changes, message):
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit", data={
        **edit_dossier_form(version_of(db, dossier.id), **changes), "csrf_token": token})
    assert_form_error(response, message)
    assert "Modifier le dossier" in page_text(response)
    assert_nothing_changed(db, runner, before)


@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"workflow": "atlantide"}, NOT_A_CHOICE, id="workflow-unknown"),
    pytest.param({"workflow": "protocole-nicolet-yamaska", "objectives": ["atlantide"]},
                 "« atlantide » n'est pas un choix valide pour ce champ.",
                 id="objective-unknown"),
])
def test_an_unknown_workflow_or_objective_is_refused(db, runner, advisor_client, token,
                                                     changes, message):
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={**new_dossier_form(**changes),
                                                          "csrf_token": token})
    assert_form_error(response, message)
    assert_nothing_changed(db, runner, before)


def test_every_text_field_at_100_kB_at_once_is_refused(db, runner, advisor_client, token):
    texts = ["title", "promoter_name", "description"] + [
        f"contacts-{row}-{name}" for row in range(3) for name in ("name", "email", "phone")]
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={
        **new_dossier_form(**dict.fromkeys(texts, BIG)), "csrf_token": token})
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        errors = shown_errors(response)
        assert errors.count(too_long(200)) == 5  # title, promoter, three contact names
        assert {too_long(5000), too_long(254), too_long(40)} <= set(errors)
    else:
        assert "Fichier trop volumineux" in page_text(response)
    assert_nothing_changed(db, runner, before)


def test_a_stale_dossier_edit_is_a_french_conflict(db, runner, advisor_client, token, dossier):
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit", data={
        **edit_dossier_form(version_of(db, dossier.id) - 1), "csrf_token": token})
    assert response.status_code == 409
    assert CONFLICT in page_text(response)
    assert_nothing_changed(db, runner, before)


@pytest.mark.xfail(strict=True, reason=(
    "the version field's error is not shown: hidden_fields() in "
    "templates/_macros/forms.html renders hidden fields without their errors"))
@pytest.mark.parametrize(("version", "message"), [("abc", NOT_AN_INTEGER), ("1.5", NOT_AN_INTEGER)])
def test_a_non_integer_dossier_version_is_explained(db, runner, advisor_client, token, dossier,
                                                    version, message):
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit", data={
        **edit_dossier_form(0, version=version), "csrf_token": token})
    assert_nothing_changed(db, runner, before)
    assert_form_error(response, message)


@pytest.mark.xfail(strict=True, reason=(
    "DossierForm.version is Optional(): an edit without a version skips the conflict check "
    "and is written (caseflow/dossiers/forms.py, DossierForm.version)"))
def test_a_dossier_edit_without_a_version_is_refused(db, runner, advisor_client, token,
                                                     dossier):
    before = snapshot(db)
    form = edit_dossier_form(0)
    del form["version"]
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit",
                                   data={**form, "csrf_token": token})
    assert_nothing_changed(db, runner, before)
    assert response.status_code in (400, 409)


@pytest.mark.xfail(strict=True, reason=(
    "a contact row with an e-mail but no name is dropped without a word: "
    "_apply_fields() in caseflow/dossiers/services.py keeps only named contacts"))
def test_a_contact_with_an_email_but_no_name_is_refused(db, runner, advisor_client, token):
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={**new_dossier_form(**{
        "contacts-1-name": "", "contacts-1-email": "luc@coop-village.ca",
        "contacts-1-phone": "819-555-0102"}), "csrf_token": token})
    assert_nothing_changed(db, runner, before)
    assert_form_error(response, REQUIRED)


# --- The intervention form, when logging and when correcting ------------------------------

INTERVENTION_CASES = [
    pytest.param({"occurred_on": ""}, "Entrez une date valide (AAAA-MM-JJ).", id="date-empty"),
    pytest.param({"occurred_on": "2026-02-30"}, NOT_A_DATE, id="date-february-30"),
    pytest.param({"occurred_on": TOMORROW},
                 "La date d'une intervention ne peut pas être dans le futur.", id="date-future"),
    pytest.param({"kind": ""}, REQUIRED, id="kind-empty"),
    pytest.param({"kind": "visite"}, NOT_A_CHOICE, id="kind-unknown"),
    pytest.param({"subjects": []}, "Choisissez au moins un sujet abordé.", id="no-subject"),
    pytest.param({"subjects": ["gouvernance", "atlantide"]},
                 "« atlantide » n'est pas un choix valide pour ce champ.", id="subject-unknown"),
    pytest.param({"minutes": "-1"}, "La durée doit être comprise entre 0 et 1440 minutes.",
                 id="minutes-negative"),
    pytest.param({"minutes": "1441"}, "La durée doit être comprise entre 0 et 1440 minutes.",
                 id="minutes-over-a-day"),
    pytest.param({"minutes": "abc"}, NOT_AN_INTEGER, id="minutes-not-a-number"),
    pytest.param({"notes": BIG}, too_long(10000), id="notes-100kB"),
    pytest.param({"notes": NUL}, INVALID_CHARACTER, id="notes-nul"),
    pytest.param({"version": "abc"}, NOT_AN_INTEGER, id="version-not-a-number",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the version field's error is not shown (hidden_fields() in "
                     "templates/_macros/forms.html)"))),
    pytest.param({"version": ""}, REQUIRED, id="version-empty",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the version field's error is not shown (hidden_fields() in "
                     "templates/_macros/forms.html)"))),
]


@pytest.mark.parametrize("route", ["new", "edit"])
@pytest.mark.parametrize(("changes", "message"), INTERVENTION_CASES)
def test_a_bad_intervention_form_is_refused_in_french(db, runner, advisor_client, token,
                                                      dossier, route, changes, message):
    path = f"/dossiers/{dossier.id}/interventions/" + (
        "new" if route == "new" else f"{dossier.interventions[0]}/edit")
    before = snapshot(db)
    response = advisor_client.post(path, data={
        **intervention_form(version_of(db, dossier.id), **changes), "csrf_token": token})
    assert_nothing_changed(db, runner, before)
    assert_form_error(response, message)


@pytest.mark.parametrize("route", ["new", "edit"])
def test_a_stale_intervention_form_is_a_french_conflict(db, runner, advisor_client, token,
                                                        dossier, route):
    path = f"/dossiers/{dossier.id}/interventions/" + (
        "new" if route == "new" else f"{dossier.interventions[0]}/edit")
    before = snapshot(db)
    response = advisor_client.post(path, data={
        **intervention_form(version_of(db, dossier.id) + 1), "csrf_token": token})
    assert response.status_code == 409
    assert CONFLICT in page_text(response)
    assert_nothing_changed(db, runner, before)


# --- Removing an intervention --------------------------------------------------------------

@pytest.mark.parametrize(("changes", "status", "message"), [
    pytest.param({"version": "abc"}, 400, "Requête invalide", id="version-not-a-number"),
    pytest.param({"version": ""}, 400, "Requête invalide", id="version-empty"),
    pytest.param({"version": None}, 409, CONFLICT, id="version-stale"),
    pytest.param({"reason": BIG}, 400, "Requête invalide", id="reason-100kB"),
    pytest.param({"reason": NUL}, 400, "Requête invalide", id="reason-nul"),
    pytest.param({"csrf_token": ""}, 400,
                 "Le formulaire a expiré ou n'est pas valide. Rechargez la page et "
                 "soumettez-le de nouveau.", id="no-csrf-token"),
])
def test_a_bad_removal_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                            changes, status, message):
    version = version_of(db, dossier.id)
    form = {"version": str(version), "reason": "Consignée par erreur.", "csrf_token": token}
    form.update(changes)
    if form["version"] is None:  # stale: the version before the last change
        form["version"] = str(version - 1)
    before = snapshot(db)
    response = advisor_client.post(
        f"/dossiers/{dossier.id}/interventions/{dossier.interventions[0]}/remove", data=form)
    assert response.status_code == status
    assert message in page_text(response)
    assert_nothing_changed(db, runner, before)


# --- Transitions ---------------------------------------------------------------------------

@pytest.mark.parametrize("trigger", ["voler", "CLOSE", "close%00", "x" * 300])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_trigger_that_does_not_exist_is_a_404(db, runner, advisor_client, token, dossier,
                                                trigger, method):
    before = snapshot(db)
    response = getattr(advisor_client, method)(
        f"/dossiers/{dossier.id}/actions/{trigger}",
        data={"version": version_of(db, dossier.id), "csrf_token": token})
    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


TRANSITION_CASES = [
    pytest.param("reopen", {}, 422,
                 "L'action « Rouvrir le dossier » n'est pas possible à l'étape « Accueil et "
                 "analyse des besoins ».", id="wrong-state"),
    pytest.param("return_to_reception", {"comment": "Retour."}, 422,
                 "L'action « Référencement retourné : revenir à l'accueil » n'est pas "
                 "possible à l'étape « Accueil et analyse des besoins ».",
                 id="wrong-state-with-comment"),
    pytest.param("close", {"outcome": ""}, 422, "Choisissez le bilan du dossier.",
                 id="close-without-outcome"),
    pytest.param("close", {}, 422, "Choisissez le bilan du dossier.",
                 id="close-outcome-missing"),
    pytest.param("close", {"outcome": "atlantide"}, 400, NOT_A_CHOICE,
                 id="close-unknown-outcome"),
    pytest.param("refer", {"comment": ""}, 422, "Un commentaire est requis pour cette action.",
                 id="refer-without-comment"),
    pytest.param("refer", {"comment": "   "}, 422,
                 "Un commentaire est requis pour cette action.", id="refer-blank-comment"),
    pytest.param("refer", {"comment": BIG}, 400, too_long(5000), id="comment-100kB"),
    pytest.param("refer", {"comment": NUL}, 400, INVALID_CHARACTER, id="comment-nul"),
    pytest.param("close", {"outcome": "abandon", "version": "abc"}, 400, NOT_AN_INTEGER,
                 id="version-not-a-number", marks=pytest.mark.xfail(strict=True, reason=(
                     "the version field's error is not shown (hidden_fields() in "
                     "templates/_macros/forms.html)"))),
    pytest.param("close", {"outcome": "abandon", "version": ""}, 400, REQUIRED,
                 id="version-empty", marks=pytest.mark.xfail(strict=True, reason=(
                     "the version field's error is not shown (hidden_fields() in "
                     "templates/_macros/forms.html)"))),
]


@pytest.mark.parametrize(("trigger", "changes", "status", "message"), TRANSITION_CASES)
def test_a_bad_transition_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                               trigger, changes, status, message):
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/actions/{trigger}", data={
        "version": version_of(db, dossier.id), **changes, "csrf_token": token})
    assert_nothing_changed(db, runner, before)
    assert_form_error(response, message, status)


def test_closing_before_any_intervention_is_refused(db, runner, advisor, advisor_client, token):
    dossier = make_dossier(db, advisor)
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/actions/close", data={
        "version": version_of(db, dossier.id), "outcome": "abandon", "csrf_token": token})
    assert_form_error(response, "Consignez au moins une intervention avant cette étape.", 422)
    assert_nothing_changed(db, runner, before)


def test_an_advisor_cannot_reopen_a_closed_dossier(db, runner, advisor, advisor_client, token,
                                                   dossier):
    services.apply_transition(db.session.get(Dossier, dossier.id), advisor, "close", None,
                              outcome="formalise")
    db.session.commit()
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/actions/reopen", data={
        "version": version_of(db, dossier.id), "comment": "Le groupe revient.",
        "csrf_token": token})
    assert_form_error(response, "Votre rôle ne permet pas l'action « Rouvrir le dossier ».", 422)
    assert_nothing_changed(db, runner, before)


def test_a_stale_transition_is_a_french_conflict(db, runner, advisor_client, token, dossier):
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/actions/close", data={
        "version": version_of(db, dossier.id) - 1, "outcome": "abandon", "csrf_token": token})
    assert response.status_code == 409
    assert CONFLICT in page_text(response)
    assert_nothing_changed(db, runner, before)


# --- The caseload's query string -----------------------------------------------------------

@pytest.mark.parametrize("query", [
    "page=-1", "page=0", "page=abc", "page=1.5", "page=99999999999999999999",
    "sort=inconnu", "state=inconnu", "scope=inconnu", "territory=atlantide",
    "sector=atlantide", "follow_up=hier", "q=" + BIG, "q=caf%00e",
])
def test_bad_caseload_filters_get_a_clean_french_page(db, advisor, advisor_client, query):
    make_dossier(db, advisor, title="Coopérative agricole du village")
    response = advisor_client.get("/dossiers/?scope=all&" + query)
    assert response.status_code == 400
    text = page_text(response)
    assert BAD_FILTERS in shown_errors(response)
    assert "Coopérative agricole du village" not in text  # no half-filtered list


@pytest.mark.parametrize("query", ["page=99999", "q=%25", "q=_", "q=\\", "q=%27%3B--"])
def test_odd_but_valid_caseload_filters_find_nothing(db, advisor, advisor_client, query):
    make_dossier(db, advisor, title="Coopérative agricole du village")
    response = advisor_client.get("/dossiers/?scope=all&" + query)
    assert response.status_code == 200
    assert "Aucun dossier ne correspond à ces critères." in page_text(response)


def test_the_caseload_search_still_finds_a_dossier(db, advisor, advisor_client):
    make_dossier(db, advisor, title="Coopérative agricole du village")
    response = advisor_client.get("/dossiers/?scope=all&q=agricole+du")
    assert response.status_code == 200
    assert "Coopérative agricole du village" in page_text(response)


# --- Ids in the URL that do not exist ------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("get", "/dossiers/999999"),
    ("get", "/dossiers/999999/edit"),
    ("post", "/dossiers/999999/edit"),
    ("get", "/dossiers/999999/actions/close"),
    ("post", "/dossiers/999999/actions/close"),
    ("get", "/dossiers/999999/interventions/new"),
    ("post", "/dossiers/999999/interventions/new"),
    ("get", "/dossiers/{dossier}/interventions/999999/edit"),
    ("post", "/dossiers/{dossier}/interventions/999999/remove"),
    ("get", "/dossiers/0"),
    ("get", "/dossiers/-1"),
    ("get", "/dossiers/abc"),
])
def test_an_id_that_does_not_exist_is_a_404(db, runner, advisor_client, token, dossier,
                                            method, path):
    before = snapshot(db)
    response = getattr(advisor_client, method)(path.format(dossier=dossier.id), data={
        **intervention_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


@pytest.mark.parametrize(("method", "action"), [("get", "edit"), ("post", "edit"),
                                                ("post", "remove")])
def test_an_intervention_of_another_dossier_is_a_404(db, runner, advisor, advisor_client,
                                                     token, dossier, method, action):
    other = make_dossier(db, advisor, interventions=1, title="Autre dossier")
    before = snapshot(db)
    response = getattr(advisor_client, method)(
        f"/dossiers/{dossier.id}/interventions/{other.interventions[0]}/{action}",
        data={**intervention_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


@pytest.mark.parametrize("path", [
    "/dossiers/2147483648",
    "/dossiers/9223372036854775808",
    "/dossiers/99999999999999999999/edit",
    "/dossiers/{dossier}/interventions/9223372036854775808/edit",
])
def test_an_id_too_large_for_the_database_is_a_404(request, app, db, advisor_client, dossier,
                                                   path):
    large = int(re.findall(r"\d{10,}", path)[0])
    if large > 2**63 - 1 or app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Werkzeug's int converter has no bound: ids past the column type reach the driver,
        # which raises (SQLite past 2**63 - 1, PostgreSQL past 2**31 - 1).
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "ids larger than the integer column are a 500: the <int:...> routes of "
            "caseflow/dossiers/views.py and interventions.py pass them to db.session.get")))
    response = advisor_client.get(path.format(dossier=dossier.id))
    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)


# --- SQL statements do not grow with the data ----------------------------------------------

@contextmanager
def counting_statements(engine):
    statements = []

    def count(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(db, client, path: str) -> list[str]:
    client.get(path)  # warm up: connections, first-use caches
    with counting_statements(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


def grow(db, actors, first: Built, dossiers: int, interventions: int) -> None:
    """Add dossiers of both workflows, interventions, edits, transitions and a removal."""
    for number in range(dossiers):
        actor = actors[number % len(actors)]
        workflow = "protocole-nicolet-yamaska" if number % 3 == 0 else "accompagnement"
        objectives = ("accueil-orientation", "viabilite") if number % 3 == 0 else ()
        make_dossier(db, actor, workflow=workflow, objectives=objectives,
                     title=f"Projet collectif numéro {number}", interventions=interventions,
                     contacts=(("Ana Tremblay", "ana@coop-village.ca", ""),
                               ("Luc Gagnon", "", "819-555-0102")))
    dossier = db.session.get(Dossier, first.id)
    for number in range(interventions - 1):
        services.add_intervention(dossier, actors[number % len(actors)], None, intervention_fields(
            notes=f"Suivi {number}", subjects=("gouvernance", "plan-affaires", "info-es")))
    for number in range(3):
        services.update_dossier(dossier, actors[number % len(actors)], None, dossier_fields(
            actors[(number + 1) % len(actors)], title=f"Coopérative, version {number}",
            contacts=(("Ana Tremblay", "ana@coop-village.ca", ""),
                      ("Luc Gagnon", "", str(number)))))
    services.apply_transition(dossier, actors[0], "refer", None, comment="Vers la MRC.")
    services.apply_transition(dossier, actors[0], "return_to_reception", None, comment="Retour.")
    services.remove_intervention(dossier.interventions[-1], actors[0], None, "Doublon.")
    db.session.commit()


def test_pages_cost_the_same_statements_with_ten_times_the_data(db, advisor, coordinator,
                                                                 advisor_client):
    other = make_user("advisor", full_name="Autre conseillère")
    first = make_dossier(db, advisor, interventions=1)
    for number in range(2):
        make_dossier(db, coordinator, interventions=1, title=f"Petit dossier {number}")
    paths = ["/dossiers/?scope=all", f"/dossiers/{first.id}"]
    small = {path: statements_for(db, advisor_client, path) for path in paths}

    grow(db, [advisor, coordinator, other], first, dossiers=27, interventions=6)
    counts, *_ = snapshot(db)
    assert (counts["dossier"], counts["intervention"]) == (30, 3 + 27 * 6 + 5 - 1)
    assert counts["audit_event"] > 250
    large = {path: statements_for(db, advisor_client, path) for path in paths}

    for path in paths:
        assert len(large[path]) == len(small[path]), (path, small[path], large[path])
    # The large caseload really shows a full page, and the dossier its history.
    assert "Projet collectif numéro" in page_text(advisor_client.get(paths[0]))
    assert "Changement d'étape" in page_text(advisor_client.get(paths[1]))
